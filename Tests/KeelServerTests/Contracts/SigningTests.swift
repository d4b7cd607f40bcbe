import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelIntegrations
import KeelServer
import KeelTestSupport
import Synchronization
import Testing

/// Contracts signed through e签宝 — a fake that follows its V3 protocol over real HTTP (every call's signature checked,
/// the document uploaded to the address it hands out, the signed file downloaded) and signs its callbacks as e签宝 does.
@Suite struct SigningTests {
    final class FakeTsign: Sendable {
        static let appID = "7438000001", secret = "fake-app-secret"
        struct Flow { var fileID, notifyURL: String; var signers: [JSONValue] }
        let port = Mutex(0)
        let uploads = Mutex<[String: [UInt8]]>([:])
        let flows = Mutex<[String: Flow]>([:])
        let refused = Mutex(0)

        /// What e签宝 sends back as the signed PDF: the one uploaded, with its signatures appended.
        func signed(_ flowID: String) -> [UInt8] {
            let file = flows.withLock { $0[flowID]?.fileID } ?? ""
            return (uploads.withLock { $0[file] } ?? []) + Array("\n% signed through e签宝 \(flowID)\n".utf8)
        }

        /// A call signed as the V3 API asks: the app, the body's MD5, the HMAC over method, headers and path.
        func verified(_ request: Request, _ body: [UInt8]) -> Bool {
            func h(_ name: String) -> String { HTTPField.Name(name).flatMap { request.headers[$0] } ?? "" }
            let md5 = TsignClient.contentMD5(body)
            let string = TsignClient.stringToSign(method: request.method.rawValue, contentMD5: h("Content-MD5"), pathAndQuery: request.uri.description)
            let expected = Data(HMAC<SHA256>.authenticationCode(for: Array(string.utf8), using: SymmetricKey(data: Array(Self.secret.utf8)))).base64EncodedString()
            let ok = h("X-Tsign-Open-App-Id") == Self.appID && h("X-Tsign-Open-Auth-Mode") == "Signature" && h("Content-MD5") == md5
                && h("X-Tsign-Open-Ca-Signature") == expected && !h("X-Tsign-Open-Ca-Timestamp").isEmpty
            if !ok { refused.withLock { $0 += 1 } }
            return ok
        }

        func answer(_ data: JSONValue, code: Int = 0) -> Response {
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(["code": JSONValue(Double(code)), "message": code == 0 ? "成功" : "签名校验失败", "data": data]).canonicalText())))
        }

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.post("v3/files/file-upload-url") { request, _ -> Response in
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
                guard self.verified(request, body), let asked = try? JSONValue.parse(body), asked["contentType"] == "application/pdf" else { return self.answer(.null, code: 401) }
                let id = "file-\(UUID().uuidString.prefix(8))"
                self.uploads.withLock { $0[id] = [] }
                return self.answer(["fileId": .string(id), "fileUploadUrl": .string("http://127.0.0.1:\(self.port.withLock { $0 })/upload/\(id)")])
            }
            router.put("upload/:file") { request, context -> Response in
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 20)), id = try context.parameters.require("file")
                guard request.headers[.contentType] == "application/pdf", HTTPField.Name("Content-MD5").flatMap({ request.headers[$0] }) == TsignClient.contentMD5(body),
                      self.uploads.withLock({ $0[id] }) != nil else { return Response(status: .badRequest) }
                self.uploads.withLock { $0[id] = body }
                return Response(status: .ok)
            }
            router.post("v3/sign-flow/create-by-file") { request, _ -> Response in
                let body = Array(buffer: try await request.body.collect(upTo: 1 << 20))
                guard self.verified(request, body), let asked = try? JSONValue.parse(body), let file = asked["docs"]?[0]?["fileId"]?.stringValue,
                      self.uploads.withLock({ $0[file]?.isEmpty == false }), let notify = asked["signFlowConfig"]?["notifyUrl"]?.stringValue else {
                    return self.answer(.null, code: 1_435_002)
                }
                let id = "flow-\(UUID().uuidString.prefix(8))"
                self.flows.withLock { $0[id] = Flow(fileID: file, notifyURL: notify, signers: asked["signers"]?.arrayValue ?? []) }
                return self.answer(["signFlowId": .string(id)])
            }
            router.get("v3/sign-flow/:flow/file-download-url") { request, context -> Response in
                let flow = try context.parameters.require("flow")
                guard self.verified(request, []), self.flows.withLock({ $0[flow] }) != nil else { return self.answer(.null, code: 401) }
                return self.answer(["files": [["fileId": "signed-1", "fileName": "合同（已签署）.pdf",
                                               "downloadUrl": .string("http://127.0.0.1:\(self.port.withLock { $0 })/download/\(flow)")]]])
            }
            router.get("download/:flow") { _, context -> Response in
                Response(status: .ok, headers: [.contentType: "application/pdf"], body: .init(byteBuffer: ByteBuffer(bytes: self.signed(try context.parameters.require("flow")))))
            }
            return router
        }

        /// A fake listening on loopback, and Keel's settings for it.
        static func serving(_ body: @escaping @Sendable (FakeTsign, ESignSettings) async throws -> Void) async throws {
            let fake = FakeTsign()
            let app = Application(router: fake.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await app.test(.live) { client in
                fake.port.withLock { $0 = client.port! }
                try await body(fake, ESignSettings(provider: TsignClient(baseURL: "http://127.0.0.1:\(client.port!)", appID: appID, secret: secret),
                                                   appID: appID, secret: secret))
            }
        }

        /// A callback as e签宝 signs it, at `date`.
        static func callback(_ event: JSONValue, at date: Date = Date()) -> (headers: [String: String], body: [UInt8]) {
            let body = Array(event.canonicalText().utf8)
            let headers = TsignCallback.headers(appID: appID, secret: secret, query: [], body: body, at: date)
            return (Dictionary(headers.map { ($0.0.lowercased(), $0.1) }) { a, _ in a }, body)
        }
    }

    /// A draft contract made from a quote of two licences.
    static func draftContract(_ keel: Keel, _ ctx: WriteContext) async throws -> Record {
        let product = try #require(try await keel.records.create("products", ["name": "Keel 企业版", "sku": "KEEL-ENT", "unit": "套", "unit_price": "48000.00",
                                                                             "tax_rate": "0.13"], context: ctx).json["id"]?.stringValue)
        let account = try #require(try await keel.records.create("accounts", ["name": "深圳市腾达科技有限公司"], context: ctx).json["id"]?.stringValue)
        let quote = try await keel.quotes.create(["account": .string(account), "lines": [["product": .string(product), "quantity": 2]]], context: ctx)
        return try await keel.contracts.fromQuote(quote.quote.id, [:], context: ctx).contract
    }

    @Test(arguments: TestDatabase.all)
    func aContractIsSignedThroughTheProviderAndThenKeepsItsTerms(_ database: TestDatabase) async throws {
        try await FakeTsign.serving { fake, settings in
            try await database.withKeel(esign: settings) { keel in
                let admin = try await keel.makeUser()
                let ctx = WriteContext(principal: admin, source: .api)
                let contract = try await Self.draftContract(keel, ctx)
                let signers: JSONValue = [["name": "张伟", "mobile": "13812345678"], ["name": "李娜", "mobile": "13900001111", "organization": "深圳市腾达科技有限公司"]]
                // No PDF attached, or signers badly named: nothing is sent.
                let noDocument = await #expect(throws: KeelError.self) {
                    try await keel.signatures.send(contract.id, ["signers": signers], notifyURL: "http://keel.test/cb", context: ctx)
                }
                #expect(noDocument?.violations.map(\.code) == ["document_required"])
                let badSigners = await #expect(throws: KeelError.self) {
                    try await keel.signatures.send(contract.id, ["signers": [["name": " ", "mobile": "12345"]]], notifyURL: "http://keel.test/cb", context: ctx)
                }
                #expect(Set(badSigners?.violations.map(\.field) ?? []) == ["signers[0].name", "signers[0].mobile"])
                let pdf = Array("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n合同正文\n%%EOF\n".utf8)
                _ = try await keel.attachments.attach("contracts", id: contract.id, filename: "销售合同.pdf", kind: nil, bytes: pdf, as: admin)

                let sent = try await keel.signatures.send(contract.id, ["signers": signers], notifyURL: "http://keel.test/cb", context: ctx)
                #expect(sent.status == .sent && sent.signers.count == 2 && sent.sent.sha256 == SHA256.hash(data: pdf).map { String(format: "%02x", $0) }.joined())
                #expect(fake.uploads.withLock { $0.values.contains(pdf) } && fake.flows.withLock { $0[sent.flowID]?.notifyURL } == "http://keel.test/cb")
                #expect(fake.flows.withLock { $0[sent.flowID]?.signers[1]["orgSignerInfo"]?["orgName"] } == "深圳市腾达科技有限公司")
                #expect(fake.refused.withLock { $0 } == 0)
                #expect(try await keel.records.get("contracts", id: contract.id, as: admin).0.value("status") == "signing")

                // The first signer signs.
                let signedOne = FakeTsign.callback(["action": "SIGN_MISSON_COMPLETE", "signFlowId": .string(sent.flowID), "signResult": 2, "signOrder": 1,
                                                    "operateTime": 1_764_640_800_000, "operator": ["psnAccount": ["accountMobile": "13812345678"]]])
                #expect(try await keel.signatures.callback(headers: signedOne.headers, query: [], body: signedOne.body))
                // A forged callback (the body changed after signing) and a stale one (an hour old) are refused.
                let done: JSONValue = ["action": "SIGN_FLOW_COMPLETE", "signFlowId": .string(sent.flowID), "signFlowStatus": 2,
                                       "signFlowFinishTime": 1_764_644_400_000]
                let complete = FakeTsign.callback(done)
                let forged = await #expect(throws: KeelError.self) {
                    try await keel.signatures.callback(headers: complete.headers, query: [], body: signedOne.body.reversed())
                }
                #expect(forged?.code == "invalid_signature")
                let old = FakeTsign.callback(done, at: Date().addingTimeInterval(-3600))
                let stale = await #expect(throws: KeelError.self) { try await keel.signatures.callback(headers: old.headers, query: [], body: old.body) }
                #expect(stale?.code == "callback_outside_window")
                #expect(try await keel.records.get("contracts", id: contract.id, as: admin).0.value("status") == "signing")

                // The flow completes: signed when e签宝 says, the signed document's SHA-256 kept and the PDF attached.
                #expect(try await keel.signatures.callback(headers: complete.headers, query: [], body: complete.body))
                let (signedContract, _) = try await keel.records.get("contracts", id: contract.id, as: admin)
                #expect(signedContract.value("status") == "signed" && signedContract.value("signed_at") == "2025-12-02T03:00:00.000Z")
                let signing = try #require(try await keel.signatures.signing(contract.id, as: admin))
                let hash = SHA256.hash(data: fake.signed(sent.flowID)).map { String(format: "%02x", $0) }.joined()
                #expect(signing.status == .signed && signing.signed.map(\.sha256) == [hash])
                #expect(signing.signers[0].signedAt == "2025-12-02T02:00:00.000Z" && signing.signers[1].signedAt == nil)
                #expect(signing.json["signers"]?[0]?["account"] == "138****5678")
                let files = try await keel.attachments.list("contracts", id: contract.id, as: admin)
                #expect(files.contains { $0.kind == "contract" && $0.sha256 == hash && $0.filename == "合同（已签署）.pdf" })

                // Replayed: nothing changes. The contract keeps its terms and is not sent again.
                #expect(try await !keel.signatures.callback(headers: complete.headers, query: [], body: complete.body))
                #expect(try await keel.records.get("contracts", id: contract.id, as: admin).0.version == signedContract.version)
                let renamed = await #expect(throws: KeelError.self) {
                    try await keel.records.update("contracts", id: contract.id, ["name": "改过的合同"], expectedVersion: nil, context: ctx)
                }
                #expect(renamed?.code == "contract_signed")
                let again = await #expect(throws: KeelError.self) {
                    try await keel.signatures.send(contract.id, ["signers": signers], notifyURL: "http://keel.test/cb", context: ctx)
                }
                #expect(again?.code == "contract_not_draft")

                // Over HTTP: the public callback refuses a bad signature.
                try await Application(router: buildRouter(keel: keel)).test(.router) { http in
                    var headers = HTTPFields()
                    for (k, v) in complete.headers { headers[HTTPField.Name(k)!] = v }
                    headers[HTTPField.Name("x-tsign-open-signature")!] = String(repeating: "0", count: 64)
                    let refused = try await http.execute(uri: "/api/v1/esign/tsign/callback", method: .post, headers: headers, body: ByteBuffer(bytes: complete.body))
                    #expect(refused.status == .unauthorized)
                    let unsigned = try await http.execute(uri: "/api/v1/esign/tsign/callback", method: .post, headers: [.contentType: "application/json"],
                                                          body: ByteBuffer(bytes: complete.body))
                    #expect(unsigned.status == .badRequest)
                    var good = HTTPFields()
                    for (k, v) in complete.headers { good[HTTPField.Name(k)!] = v }
                    let replayed = try await http.execute(uri: "/api/v1/esign/tsign/callback", method: .post, headers: good, body: ByteBuffer(bytes: complete.body))
                    #expect(replayed.status == .ok)
                }
            }
        }
    }

    /// On the contract page: the form to send a draft with its PDF (a bad mobile refused in words), then where the
    /// signing stands, and the proof once e签宝 has called back.
    @Test func aContractIsSentForSigningFromItsPage() async throws {
        try await FakeTsign.serving { fake, settings in
            try await Browser.with(esign: settings) { browser, keel in
                var admin = browser
                let boss = try await keel.makeUser("boss@example.com", role: .admin, password: "boss-password")
                try await admin.signIn("boss@example.com", "boss-password")
                let contract = try await Self.draftContract(keel, WriteContext(principal: boss, source: .api))
                var page = try await admin.get("/o/contracts/\(contract.id)")
                #expect(page.html.contains("电子签署") && page.html.contains("请先在下方附件中上传合同 PDF"), "\(page.html)")
                _ = try await keel.attachments.attach("contracts", id: contract.id, filename: "销售合同.pdf", kind: "contract",
                                                      bytes: Array("%PDF-1.4\n合同\n%%EOF\n".utf8), as: boss)
                page = try await admin.get("/o/contracts/\(contract.id)")
                let csrf = Browser.csrf(in: page.html)
                #expect(page.html.contains("通过 e签宝 发起签署"))
                let bad = try await admin.post("/o/contracts/\(contract.id)/signing", [("_csrf", csrf), ("name", "张伟"), ("mobile", "12345"), ("organization", "")])
                #expect(bad.headers[.location] == "/o/contracts/\(contract.id)?signing_error=validation_failed#h-signing")
                #expect(try await admin.get("/o/contracts/\(contract.id)?signing_error=validation_failed").html.contains("请填写每位签署人的姓名和 11 位手机号。"))
                let sent = try await admin.post("/o/contracts/\(contract.id)/signing", [("_csrf", csrf), ("name", "张伟"), ("mobile", "13812345678"), ("organization", ""),
                                                                                         ("name", ""), ("mobile", ""), ("organization", "")])
                #expect(sent.headers[.location] == "/o/contracts/\(contract.id)?signing_sent=1")
                page = try await admin.get("/o/contracts/\(contract.id)?signing_sent=1")
                #expect(page.html.contains("已发给签署人。") && page.html.contains("已发出，等待签署") && page.html.contains("138****5678") && page.html.contains("待签署"))
                let flow = try #require(fake.flows.withLock { $0.keys.first })
                let done = FakeTsign.callback(["action": "SIGN_FLOW_COMPLETE", "signFlowId": .string(flow), "signFlowStatus": 2, "signFlowFinishTime": 1_764_644_400_000])
                try await keel.signatures.callback(headers: done.headers, query: [], body: done.body)
                page = try await admin.get("/o/contracts/\(contract.id)")
                let hash = SHA256.hash(data: fake.signed(flow)).map { String(format: "%02x", $0) }.joined()
                #expect(page.html.contains("已签署") && page.html.contains("签署后的文件：合同（已签署）.pdf · SHA-256 \(hash)") && !page.html.contains("通过 e签宝 发起签署"))
            }
        }
    }

    /// The signatures against values computed independently (Python's hmac, hashlib and base64).
    @Test func signaturesAreE签宝s() {
        let body = Array(#"{"docs":[]}"#.utf8)
        let headers = Dictionary(TsignClient.headers(method: "POST", pathAndQuery: "/v3/sign-flow/create-by-file", body: body, appID: "app", secret: "s3cr3t",
                                                     at: Date(timeIntervalSince1970: 1_764_640_800)).map { ($0.0, $0.1) }) { a, _ in a }
        #expect(headers["Content-MD5"] == "3u0iVQTsstUZKZbikqaMiQ==" && headers["X-Tsign-Open-Ca-Signature"] == "NYJAUz7Gp1NbmNXJp8sB3NEm6ONSlsLm1cFq9+VI3Rw=")
        #expect(headers["X-Tsign-Open-Ca-Timestamp"] == "1764640800000" && headers["X-Tsign-Open-Auth-Mode"] == "Signature")
        // A callback: the timestamp, the query's values by name (b=2 after a=1), the body.
        let callback = Array(#"{"action":"SIGN_FLOW_COMPLETE"}"#.utf8)
        #expect(TsignCallback.signature(secret: "s3cr3t", timestamp: "1764640800000", query: [("b", "2"), ("a", "1")], body: callback)
            == "2c48ca154230bb65b12180d24d20a44d49ff75c500651571e263cf6bc3e97050")
    }

    @Test(arguments: TestDatabase.all)
    func withoutAProviderNothingIsSent(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let contract = try await Self.draftContract(keel, ctx)
            let refused = await #expect(throws: KeelError.self) {
                try await keel.signatures.send(contract.id, ["signers": [["name": "张伟", "mobile": "13812345678"]]], notifyURL: "http://keel.test/cb", context: ctx)
            }
            #expect(refused?.code == "esign_not_configured")
            #expect(try await keel.records.get("contracts", id: contract.id, as: admin).0.value("status") == "draft")
        }
    }
}
