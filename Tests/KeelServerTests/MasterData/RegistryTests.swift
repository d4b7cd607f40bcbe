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

/// Registry enrichment against a fake registry over real HTTP that follows the documented shape: what the registry
/// says is written (never over what people entered), closed companies are flagged, failures change nothing.
@Suite struct RegistryTests {
    /// `GET /v1/companies?credit_code=…|name=…` with `Authorization: Bearer test-key`; 200 `{"data": {...}}`, 404, or 500.
    final class FakeRegistry: Sendable {
        let asked = Mutex<[String]>([])
        static let companies: [String: JSONValue] = [
            "91110000600037341L": ["name": "深圳市星河数码科技有限公司", "credit_code": "91110000600037341L", "status": "存续",
                                   "legal_representative": "王建国", "registered_capital": "1000万人民币", "address": "深圳市南山区科技园南区R2-B栋"],
            "北京远航贸易有限公司": ["name": "北京远航贸易有限公司", "credit_code": "91110000802100433B", "status": "注销",
                                "legal_representative": "刘远", "registered_capital": "50万人民币", "address": "北京市朝阳区建国路88号"],
        ]

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.get("v1/companies") { request, _ -> Response in
                guard request.headers[.authorization] == "Bearer test-key" else { return Response(status: .unauthorized) }
                let key = request.uri.queryParameters.get("credit_code") ?? request.uri.queryParameters.get("name") ?? ""
                self.asked.withLock { $0.append(key) }
                if key == "故障测试有限公司" { return Response(status: .internalServerError) }
                guard let company = Self.companies[key] else { return Response(status: .notFound) }
                return Response(status: .ok, headers: [.contentType: "application/json"],
                                body: .init(byteBuffer: ByteBuffer(string: JSONValue.object(["data": company]).canonicalText())))
            }
            return router
        }
    }

    @Test(arguments: TestDatabase.all)
    func whatTheRegistrySaysIsWrittenAndFailuresChangeNothing(_ database: TestDatabase) async throws {
        let fake = FakeRegistry()
        let app = Application(router: fake.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let registry = HTTPBusinessRegistry(baseURL: "http://127.0.0.1:\(client.port!)", apiKey: "test-key")
            try await database.withKeel(registry: registry) { keel in
                let context = WriteContext(principal: try await keel.makeUser(), source: .api)
                func create(_ values: [String: JSONValue]) async throws -> String {
                    try await keel.records.create("accounts", values, context: context).json["id"]?.stringValue ?? ""
                }
                // By credit code: status, capital and the empty address written; the legal representative people entered kept.
                let xinghe = try await create(["name": "星河数码", "credit_code": "91110000600037341L", "legal_representative": "王建国（董事长）"])
                let checked = try await keel.checkRegistry(account: xinghe, context: context)
                #expect(checked["closed"] == false && checked["nameDiffers"] == true)
                let record = checked["record"]
                #expect(record?["registry_status"] == "存续" && record?["registered_capital"] == "1000万人民币")
                #expect(record?["address"] == "深圳市南山区科技园南区R2-B栋" && record?["legal_representative"] == "王建国（董事长）")
                #expect(record?["registry_checked_at"]?.stringValue != nil && record?["name"] == "星河数码")
                // By name: a closed company, flagged; its credit code filled in.
                let closed = try await keel.checkRegistry(account: try await create(["name": "北京远航贸易有限公司"]), context: context)
                #expect(closed["closed"] == true && closed["record"]?["registry_status"] == "注销" && closed["record"]?["credit_code"] == "91110000802100433B")
                #expect(fake.asked.withLock { $0 } == ["91110000600037341L", "北京远航贸易有限公司"])

                // No such company, a failing registry, a wrong key: nothing written.
                for (name, code) in [("无此公司有限公司", "registry_no_match"), ("故障测试有限公司", "registry_unavailable")] {
                    let id = try await create(["name": .string(name)])
                    await #expect(throws: KeelError.self) {
                        do { _ = try await keel.checkRegistry(account: id, context: context) } catch let e as KeelError {
                            #expect(e.code == code)
                            throw e
                        }
                    }
                    #expect(try await keel.records.get("accounts", id: id, as: context.principal).0.version == 1)
                }
                // With a registry set up, the check is an operation of the API document, with its 502 and 503.
                let document = try await Application(router: buildRouter(keel: keel)).test(.router) { client in
                    try JSONValue.parse(try await client.execute(uri: "/api/v1/openapi.json", method: .get).body.readableBytesView)
                }
                let responses = document["paths"]?["/api/v1/accounts/{id}/registry-check"]?["post"]?["responses"]?.objectValue
                #expect(responses?["502"] != nil && responses?["503"] != nil)
                let wrongKey = HTTPBusinessRegistry(baseURL: "http://127.0.0.1:\(client.port!)", apiKey: "nope")
                await #expect(throws: RegistryError.self) { _ = try await wrongKey.lookup(name: "北京远航贸易有限公司", creditCode: nil) }
            }
            // Without a registry set up the check says so (503).
            try await database.withKeel { keel in
                let context = WriteContext(principal: try await keel.makeUser(), source: .api)
                let id = try await keel.records.create("accounts", ["name": "星河数码"], context: context).json["id"]?.stringValue ?? ""
                do {
                    _ = try await keel.checkRegistry(account: id, context: context)
                    Issue.record("expected registry_not_configured")
                } catch let e as KeelError {
                    #expect(e.kind == .unavailable && e.code == "registry_not_configured")
                }
            }
        }
    }

    @Test func aClosedCompanyIsFlaggedInRedOnItsPage() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let context = WriteContext(principal: admin.user, source: .api)
            let id = try await keel.records.create("accounts", ["name": "北京远航贸易有限公司", "registry_status": "注销"], context: context).json["id"]?.stringValue ?? ""
            let page = try await admin.get("/o/accounts/\(id)")
            #expect(page.html.contains(#"<p class="alert closed" role="alert">工商状态为 注销</p>"#))
            #expect(page.html.contains(#"action="/o/accounts/\#(id)/registry-check""#))
            // Checking with no registry set up says so and changes nothing.
            let check = try await admin.post("/o/accounts/\(id)/registry-check", [("_csrf", Browser.csrf(in: page.html))])
            #expect(check.headers[.location]?.hasPrefix("/o/accounts/\(id)?error=") == true)
            #expect(try await keel.records.get("accounts", id: id, as: admin.user).0.version == 1)
            let open = try await keel.records.create("accounts", ["name": "上海开元商贸有限公司", "registry_status": "存续"], context: context).json["id"]?.stringValue ?? ""
            #expect(!(try await admin.get("/o/accounts/\(open)").html.contains("alert closed")))
        }
    }
}
