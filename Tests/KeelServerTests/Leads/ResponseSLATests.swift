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

/// Response SLAs end to end on both databases, against fake vendor receivers over real HTTP on loopback that check
/// each request as the vendor documents it (DingTalk's and Feishu's signatures, Aliyun's RPC signature) and answer as
/// the vendor does (an error code in a 200 when they refuse).
@Suite struct ResponseSLATests {
    /// Fake WeCom, DingTalk, Feishu and Aliyun endpoints on one server.
    final class Vendors: Sendable {
        let dingSecret = "SEC-ding", feishuSecret = "SEC-feishu", aliyunSecret = "aliyun-secret"
        /// What each got: path and body (the form or JSON).
        let received = Mutex<[(path: String, query: String, body: String)]>([])
        /// The Aliyun actions to refuse with a code (as Aliyun does for a number it cannot call).
        let refuse = Mutex<[String: String]>([:])
        /// Answer every robot with this errcode (0: accept).
        let robotError = Mutex(0)

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.post("robot/send") { request, _ -> Response in
                let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
                let query = request.uri.query ?? ""
                self.received.withLock { $0.append(("dingtalk", query, body)) }
                let items = URLComponents(string: "http://x/?" + query)?.queryItems ?? []
                let timestamp = items.first { $0.name == "timestamp" }?.value ?? "", sign = items.first { $0.name == "sign" }?.value ?? ""
                let good = ChatRobot.dingTalkSign(timestamp: timestamp, secret: self.dingSecret) == sign
                    && abs((Double(timestamp) ?? 0) / 1000 - Date().timeIntervalSince1970) < 3600 * 24
                return Self.json(good ? #"{"errcode":\#(self.robotError.withLock { $0 }),"errmsg":"ok"}"# : #"{"errcode":310000,"errmsg":"sign not match"}"#)
            }
            router.post("open-apis/bot/v2/hook/h") { request, _ -> Response in
                let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
                self.received.withLock { $0.append(("feishu", "", body)) }
                let json = try JSONValue.parse(text: body)
                let good = ChatRobot.feishuSign(timestamp: json["timestamp"]?.stringValue ?? "", secret: self.feishuSecret) == json["sign"]?.stringValue
                return Self.json(good ? #"{"code":0,"msg":"success"}"# : #"{"code":19021,"msg":"sign match fail"}"#)
            }
            router.post("aliyun") { request, _ -> Response in
                let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
                var fields: [String: String] = [:]
                for pair in body.split(separator: "&") {
                    let kv = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
                    fields[kv[0]] = kv.count > 1 ? kv[1] : ""
                }
                self.received.withLock { $0.append(("aliyun", fields["Action"] ?? "", body)) }
                let signature = fields["Signature"]
                fields["Signature"] = nil
                guard AliyunRPC.signature(AliyunRPC.canonical(fields), secret: self.aliyunSecret, method: "POST") == signature else {
                    return Self.json(#"{"Code":"SignatureDoesNotMatch","Message":"Specified signature is not matched with our calculation."}"#, status: .badRequest)
                }
                if let code = self.refuse.withLock({ $0[fields["Action"] ?? ""] }) { return Self.json(#"{"Code":"\#(code)","Message":"refused"}"#) }
                return Self.json(#"{"Code":"OK","Message":"OK","RequestId":"r1"}"#)
            }
            return router
        }

        static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
            Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
        }
    }

    static func team(_ keel: Keel) async throws -> (admin: Principal, manager: Principal, rep: Principal) {
        let admin = try await keel.makeUser()
        let manager = try await keel.auth.createUser(NewUser(email: "wang.lei@example.com", password: "correct horse", name: "王磊", role: .manager), by: nil).principal
        let rep = try await keel.auth.createUser(NewUser(email: "li.na@example.com", password: "correct horse", name: "李娜", role: .member,
                                                         managerEmail: "wang.lei@example.com"), by: nil).principal
        var reach = UserChanges()
        reach.mobile = .some("139 1234 5678")
        reach.feishuID = .some("ou_lina")
        _ = try await keel.auth.updateUser(rep.userID, reach, by: rep)
        return (admin, manager, rep)
    }

    /// The vendors served on loopback, and a Keel on a manual clock beside them; `base` is the vendors' address.
    static func withVendors(_ vendors: Vendors, _ database: TestDatabase, _ body: @escaping @Sendable (String, Keel, ManualClock) async throws -> Void) async throws {
        let clock = ManualClock(Date())
        let app = Application(router: vendors.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await database.withKeel(clock: clock, webhookTimeout: 2) { keel in try await body("http://127.0.0.1:\(client.port!)", keel, clock) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func missedTargetsEscalateOnceThroughEachTierAndSurviveARestart(_ database: TestDatabase) async throws {
        let vendors = Vendors()
        vendors.refuse.withLock { $0["SingleCallByTts"] = "isv.OUT_OF_SERVICE" }
        try await Self.withVendors(vendors, database) { base, keel, clock in
            let (admin, manager, rep) = try await Self.team(keel)
            // A rule naming a robot that is not set up is saved with a warning naming its path.
            let sla: JSONValue = ["calendar": "24x7", "targets": ["viewed": 2, "status_changed": 5],
                                  "robot": "sales-ding", "robotAfter": 10, "callAfter": 30]
            let routing: JSONValue = ["rules": [["id": "all", "name": "全部", "members": ["li.na@example.com"], "sla": sla]]]
            #expect(try await keel.records.setLeadRouting(routing, by: admin).warnings.map(\.field) == ["rules[0].sla.robot"])
            let channels = try await keel.escalations.setChannels([
                "robots": [["id": "sales-ding", "kind": "dingtalk", "url": .string("\(base)/robot/send?access_token=T"), "secret": .string(vendors.dingSecret),
                            "allowPrivate": true]],
                "voice": ["accessKeyId": "LTAI-test", "accessKeySecret": .string(vendors.aliyunSecret), "signName": "Keel", "smsTemplate": "SMS_1",
                          "ttsCode": "TTS_1", "calledShowNumber": "057100000000", "smsEndpoint": .string("\(base)/aliyun"),
                          "voiceEndpoint": .string("\(base)/aliyun"), "allowPrivate": true],
            ], by: admin)
            // Secrets are never shown.
            #expect(channels["robots"]?[0]?["secret"] == nil && channels["robots"]?[0]?["hasSecret"] == true && channels["voice"]?["accessKeySecret"] == nil)
            #expect(try await keel.records.leadRouting(as: admin).warnings.isEmpty)

            let lead = try await keel.records.create("leads", ["name": "周杰", "company": "深圳海川科技有限公司", "phone": "13812345678"],
                                                     context: WriteContext(principal: admin, source: .api)).json
            let id = try #require(lead["id"]?.stringValue)
            #expect(lead["owner"] == .string(rep.userID))
            // Background time starts when the lead was assigned.
            clock.set(try #require(lead["assigned_at"]?.stringValue.flatMap(ValueFormats.parseDateTime)))
            #expect(try await keel.records.responseTimers(lead: id, as: admin).count == 6)
            // Nothing is due yet.
            #expect(try await keel.escalations.fireDue() == 0)

            // The rep opens it within 2 minutes: the "viewed" target is met, its tiers never fire.
            clock.advance(60)
            try await keel.records.noteViewed(lead: id, by: rep)
            clock.advance(4 * 60 + 1)
            #expect(try await keel.escalations.fireDue() == 1)
            #expect(try await keel.escalations.fireDue() == 0)
            let breached = try await keel.records.get("leads", id: id, as: admin).0
            #expect(breached.value("sla_breach") == "5 分钟内未更新状态" && breached.value("sla_breached_at").stringValue != nil)
            #expect(try await keel.notifier.notifications(of: rep).items.contains { $0.title == "⏰ 线索「周杰」5 分钟内未更新状态，请尽快处理" })

            // Ten minutes on, the robot @-mentions the rep (by mobile) and the manager hears of it.
            clock.advance(10 * 60)
            #expect(try await keel.escalations.fireDue() == 1)
            #expect(try await keel.notifier.notifications(of: manager).items.contains { $0.title.contains("李娜 的线索「周杰」5 分钟内未更新状态，已升级为群机器人提醒") })
            #expect(try await keel.escalations.deliverDue(worker: "test") == 1)
            let ding = try #require(vendors.received.withLock { $0.first { $0.path == "dingtalk" } })
            let message = try JSONValue.parse(text: ding.body)
            #expect(message["at"]?["atMobiles"] == ["13912345678"])
            #expect(message["text"]?["content"]?.stringValue?.hasPrefix("@13912345678 @王磊 【线索超时】深圳海川科技有限公司 周杰：分配给 李娜 后5 分钟内未更新状态") == true)

            // A restart: another Keel over the same database carries on where this one stopped.
            let restarted = Keel(database: keel.database, timeZone: keel.timeZone, clock: clock, webhookTimeout: 2, registry: nil)
            clock.advance(20 * 60)
            #expect(try await restarted.escalations.fireDue() == 1)
            #expect(try await restarted.escalations.deliverDue(worker: "test") == 1)
            // The call could not be placed: the same words went by SMS, both signed as Aliyun checks.
            let actions = vendors.received.withLock { $0.filter { $0.path == "aliyun" }.map(\.query) }
            #expect(actions == ["SingleCallByTts", "SendSms"])
            let timers = try await keel.records.responseTimers(lead: id, as: admin)
            #expect(timers.filter { $0.status == .met }.map(\.event) == [.viewed, .viewed, .viewed])
            #expect(timers.filter { $0.status == .fired }.map(\.tier) == [.notify, .robot, .call])
            let fired = timers.filter { $0.status == .fired }
            #expect(fired.first { $0.tier == .notify }?.outcome == "notified:李娜")
            #expect(fired.first { $0.tier == .robot }?.outcome == "sent:sales-ding")
            #expect(fired.first { $0.tier == .call }?.outcome == "sms:13912345678:aliyun isv.OUT_OF_SERVICE: refused")
            #expect(try await restarted.escalations.fireDue() == 0)
            #expect(try await keel.escalations.fireDue() == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAnswerAfterTheDeadlineIsABreachEvenBeforeTheTimerFired(_ database: TestDatabase) async throws {
        try await Self.withVendors(Vendors(), database) { _, keel, clock in
            let (admin, _, rep) = try await Self.team(keel)
            let routing: JSONValue = ["rules": [["id": "all", "name": "全部", "members": ["li.na@example.com"],
                                                 "sla": ["calendar": "24x7", "targets": ["viewed": 2, "status_changed": 30]]]]]
            _ = try await keel.records.setLeadRouting(routing, by: admin)
            let lead = try await keel.records.create("leads", ["name": "周杰", "company": "深圳海川科技有限公司", "phone": "13812345678"],
                                                     context: WriteContext(principal: admin, source: .api)).json
            let id = try #require(lead["id"]?.stringValue)
            let assigned = try #require(lead["assigned_at"]?.stringValue.flatMap(ValueFormats.parseDateTime))
            // The rep opens it after three minutes, before the worker has looked: the 2-minute target is missed all the same.
            try await keel.records.noteViewed(lead: id, by: rep, at: assigned.addingTimeInterval(180))
            clock.set(assigned.addingTimeInterval(181))
            #expect(try await keel.escalations.fireDue() == 1)
            #expect(try await keel.records.get("leads", id: id, as: admin).0.value("sla_breach") == "2 分钟内未查看")
            // Opened in time, the lead's other target is met by a status change within its 30 minutes.
            _ = try await keel.records.update("leads", id: id, ["status": "contacted"], expectedVersion: nil, context: WriteContext(principal: rep, source: .api))
            let timers = try await keel.records.responseTimers(lead: id, as: admin)
            #expect(timers.map { "\($0.event.rawValue) \($0.status.rawValue)" }.sorted() == ["status_changed met", "viewed fired"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func failedMessagesRetryThenAlertAndHandsOverStartAfreshWhileWorkAndActivitiesMeetTargets(_ database: TestDatabase) async throws {
        let vendors = Vendors()
        vendors.robotError.withLock { $0 = 45009 }
        try await Self.withVendors(vendors, database) { base, keel, clock in
            let (admin, manager, rep) = try await Self.team(keel)
            // Aliyun's own endpoints are taken as they are (no look-up of a user's address).
            let aliyun = try await keel.escalations.setChannels(["voice": ["accessKeyId": "LTAI", "accessKeySecret": "s", "signName": "Keel", "smsTemplate": "SMS_1",
                                                                          "ttsCode": "TTS_1", "calledShowNumber": "057100000000"]], by: admin)
            #expect(aliyun["voice"]?["voiceEndpoint"] == "https://dyvmsapi.aliyuncs.com/")
            _ = try await keel.escalations.setChannels([
                "robots": [["id": "feishu", "kind": "feishu", "url": .string("\(base)/open-apis/bot/v2/hook/h"), "secret": .string(vendors.feishuSecret),
                            "allowPrivate": true],
                           ["id": "ding", "kind": "dingtalk", "url": .string("\(base)/robot/send?access_token=T"), "secret": .string(vendors.dingSecret),
                            "allowPrivate": true]],
            ], by: admin)
            let missing = await #expect(throws: KeelError.self) {
                try await keel.escalations.setChannels(["robots": [["id": "f", "kind": "feishu", "url": .string("\(base)/open-apis/bot/v2/hook/h"), "allowPrivate": true]]],
                                                       by: admin)
            }
            #expect(missing?.violations.map(\.field) == ["robots[0].secret"])
            await #expect(throws: KeelError.self) { try await keel.escalations.setChannels(["robots": []], by: rep) }
            _ = try await keel.records.setLeadRouting(["rules": [["id": "all", "name": "全部", "members": ["li.na@example.com"],
                                                                  "sla": ["calendar": "24x7", "targets": ["contacted": 30],
                                                                          "robot": "ding", "robotAfter": 0]]]], by: admin)

            let ctx = WriteContext(principal: admin, source: .api)
            let first = try #require(try await keel.records.create("leads", ["name": "甲", "phone": "13812340001"], context: ctx).json["id"]?.stringValue)
            let second = try #require(try await keel.records.create("leads", ["name": "乙", "phone": "13812340002"], context: ctx).json["id"]?.stringValue)
            let created = try await keel.records.create("leads", ["name": "丙", "phone": "13812340003"], context: ctx).json
            let third = try #require(created["id"]?.stringValue)
            // Background time starts when the last was assigned.
            clock.set(try #require(created["assigned_at"]?.stringValue.flatMap(ValueFormats.parseDateTime)))
            // An activity logged on the first meets its target; the second is handed to the manager (the rep's
            // timers cancelled, the manager's started); the third is left.
            _ = try await keel.records.create("activities", ["type": "call", "subject": "首次电话", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(first)],
                                              context: WriteContext(principal: rep, source: .web))
            _ = try await keel.records.update("leads", id: second, ["owner": .string(manager.userID)], expectedVersion: nil, context: ctx)
            let handed = try await keel.records.responseTimers(lead: second, as: admin)
            #expect(handed.filter { $0.ownerID == rep.userID }.allSatisfy { $0.status == .cancelled })
            #expect(handed.filter { $0.ownerID == manager.userID && $0.status == .pending }.count == 2)
            // The manager calls and says so: the status leaving "new" meets the target.
            _ = try await keel.records.update("leads", id: second, ["status": "contacted"], expectedVersion: nil, context: WriteContext(principal: manager, source: .web))
            #expect(try await keel.records.responseTimers(lead: second, as: admin).filter { $0.ownerID == manager.userID }.allSatisfy { $0.status == .met })
            clock.advance(30 * 60 + 1)
            #expect(try await keel.escalations.fireDue() == 2)   // the third's two tiers
            #expect(try await keel.records.responseTimers(lead: first, as: admin).allSatisfy { $0.status == .met })

            // DingTalk refuses (45009, too many messages): retried on the policy's schedule, then the admins are told
            // and the lead shows why.
            for delay in [0.0] + RetryPolicy.escalations.delays {
                clock.advance(delay)
                #expect(try await keel.escalations.deliverDue(worker: "test") == 1)
            }
            let robot = try #require(try await keel.records.responseTimers(lead: third, as: admin).first { $0.tier == .robot })
            #expect(robot.outcome == "failed:dingtalk error 45009: ok")
            #expect(vendors.received.withLock { $0.filter { $0.path == "dingtalk" }.count } == 1 + RetryPolicy.escalations.delays.count)
            #expect(try await keel.notifier.notifications(of: admin).items.contains { $0.title.hasPrefix("⚠ 线索超时升级未能送达（ding）") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func routingPassesRepsOnLeaveAndTheirDeadlinesCountWorkingHours(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let (admin, _, rep) = try await Self.team(keel)
            let other = try await keel.makeUser("zhao.min@example.com", role: .member)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "all", "name": "全部", "members": ["li.na@example.com", "zhao.min@example.com"],
                                                                  "sla": ["targets": ["contacted": 60]]]]], by: admin)
            let today = keel.day(Date())
            var leave = UserChanges()
            leave.away = .some((today, "2099-01-01"))
            let away = try await keel.auth.updateUser(rep.userID, leave, by: rep)
            #expect(away.awayFrom == today)
            var bad = UserChanges()
            bad.away = .some(("2026-12-05", "2026-12-01"))
            #expect(await #expect(throws: KeelError.self) { try await keel.auth.updateUser(rep.userID, bad, by: rep) }?.violations.first?.field == "away")
            var wrongPhone = UserChanges()
            wrongPhone.mobile = .some("12345")
            #expect(await #expect(throws: KeelError.self) { try await keel.auth.updateUser(rep.userID, wrongPhone, by: rep) }?.violations.first?.field == "mobile")
            // A rep changes only their own reach and leave.
            await #expect(throws: KeelError.self) { try await keel.auth.updateUser(other.userID, leave, by: rep) }

            let ctx = WriteContext(principal: admin, source: .api)
            for n in 0..<3 {
                let lead = try await keel.records.create("leads", ["name": .string("休假测试\(n)"), "phone": .string("1381234500\(n)")], context: ctx).json
                #expect(lead["owner"] == .string(other.userID))
                #expect(lead["assignment_reason"]?.stringValue?.contains("跳过 李娜（休假至 2099-01-01）") == true)
                let timer = try #require(try await keel.records.responseTimers(lead: lead["id"]!.stringValue!, as: admin).first)
                // Sixty working minutes: never at night or on a weekend.
                let deadline = try #require(ValueFormats.parseDateTime(timer.deadline))
                let created = try #require(ValueFormats.parseDateTime(timer.assignedAt))
                #expect(WorkingCalendar().workingSeconds(from: created, to: deadline, in: keel.timeZone) == 3600)
            }
        }
    }
}

@Suite struct ExistingCustomerTests {
    @Test(arguments: TestDatabase.all)
    func aLeadFromAnExistingCustomerIsLinkedAndGoesToItsOwnerOrByTheRules(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let holder = try await keel.makeUser("zhang.wei@example.com", role: .member), other = try await keel.makeUser("zhao.min@example.com", role: .member)
            let ctx = WriteContext(principal: admin, source: .api)
            let account = try #require(try await keel.records.create("accounts", ["name": "深圳市海川科技有限公司", "owner": .string(holder.userID)], context: ctx).json["id"]?.stringValue)
            let contact = try #require(try await keel.records.create("contacts", ["name": "周杰", "mobile": "13812345678", "account": .string(account),
                                                                                 "owner": .string(holder.userID)], context: ctx).json["id"]?.stringValue)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "all", "name": "全部", "members": ["zhao.min@example.com"]]]], by: admin)

            // The same person (by phone): linked to the contact and its account, and given to their owner.
            let known = try await keel.records.create("leads", ["name": "周杰", "phone": "138 1234 5678", "company": "海川"], context: ctx).json
            #expect(known["customer_contact"] == .string(contact) && known["customer_account"] == .string(account))
            #expect(known["owner"] == .string(holder.userID) && known["assignment_reason"] == "已有客户「深圳市海川科技有限公司」，归其负责人 zhang.wei")
            // Someone new at a known company: linked to the account by its name.
            let colleague = try await keel.records.create("leads", ["name": "吴芳", "phone": "13912340000", "company": "深圳市海川科技有限公司"], context: ctx).json
            #expect(colleague["customer_account"] == .string(account) && colleague["customer_contact"] == .null && colleague["owner"] == .string(holder.userID))
            // A stranger is routed by the rules.
            let stranger = try await keel.records.create("leads", ["name": "郑强", "phone": "13712340000", "company": "杭州云启网络有限公司"], context: ctx).json
            #expect(stranger["customer_account"] == .null && stranger["owner"] == .string(other.userID))

            // Linked only: the rules decide the owner.
            _ = try await keel.records.setLeadRouting(["existingCustomers": "link", "rules": [["id": "all", "name": "全部", "members": ["zhao.min@example.com"]]]], by: admin)
            let linked = try await keel.records.create("leads", ["name": "李雷", "phone": "13612340000", "company": "深圳市海川科技有限公司"], context: ctx).json
            #expect(linked["customer_account"] == .string(account) && linked["owner"] == .string(other.userID))
            let refused = await #expect(throws: KeelError.self) {
                try await keel.records.setLeadRouting(["existingCustomers": "merge", "rules": []], by: admin)
            }
            #expect(refused?.violations.map(\.field) == ["existingCustomers"])
        }
    }
}
