import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelServer
import KeelTestSupport

/// A running Keel API over real HTTP on loopback, with an admin signed in.
struct API: Sendable {
    let client: any TestClientProtocol
    let token: String
    let keel: Keel

    static let adminEmail = "admin@example.com"
    static let adminPassword = "admin-password"

    static func with(_ database: TestDatabase, _ body: @escaping @Sendable (API) async throws -> Void) async throws {
        try await database.withKeel { keel in
            _ = try await keel.makeUser(adminEmail, role: .admin, password: adminPassword)
            let app = buildApplication(keel: keel, configuration: ServerConfiguration(host: "127.0.0.1", port: 0))
            try await app.test(.live) { client in
                let login = try await client.execute(uri: "/api/v1/auth/token", method: .post,
                                                     body: ByteBuffer(string: #"{"email":"\#(adminEmail)","password":"\#(adminPassword)"}"#))
                let token = try JSONValue.parse(login.body.readableBytesView)["token"]?.stringValue ?? ""
                try await body(API(client: client, token: token, keel: keel))
            }
        }
    }

    enum Auth { case admin, none, token(String) }

    /// Sends a request and returns its status, parsed JSON body (`.null` when empty) and headers.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, json: JSONValue? = nil, raw: [UInt8]? = nil,
              headers: HTTPFields = [:], auth: Auth = .admin) async throws -> (status: HTTPResponse.Status, body: JSONValue, headers: HTTPFields) {
        var fields = headers
        switch auth {
        case .admin: fields[.authorization] = "Bearer \(token)"
        case .token(let t): fields[.authorization] = "Bearer \(t)"
        case .none: break
        }
        let body = raw.map { ByteBuffer(bytes: $0) } ?? json.map { ByteBuffer(string: $0.canonicalText()) }
        // Non-ASCII text in the URI (Chinese filter values) travels percent-encoded, as a browser sends it.
        let ascii = CharacterSet(charactersIn: Unicode.Scalar(0x21)...Unicode.Scalar(0x7E))
        let response = try await client.execute(uri: uri.addingPercentEncoding(withAllowedCharacters: ascii) ?? uri, method: method,
                                                headers: fields, body: body)
        let parsed = response.body.readableBytes == 0
            ? JSONValue.null : ((try? JSONValue.parse(response.body.readableBytesView)) ?? .string(String(buffer: response.body)))
        return (response.status, parsed, response.headers)
    }
}

extension JSONValue {
    var errorCode: String? { self["error"]?["code"]?.stringValue }
    var violationCodes: [String: String] {
        Dictionary((self["error"]?["violations"]?.arrayValue ?? []).compactMap { v in
            v["field"]?.stringValue.flatMap { f in v["code"]?.stringValue.map { (f, $0) } }
        }, uniquingKeysWith: { a, _ in a })
    }
}
