import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelIntegrations
import KeelServer
import KeelStore
import KeelTestSupport
import Synchronization
import Testing

/// Outbound webhooks against a real HTTP receiver on loopback, on both databases: Standard Webhooks signatures,
/// retries on errors, Retry-After, a receiver that hangs, dead letters with an alert, replay, and the SSRF guard.
@Suite struct WebhookDeliveryTests {
    /// What the receiver got, and how it answers each request in turn (the last answer repeats).
    final class Receiver: Sendable {
        enum Answer: Sendable { case status(Int), tooMany(retryAfter: Int), hang }
        let script: Mutex<[Answer]>
        let received = Mutex<[(headers: HTTPFields, body: [UInt8])]>([])

        init(_ script: [Answer]) {
            self.script = Mutex(script)
        }

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.post("hook") { request, _ -> Response in
                let body = try await request.body.collect(upTo: 1 << 20)
                self.received.withLock { $0.append((request.headers, Array(body.readableBytesView))) }
                let answer = self.script.withLock { s in s.count > 1 ? s.removeFirst() : s[0] }
                switch answer {
                case .status(let code): return Response(status: .init(code: code))
                case .tooMany(let seconds): return Response(status: .tooManyRequests, headers: [.retryAfter: String(seconds)])
                case .hang:
                    try await Task.sleep(for: .seconds(4))
                    return Response(status: .ok)
                }
            }
            return router
        }
    }

    static func deliveries(_ keel: Keel, _ endpoint: String, by admin: Principal) async throws -> [(Job, [JobAttempt])] {
        try await keel.automations.runs(kind: Webhooks.kind, endpoint, by: admin)
    }

    @Test(arguments: TestDatabase.all)
    func deliveriesAreSignedRetriedHonourRetryAfterAndSurviveAHangingReceiver(_ database: TestDatabase) async throws {
        let receiver = Receiver([.status(500), .tooMany(retryAfter: 7200), .hang, .status(204)])
        let clock = ManualClock(Date())
        let app = Application(router: receiver.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await database.withKeel(clock: clock, webhookTimeout: 1) { keel in
                let admin = try await keel.makeUser()
                let endpoint = try await keel.webhooks.create(["id": "erp", "url": .string("http://127.0.0.1:\(client.port!)/hook"),
                                                               "objects": ["accounts"], "events": ["created"], "allowPrivate": true], by: admin)
                #expect(endpoint.secret.hasPrefix("whsec_"))
                _ = try await keel.records.create("accounts", ["name": "钩子公司"], context: WriteContext(principal: admin, source: .api))
                _ = try await keel.records.create("contacts", ["name": "不订阅"], context: WriteContext(principal: admin, source: .api))
                try await keel.automations.dispatch()
                func send() async throws { try await keel.webhooks.deliverDue(worker: "test") }
                try await send()                       // 500 → again in 5 s
                clock.advance(5)
                try await send()                       // 429, Retry-After 2 h → not before then
                clock.advance(300)
                try await send()
                #expect(receiver.received.withLock { $0.count } == 2)
                clock.advance(7200)
                try await send()                       // hangs: cut off after 1 s, again in 30 min
                clock.advance(1800)
                try await send()                       // 204
                let (job, attempts) = try #require(try await Self.deliveries(keel, "erp", by: admin).first)
                #expect(job.status == "done")
                #expect(attempts.map(\.outcome) == ["retry", "retry", "retry", "ok"])
                #expect(attempts.map(\.httpStatus) == [500, 429, nil, 204])
                #expect(attempts[2].error?.contains("no answer") == true)
                #expect(attempts[2].durationMS < 3000)

                let requests = receiver.received.withLock { $0 }
                #expect(requests.count == 4)
                let ids = Set(requests.map { $0.headers[HTTPField.Name("webhook-id")!] ?? "" })
                #expect(ids == ["msg_\(job.id)"])
                for r in requests {
                    let ts = try #require(r.headers[HTTPField.Name("webhook-timestamp")!])
                    let signature = try #require(r.headers[HTTPField.Name("webhook-signature")!])
                    #expect(signature.hasPrefix("v1,"))
                    #expect(StandardWebhook.verify(id: "msg_\(job.id)", timestamp: ts, signatures: signature, body: r.body, secret: endpoint.secret,
                                                   now: Date(timeIntervalSince1970: Double(ts)!)))
                    #expect(!StandardWebhook.verify(id: "msg_\(job.id)", timestamp: ts, signatures: signature, body: r.body + [32], secret: endpoint.secret,
                                                    now: Date(timeIntervalSince1970: Double(ts)!)))
                }
                let body = try JSONValue.parse(requests[3].body)
                #expect(body["type"] == "accounts.created")
                #expect(body["data"]?["record"]?["name"] == "钩子公司")
                #expect(Set(requests.map(\.body)).count == 1)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDeliveryOutOfRetriesIsDeadLetteredWithAnAlertAndCanBeReplayed(_ database: TestDatabase) async throws {
        let receiver = Receiver([.status(503)])
        let clock = ManualClock(Date())
        let app = Application(router: receiver.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await database.withKeel(clock: clock, webhookTimeout: 1) { keel in
                let admin = try await keel.makeUser()
                _ = try await keel.webhooks.create(["id": "crm2", "url": .string("http://127.0.0.1:\(client.port!)/hook"), "allowPrivate": true], by: admin)
                _ = try await keel.records.create("accounts", ["name": "死信公司"], context: WriteContext(principal: admin, source: .api))
                try await keel.automations.dispatch()
                var elapsed = 0.0
                for _ in 0...RetryPolicy.webhooks.delays.count {
                    try await keel.webhooks.deliverDue(worker: "test")
                    let wait = try #require(try await Self.deliveries(keel, "crm2", by: admin).first?.0)
                    guard wait.status == "pending", let next = ValueFormats.parseDateTime(wait.nextAt) else { break }
                    // A little past the time: stored times have millisecond precision.
                    elapsed += next.timeIntervalSince(clock.now()) + 0.01
                    clock.set(next.addingTimeInterval(0.01))
                }
                // About three days of retries, then the dead-letter queue and an alert.
                #expect(elapsed > 2.5 * 86400 && elapsed < 3.5 * 86400)
                let (job, attempts) = try #require(try await Self.deliveries(keel, "crm2", by: admin).first)
                #expect(job.status == "dead")
                #expect(attempts.count == RetryPolicy.webhooks.delays.count + 1)
                #expect(try await keel.notifier.notifications(of: admin).items.contains { $0.title.contains("次尝试后放弃") && $0.title.contains("crm2") })

                receiver.script.withLock { $0 = [.status(200)] }
                try await keel.webhooks.replay(job.id, by: admin)
                try await keel.webhooks.deliverDue(worker: "test")
                #expect(try await Self.deliveries(keel, "crm2", by: admin).first?.0.status == "done")
                let ids = Set(receiver.received.withLock { $0.map { $0.headers[HTTPField.Name("webhook-id")!] ?? "" } })
                #expect(ids == ["msg_\(job.id)"])
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func privateAndLoopbackURLsAreRefusedUnlessAnAdminAllowsThem(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            for url in ["http://127.0.0.1:9/hook", "http://localhost/hook", "http://169.254.169.254/latest/meta-data", "http://10.1.2.3/",
                        "http://[::1]/", "http://192.168.1.10/", "ftp://example.com/", "http://user:pw@example.com/"] {
                let r = try await api.send(.post, "/api/v1/webhooks", json: ["id": "x", "url": .string(url)])
                #expect(r.status == .unprocessableContent, "\(url)")
                #expect(r.body.violationCodes["url"] == "url_refused", "\(url)")
            }
            #expect(try await api.send(.get, "/api/v1/webhooks").body["data"]?.arrayValue?.isEmpty == true)
            let allowed = try await api.send(.post, "/api/v1/webhooks", json: ["id": "local", "url": "http://127.0.0.1:9/hook", "allowPrivate": true])
            #expect(allowed.status == .created)
            #expect(allowed.body["secret"]?.stringValue?.hasPrefix("whsec_") == true)
            // The secret is shown once.
            #expect(try await api.send(.get, "/api/v1/webhooks").body["data"]?[0]?["secret"] == nil)
            #expect(OutboundAddress.isPrivate("100.64.0.1") && OutboundAddress.isPrivate("::ffff:127.0.0.1") && OutboundAddress.isPrivate("fd00::1"))
            #expect(!OutboundAddress.isPrivate("8.8.8.8") && !OutboundAddress.isPrivate("2001:4860:4860::8888"))
        }
    }
}

extension JSONValue {
    subscript(index: Int) -> JSONValue? { arrayValue.flatMap { index < $0.count ? $0[index] : nil } }
}
