import Crypto
import Foundation
import KeelCore
import NIOHTTP1

/// e签宝's open platform (V3) as documented: every call carries `X-Tsign-Open-App-Id`, `X-Tsign-Open-Auth-Mode:
/// Signature`, `X-Tsign-Open-Ca-Timestamp` (milliseconds), `Content-MD5` (base64 MD5 of the body) and
/// `X-Tsign-Open-Ca-Signature`: base64 HMAC-SHA256, keyed with the app secret, of
/// `METHOD\nAccept\nContent-MD5\nContent-Type\nDate\n` + the path with its query (Date left empty, no extra signed
/// headers). Answers are `{"code": 0, "message", "data"}`; another code is a refusal. A document goes up by asking for
/// an upload address (`POST /v3/files/file-upload-url`) and PUTting the PDF there; a flow starts with
/// `POST /v3/sign-flow/create-by-file`; the signed files come from `GET /v3/sign-flow/{id}/file-download-url`.
public struct TsignClient: ESignProvider {
    public var baseURL: String
    public var appID: String
    public var secret: String
    public var timeout: TimeInterval = 20

    public init(baseURL: String, appID: String, secret: String) {
        (self.baseURL, self.appID, self.secret) = (baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL, appID, secret)
    }

    /// The client `KEEL_TSIGN_APP_ID` and `KEEL_TSIGN_APP_SECRET` set up (`KEEL_TSIGN_URL`: the sandbox
    /// https://smlopenapi.esign.cn, or by default the production https://openapi.esign.cn); nil when not set.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> TsignClient? {
        guard let app = environment["KEEL_TSIGN_APP_ID"], !app.isEmpty, let secret = environment["KEEL_TSIGN_APP_SECRET"], !secret.isEmpty else { return nil }
        return TsignClient(baseURL: environment["KEEL_TSIGN_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "https://openapi.esign.cn", appID: app, secret: secret)
    }

    static let accept = "*/*", contentType = "application/json; charset=UTF-8"

    public static func contentMD5(_ body: [UInt8]) -> String {
        body.isEmpty ? "" : Data(Insecure.MD5.hash(data: body)).base64EncodedString()
    }

    /// The string a call's signature is computed over.
    public static func stringToSign(method: String, contentMD5: String, pathAndQuery: String) -> String {
        "\(method)\n\(accept)\n\(contentMD5)\n\(contentType)\n\n\(pathAndQuery)"
    }

    /// The headers of a signed call.
    public static func headers(method: String, pathAndQuery: String, body: [UInt8], appID: String, secret: String, at date: Date) -> [(String, String)] {
        let md5 = contentMD5(body)
        let signature = Data(HMAC<SHA256>.authenticationCode(for: Array(stringToSign(method: method, contentMD5: md5, pathAndQuery: pathAndQuery).utf8),
                                                              using: SymmetricKey(data: Array(secret.utf8)))).base64EncodedString()
        return [("X-Tsign-Open-App-Id", appID), ("X-Tsign-Open-Auth-Mode", "Signature"), ("X-Tsign-Open-Ca-Timestamp", String(Int64(date.timeIntervalSince1970 * 1000))),
                ("Accept", accept), ("Content-Type", contentType), ("Content-MD5", md5), ("X-Tsign-Open-Ca-Signature", signature)]
    }

    /// One signed call; the answer's `data`.
    func call(_ method: HTTPMethod, _ pathAndQuery: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        let bytes = body.map { Array($0.canonicalText().utf8) } ?? []
        let answer = try await exchange(baseURL + pathAndQuery, method.rawValue,
                                        Self.headers(method: method.rawValue, pathAndQuery: pathAndQuery, body: bytes, appID: appID, secret: secret, at: Date()),
                                        bytes.isEmpty ? nil : bytes)
        guard let parsed = try? JSONValue.parse(answer.bytes), let code = parsed["code"]?.numberValue else {
            throw ESignError("e签宝 answered HTTP \(answer.status) with something that is not its JSON")
        }
        guard code == 0 else { throw ESignError("e签宝 refused (\(code)): \(parsed["message"]?.stringValue ?? "")") }
        return parsed["data"] ?? .null
    }

    /// Sends a request; the status and body, or why nothing came back.
    func exchange(_ url: String, _ method: String, _ headers: [(String, String)], _ body: [UInt8]?) async throws -> (status: Int, bytes: [UInt8]) {
        do {
            let answer = try await HTTPWebhookTransport.shared.exchange(url: url, method: method, headers: headers, body: body, timeout: timeout)
            return (answer.status, answer.bytes)
        } catch {
            throw ESignError("e签宝 did not answer (\(error))")
        }
    }

    public func startFlow(_ r: ESignRequest) async throws -> String {
        let md5 = Self.contentMD5(r.pdf)
        let upload = try await call(.POST, "/v3/files/file-upload-url", ["contentMd5": .string(md5), "contentType": "application/pdf",
                                                                         "fileName": .string(r.fileName), "fileSize": JSONValue(r.pdf.count)])
        guard let fileID = upload["fileId"]?.stringValue, let address = upload["fileUploadUrl"]?.stringValue else {
            throw ESignError("e签宝 gave no upload address")
        }
        let stored = try await exchange(address, "PUT", [("Content-Type", "application/pdf"), ("Content-MD5", md5)], r.pdf)
        guard (200..<300).contains(stored.status) else { throw ESignError("e签宝 did not take the document (HTTP \(stored.status))") }
        let signers: [JSONValue] = r.signers.map { s in
            var signer: [String: JSONValue] = [
                "signerType": 0, "psnSignerInfo": ["psnAccount": .string(s.mobile), "psnInfo": ["psnName": .string(s.name)]],
                "signFields": [["fileId": .string(fileID), "normalSignFieldConfig": ["freeMode": true]]],
            ]
            if let org = s.organization {
                signer["signerType"] = 1
                signer["orgSignerInfo"] = ["orgName": .string(org), "transactorInfo": ["psnAccount": .string(s.mobile), "psnInfo": ["psnName": .string(s.name)]]]
                signer["psnSignerInfo"] = nil
            }
            return .object(signer)
        }
        let flow = try await call(.POST, "/v3/sign-flow/create-by-file", [
            "docs": [["fileId": .string(fileID), "fileName": .string(r.fileName)]],
            "signFlowConfig": ["signFlowTitle": .string(r.title), "autoFinish": true, "notifyUrl": .string(r.notifyURL)],
            "signers": .array(signers),
        ])
        guard let id = flow["signFlowId"]?.stringValue else { throw ESignError("e签宝 started no flow") }
        return id
    }

    public func signedFiles(flowID: String) async throws -> [ESignFile] {
        let data = try await call(.GET, "/v3/sign-flow/\(flowID)/file-download-url")
        var files: [ESignFile] = []
        for file in data["files"]?.arrayValue ?? [] {
            guard let url = file["downloadUrl"]?.stringValue else { continue }
            let fetched = try await exchange(url, "GET", [], nil)
            guard fetched.status == 200 else { throw ESignError("e签宝's signed file could not be fetched (HTTP \(fetched.status))") }
            files.append(ESignFile(name: file["fileName"]?.stringValue ?? "signed.pdf", bytes: fetched.bytes))
        }
        guard !files.isEmpty else { throw ESignError("e签宝 returned no signed file") }
        return files
    }
}
