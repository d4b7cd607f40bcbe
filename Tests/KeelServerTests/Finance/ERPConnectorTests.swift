import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelIntegrations
import KeelTestSupport
import Synchronization
import Testing

/// The ERP connectors against fakes that follow 金蝶云星空's Web API and YonBIP's open API over real HTTP: incremental
/// pulls, pages, Retry-After, malformed and partial answers (nothing kept), and people told when a connector keeps failing.
@Suite struct ERPConnectorTests {
    enum Mode { case normal, rateLimited, malformed, partial, down }

    /// A document as both fakes keep it.
    struct Bill { var number, date, modified: String; var amount, tax: String; var contract: String? }

    final class FakeKingdee: Sendable {
        let receivables = Mutex<[Bill]>([]), receipts = Mutex<[Bill]>([])
        let mode = Mutex(Mode.normal)
        let filters = Mutex<[String]>([])
        static let login = "/K3Cloud/Kingdee.BOS.WebApi.ServicesStub.AuthService.ValidateUser.common.kdsvc"
        static let query = "/K3Cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.ExecuteBillQuery.common.kdsvc"

        func json(_ value: JSONValue, headers: HTTPFields = [:]) -> Response {
            var h = headers
            h[.contentType] = "application/json"
            return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(string: value.canonicalText())))
        }

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.post(RouterPath(Self.login)) { request, _ -> Response in
                let body = try JSONValue.parse(Array(buffer: try await request.body.collect(upTo: 1 << 16)))
                guard body["acctID"] == "6123abc", body["username"] == "keel", body["password"] == "secret", body["lcid"] == 2052 else {
                    return self.json(["LoginResultType": 0, "Message": "用户名或密码错误"])
                }
                return self.json(["LoginResultType": 1, "Message": .null], headers: [.setCookie: "kdservice-sessionid=s-42; path=/"])
            }
            router.post(RouterPath(Self.query)) { request, _ -> Response in
                guard request.headers[.cookie]?.contains("kdservice-sessionid=s-42") == true else {
                    return self.json([[["Result": ["ResponseStatus": ["IsSuccess": false, "Errors": [["Message": "会话信息已丢失，请重新登录"]]]]]]])
                }
                switch self.mode.withLock({ $0 }) {
                case .rateLimited: return Response(status: .tooManyRequests, headers: [.retryAfter: "120"])
                case .down: return Response(status: .internalServerError)
                case .malformed: return Response(status: .ok, headers: [.contentType: "text/html"], body: .init(byteBuffer: ByteBuffer(string: "<html>维护中</html>")))
                case .normal, .partial: break
                }
                let data = try JSONValue.parse(Array(buffer: try await request.body.collect(upTo: 1 << 16)))["data"]!
                let filter = data["FilterString"]?.stringValue ?? ""
                self.filters.withLock { $0.append("\(data["FormId"]!.stringValue!) \(filter)") }
                let since = filter.split(separator: "'").dropFirst().first.map(String.init) ?? ""
                let stored = data["FormId"] == "AR_RECEIVEBILL" ? self.receipts.withLock { $0 } : self.receivables.withLock { $0 }
                let bills = stored.filter { $0.modified >= since }.sorted { ($0.modified, $0.number) < ($1.modified, $1.number) }
                let start = data["StartRow"]?.intValue ?? 0, limit = data["Limit"]?.intValue ?? 2000
                let fields = (data["FieldKeys"]?.stringValue ?? "").split(separator: ",").map(String.init)
                let partial = self.mode.withLock { $0 } == .partial
                let rows: [JSONValue] = bills.dropFirst(start).prefix(limit).map { b in
                    .array(fields.map { f -> JSONValue in
                        switch f {
                        case "FBillNo": .string(b.number)
                        case "FDATE": .string(b.date + "T00:00:00")
                        case "FALLAMOUNTFOR", "FRECEIVEAMOUNTFOR": partial ? .null : .number(Decimal(string: b.amount)!)
                        case "FTAXAMOUNTFOR": .number(Decimal(string: b.tax)!)
                        case "FCURRENCYID.FNumber": "CNY"
                        case "FModifyDate": .string(b.modified)
                        case "F_KEEL_ContractNo": b.contract.map(JSONValue.string) ?? .null
                        default: .number(0)
                        }
                    })
                }
                return self.json(.array(rows))
            }
            return router
        }
    }

    final class FakeYonBIP: Sendable {
        static let key = "yon-app-key", secret = "yon-app-secret"
        let receivables = Mutex<[Bill]>([])
        let tokensRefused = Mutex(0)

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.get("iuap-api-auth/open-auth/selfAppAuth/getAccessToken") { request, _ -> Response in
                let q = request.uri.queryParameters
                let ts = q.get("timestamp") ?? ""
                let expected = Data(HMAC<SHA256>.authenticationCode(for: Array("appKey\(Self.key)timestamp\(ts)".utf8),
                                                                   using: SymmetricKey(data: Array(Self.secret.utf8)))).base64EncodedString()
                guard q.get("appKey") == Self.key, q.get("signature")?.removingPercentEncoding == expected,
                      let ms = Double(ts), abs(ms / 1000 - Date().timeIntervalSince1970) < 300 else {
                    self.tokensRefused.withLock { $0 += 1 }
                    return Self.json(["code": "1002", "message": "签名错误"])
                }
                return Self.json(["code": "00000", "message": "成功!", "data": ["access_token": "tok-1", "expire": 7200]])
            }
            router.post("iuap-api-gateway/yonbip/fi/arap/receivable/list") { request, _ -> Response in
                guard request.uri.queryParameters.get("access_token") == "tok-1" else { return Self.json(["code": "310036", "message": "非法token"]) }
                let body = try JSONValue.parse(Array(buffer: try await request.body.collect(upTo: 1 << 16)))
                let index = body["pageIndex"]?.intValue ?? 1, size = body["pageSize"]?.intValue ?? 10
                let since = body["simpleVOs"]?.arrayValue?.first?["value1"]?.stringValue ?? ""
                let all = self.receivables.withLock { $0 }.filter { $0.modified >= since }.sorted { $0.modified < $1.modified }
                let page = all.dropFirst((index - 1) * size).prefix(size).map { b -> JSONValue in
                    ["code": .string(b.number), "vouchdate": .string(b.date + " 00:00:00"), "oriTaxIncludedAmount": .string(b.amount), "oriTax": .string(b.tax),
                     "pubts": .string(b.modified), "contractCode": b.contract.map(JSONValue.string) ?? .null, "currency_code": "CNY"]
                }
                return Self.json(["code": "200", "message": "操作成功", "data": ["pageIndex": JSONValue(index), "pageSize": JSONValue(size),
                                                                           "recordCount": JSONValue(all.count), "pageCount": JSONValue(max(1, (all.count + size - 1) / size)),
                                                                           "recordList": .array(page)]])
            }
            router.post("iuap-api-gateway/yonbip/fi/arap/receipt/list") { _, _ -> Response in
                Self.json(["code": "200", "message": "操作成功", "data": ["pageIndex": 1, "pageCount": 1, "recordList": []]])
            }
            return router
        }

        static func json(_ value: JSONValue) -> Response {
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: value.canonicalText())))
        }
    }

    static func count(_ keel: Keel) async throws -> Int {
        try await keel.database.read { db in try await db.raw("SELECT COUNT(*) AS n FROM erp_entries").first()!.decode(column: "n", as: Int.self) }
    }

    @Test(arguments: TestDatabase.all)
    func kingdeeIsPulledIncrementallyAndAFailingPullKeepsNothingAndIsTold(_ database: TestDatabase) async throws {
        let fake = FakeKingdee()
        fake.receivables.withLock { $0 = [Bill(number: "AR0001", date: "2026-11-03", modified: "2026-11-03 10:00:00", amount: "1130.00", tax: "130.00", contract: "HT-1"),
                                           Bill(number: "AR0002", date: "2026-11-04", modified: "2026-11-04 09:00:00", amount: "565", tax: "65", contract: nil),
                                           Bill(number: "AR0003", date: "2026-11-05", modified: "2026-11-05 18:30:00", amount: "226.01", tax: "26.01", contract: "HT-3")] }
        fake.receipts.withLock { $0 = [Bill(number: "SK0001", date: "2026-11-10", modified: "2026-11-10 11:00:00", amount: "1130", tax: "0", contract: "HT-1")] }
        let app = Application(router: fake.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            var kingdee = KingdeeClient(baseURL: "http://127.0.0.1:\(client.port!)/K3Cloud", accountSet: "6123abc", username: "keel", password: "secret")
            kingdee.pageSize = 2
            try await database.withKeel(erp: [kingdee]) { keel in
                let admin = try await keel.makeUser()
                let t0 = Date()
                var states = try await keel.erpSync.runDue(at: t0)
                #expect(states.map(\.failures) == [0, 0] && states.map(\.cursor) == ["2026-11-05 18:30:00", "2026-11-10 11:00:00"])
                #expect(try await Self.count(keel) == 4)
                // Two pages of two: both read from the start.
                #expect(fake.filters.withLock { $0 }.filter { $0.hasPrefix("AR_receivable") }.count == 2)
                // Not due again for a quarter of an hour; then only what changed since is asked for.
                #expect(try await keel.erpSync.runDue(at: t0.addingTimeInterval(60)).map(\.lastAttemptAt) == states.map(\.lastAttemptAt))
                fake.receivables.withLock { $0[1].amount = "600"; $0[1].tax = "69.03"; $0[1].modified = "2026-11-20 08:00:00" }
                fake.filters.withLock { $0 = [] }
                states = try await keel.erpSync.runDue(at: t0.addingTimeInterval(16 * 60))
                #expect(fake.filters.withLock { $0 }.contains("AR_receivable FModifyDate >= '2026-11-05 18:30:00'"))
                #expect(states[0].cursor == "2026-11-20 08:00:00")
                #expect(try await Self.count(keel) == 4)
                let run = try await keel.reconciliations.run(as: admin)
                #expect(run.entries == 4 && run.lines.allSatisfy { $0.difference == .missingInCRM })

                // Rate limited: tried again after the ERP's Retry-After, not before.
                fake.mode.withLock { $0 = .rateLimited }
                var now = t0.addingTimeInterval(40 * 60)
                states = try await keel.erpSync.runDue(at: now, force: true)
                #expect(states[0].failures == 1 && states[0].nextAttemptAt == ValueFormats.formatDateTime(now.addingTimeInterval(120)))
                #expect(states[0].lastError?.contains("rate limited") == true)
                // A page that is not JSON, then a document without its amount: nothing of either is kept.
                fake.receivables.withLock { $0.append(Bill(number: "AR0004", date: "2026-11-25", modified: "2026-11-25 09:00:00", amount: "50", tax: "0", contract: nil)) }
                for mode in [Mode.malformed, .partial] {
                    fake.mode.withLock { $0 = mode }
                    now = now.addingTimeInterval(3600)
                    states = try await keel.erpSync.runDue(at: now)
                    #expect(states[0].lastError?.contains("malformed") == true)
                    #expect(try await Self.count(keel) == 4)
                }
                #expect(states[0].failures == 3 && states[0].alerted && states[0].cursor == "2026-11-20 08:00:00")
                let told = try await keel.notifier.notifications(of: admin).items.map(\.title)
                #expect(told.filter { $0.contains("金蝶云星空的应收单已连续 3 次同步失败") }.count == 1)
                // Working again: what was missed is pulled, and people hear it recovered.
                fake.mode.withLock { $0 = .normal }
                states = try await keel.erpSync.runDue(at: now.addingTimeInterval(6 * 3600))
                #expect(states[0].failures == 0 && !states[0].alerted)
                #expect(try await Self.count(keel) == 5)
                #expect(try await keel.notifier.notifications(of: admin).items.contains { $0.title.contains("同步已恢复") })
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func yonBIPIsPulledWithASignedTokenPageByPage(_ database: TestDatabase) async throws {
        let fake = FakeYonBIP()
        fake.receivables.withLock { $0 = (1...5).map { i in
            Bill(number: "YS-AR-\(i)", date: "2026-11-0\(i)", modified: "2026-11-0\(i) 12:00:00", amount: "\(i)13.00", tax: "13.00", contract: "HT-\(i)")
        } }
        let app = Application(router: fake.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            var yonbip = YonBIPClient(baseURL: "http://127.0.0.1:\(client.port!)", appKey: FakeYonBIP.key, appSecret: FakeYonBIP.secret)
            yonbip.pageSize = 2
            try await database.withKeel(erp: [yonbip]) { keel in
                let admin = try await keel.makeUser()
                let states = try await keel.erpSync.run(as: admin)
                #expect(states.map(\.failures) == [0, 0] && fake.tokensRefused.withLock { $0 } == 0)
                #expect(states[0].cursor == "2026-11-05 12:00:00")
                #expect(try await Self.count(keel) == 5)
                let run = try await keel.reconciliations.run(as: admin)
                let booked: Decimal = 100 + 200 + 300 + 400 + 500
                #expect(run.periods.map(\.erp) == [booked])
                // A wrong secret: refused at the token, nothing kept, the state says why.
                let wrong = YonBIPClient(baseURL: "http://127.0.0.1:\(client.port!)", appKey: FakeYonBIP.key, appSecret: "nope")
                let failed = try await ERPSyncProbe.pull(wrong)
                #expect(failed?.contains("no access token") == true)
                // Who may look: admins and finance.
                let rep = try await keel.makeUser("rep@example.com", role: .member)
                await #expect(throws: KeelError.self) { try await keel.erpSync.states(as: rep) }
            }
        }
    }

    /// One pull straight from a connector: why it failed, or nil.
    enum ERPSyncProbe {
        static func pull(_ connector: any ERPConnector) async throws -> String? {
            do { _ = try await connector.pull(.receivable, since: nil, page: 0); return nil } catch let error as ERPError { return error.description }
        }
    }
}
