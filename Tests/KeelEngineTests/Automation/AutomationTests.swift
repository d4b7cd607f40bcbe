import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

/// Automations on both databases: triggers, conditions, actions, idempotent runs, retries, loops, versions.
@Suite struct AutomationTests {
    static func ctx(_ p: Principal) -> WriteContext { WriteContext(principal: p, source: .api) }

    static func opportunity(_ keel: Keel, _ values: [String: JSONValue], by p: Principal) async throws -> String {
        try #require(try await keel.records.create("opportunities", values, context: ctx(p)).json["id"]?.stringValue)
    }

    static func value(_ keel: Keel, _ object: String, _ id: String, _ field: String, as p: Principal) async throws -> JSONValue {
        try await keel.records.get(object, id: id, as: p).0.value(field)
    }

    static func count(_ keel: Keel, _ sql: SQLQueryString) async throws -> Int {
        try await keel.database.read { try await $0.raw(sql).first()!.decode(column: "n", as: Int.self) }
    }

    @Test(arguments: TestDatabase.all)
    func stageEnteredSetsFieldsCreatesATaskAndNotifiesOnceEvenWhenRunTwice(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            _ = try await keel.automations.publish([
                "id": "negotiation-review", "label": "谈判评审", "object": "opportunities",
                "trigger": ["type": "stage_entered", "stage": "negotiation"],
                "condition": "amount > 100000",
                "actions": [
                    ["type": "set_fields", "values": ["probability": "85"]],
                    ["type": "create_record", "object": "tasks", "values": ["subject": "\"合同评审: \" & name", "related_to": "id", "assignee": "owner"]],
                    ["type": "notify", "to": ["owner", "role:admin"], "message": "name & \" 进入谈判\""],
                ],
            ], by: admin)
            let big = try await Self.opportunity(keel, ["name": "大单", "amount": 500_000], by: rep)
            let small = try await Self.opportunity(keel, ["name": "小单", "amount": 5_000], by: rep)
            for id in [big, small] {
                _ = try await keel.records.update("opportunities", id: id, ["stage": "negotiation"], expectedVersion: nil, context: Self.ctx(rep))
            }
            let worker = Worker(keel: keel)
            try await worker.drain()

            // The big deal's probability is the automation's; the small one's followed its stage.
            #expect(try await Self.value(keel, "opportunities", big, "probability", as: admin) == .number(85))
            #expect(try await Self.value(keel, "opportunities", small, "probability", as: admin) == .number(80))
            let history = try await keel.records.history("opportunities", id: big, as: admin)
            #expect(history.contains { $0.field == "probability" && $0.source == "automation" })
            let tasks = try await keel.records.list("tasks", params: [], as: admin).records
            #expect(tasks.map { $0.value("subject") } == ["合同评审: 大单"])
            #expect(tasks.first?.value("related_to") == .string(big))
            #expect(tasks.first?.value("assignee") == .string(rep.userID))
            #expect(try await keel.notifier.notifications(of: rep).items.map(\.title) == ["大单 进入谈判"])
            #expect(try await keel.notifier.notifications(of: admin).items.map(\.title) == ["大单 进入谈判"])

            let runs = try await keel.automations.runs("negotiation-review", by: admin)
            #expect(Set(runs.map(\.0.status)) == ["done", "skipped"])
            #expect(runs.first { $0.0.status == "skipped" }?.0.lastError == "the condition is false")

            // A run repeated (a crash after its actions, before it was marked done) does not act twice.
            try await keel.database.write { try await $0.raw("UPDATE jobs SET status = 'pending' WHERE status = 'done'").run() }
            try await worker.drain()
            #expect(try await keel.records.list("tasks", params: [], as: admin).records.count == 1)
            #expect(try await keel.notifier.notifications(of: rep).items.count == 1)
            let stats = try await keel.automations.stats().first { $0.ref == "negotiation-review" }
            #expect(stats?.succeeded == 1 && stats?.skipped == 1 && stats?.successRate == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func anAutomationThatFiresItselfIsHaltedWithAnAlert(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "touches", "type": "number"], as: admin)
            _ = try await keel.automations.publish([
                "id": "bump", "object": "opportunities", "trigger": ["type": "updated"],
                "actions": [["type": "set_fields", "values": ["touches": "BLANKVALUE(touches, 0) + 1"]]],
            ], by: admin)
            let id = try await Self.opportunity(keel, ["name": "环"], by: admin)
            _ = try await keel.records.update("opportunities", id: id, ["amount": 1], expectedVersion: nil, context: Self.ctx(admin))
            try await Worker(keel: keel).drain()

            let item = try #require(try await keel.automations.list(by: admin).first)
            #expect(item.status == "halted")
            #expect(item.statusReason?.contains("loop") == true)
            #expect(try await Self.value(keel, "opportunities", id, "touches", as: admin) == JSONValue(Double(Automations.maxChainDepth)))
            let alerts = try await keel.notifier.notifications(of: admin).items.map(\.title)
            #expect(alerts.contains { $0.contains("bump") && $0.contains("已暂停") })
            // Nothing is left running, and a person's next change does not fire it until it is turned on again.
            _ = try await keel.records.update("opportunities", id: id, ["amount": 2], expectedVersion: nil, context: Self.ctx(admin))
            try await Worker(keel: keel).drain()
            #expect(try await Self.value(keel, "opportunities", id, "touches", as: admin) == JSONValue(Automations.maxChainDepth))
            _ = try await keel.automations.setEnabled("bump", true, by: admin)
            #expect(try await keel.automations.list(by: admin).first?.status == "active")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aLockedRecordIsRetriedWithBackoffAndAnInvalidWriteFailsWithAnAlert(_ database: TestDatabase) async throws {
        let clock = ManualClock(instant("2026-11-23T10:00:00+08:00"))
        try await database.withKeel(clock: clock) { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.approvals.publish([
                "id": "big-deal", "object": "opportunities", "steps": [["name": "总部", "approver": "role:admin"]],
            ], by: admin)
            _ = try await keel.automations.publish([
                "id": "gate", "object": "opportunities", "trigger": ["type": "field_changed", "field": "amount"],
                "condition": "amount > 1000000",
                "actions": [
                    ["type": "start_approval", "process": "big-deal"],
                    ["type": "set_fields", "values": ["probability": "10"]],
                ],
            ], by: admin)
            let id = try await Self.opportunity(keel, ["name": "千万单"], by: admin)
            _ = try await keel.records.update("opportunities", id: id, ["amount": 20_000_000], expectedVersion: nil, context: Self.ctx(admin))
            let worker = Worker(keel: keel)
            try await worker.drain()

            // The approval locked the record, so setting the field failed and waits 30 s to be tried again.
            var job = try #require(try await keel.automations.runs("gate", by: admin).first?.0)
            #expect(job.status == "pending" && job.attempts == 1, "\(job)")
            #expect(job.lastError?.contains("waiting for approval") == true)
            #expect(job.nextAt == ValueFormats.formatDateTime(clock.now().addingTimeInterval(30)))
            let request = try #require(try await keel.approvals.requests(status: "pending", by: admin).first)
            _ = try await keel.approvals.decide(request.id, approve: true, comment: "", by: admin)
            try await worker.drain()
            #expect(try await keel.automations.runs("gate", by: admin).first?.0.status == "pending")
            clock.advance(31)
            try await worker.drain()
            let runs = try await keel.automations.runs("gate", by: admin)
            job = try #require(runs.first?.0)
            #expect(job.status == "done" && job.attempts == 2)
            #expect(runs.first?.1.map(\.outcome) == ["retry", "done"])
            // The retried run found the approval it had started instead of starting another.
            #expect(try await keel.approvals.requests(status: nil, by: admin).count == 1)

            // A write that can never succeed fails at once, and the admins are told.
            _ = try await keel.automations.publish([
                "id": "bad-account", "object": "opportunities", "trigger": ["type": "updated"], "condition": "amount = 1",
                "actions": [["type": "create_record", "object": "accounts", "values": ["name": "\"\""]]],
            ], by: admin)
            _ = try await keel.records.update("opportunities", id: id, ["amount": 1], expectedVersion: nil, context: Self.ctx(admin))
            try await worker.drain()
            let failed = try #require(try await keel.automations.runs("bad-account", by: admin).first?.0)
            #expect(failed.status == "failed" && failed.attempts == 1)
            #expect(try await keel.notifier.notifications(of: admin).items.contains { $0.title.hasPrefix("⚠ 自动化 bad-account 运行失败") })
            #expect(try await keel.automations.stats().first { $0.ref == "bad-account" }?.successRate == 0)

            // A month on, runs that went well are pruned; failures stay for the admins.
            clock.advance(Automations.retention + 60)
            try await keel.automations.prune()
            #expect(try await keel.automations.runs("gate", by: admin).isEmpty)
            #expect(try await keel.automations.runs("bad-account", by: admin).map(\.0.status) == ["failed"])
            #expect(try await Self.count(keel, "SELECT COUNT(*) AS n FROM outbox") == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func runsUseTheVersionTheyWereFiredWith(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            func publish(_ message: String) async throws {
                _ = try await keel.automations.publish([
                    "id": "hello", "object": "accounts", "trigger": ["type": "created"],
                    "actions": [["type": "notify", "to": ["owner"], "message": .string(message)]],
                ], by: admin)
            }
            try await publish("\"v1: \" & name")
            _ = try await keel.records.create("accounts", ["name": "甲"], context: Self.ctx(admin))
            try await keel.automations.dispatch()
            try await publish("\"v2: \" & name")
            try await Worker(keel: keel).drain()
            _ = try await keel.records.create("accounts", ["name": "乙"], context: Self.ctx(admin))
            try await Worker(keel: keel).drain()
            #expect(Set(try await keel.notifier.notifications(of: admin).items.map(\.title)) == ["v1: 甲", "v2: 乙"])
            let versions = try await keel.automations.versions("hello", by: admin)
            #expect(versions.map(\.version) == [2, 1])
            #expect(versions.last?.definition["actions"]?.arrayValue?.first?["message"] == "\"v1: \" & name")
        }
    }

    /// SQLite commits writes that queue up together in one transaction. When the dispatch's write joins the group of
    /// the change it reports, the webhook's payload still shows the record as changed (read on the write's own
    /// connection, not on a reader that sees only what the group had not yet begun).
    @Test func aWebhookDispatchedInTheGroupOfItsChangeCarriesTheChangedRecord() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.webhooks.create(["id": "erp", "url": "http://127.0.0.1:9/hook", "allowPrivate": true,
                                                "objects": ["accounts"], "events": ["updated"]], by: admin)
            let account = try #require(try await keel.records.create("accounts", ["name": "杭州旧名有限公司"], context: Self.ctx(admin)).json["id"]?.stringValue)
            // The account's creation is still to be dispatched, so the dispatch below goes on to write.
            // One write holds the writer; the rename and then the dispatch queue behind it.
            let (entered, signal) = AsyncStream<Void>.makeStream()
            let (release, go) = AsyncStream<Void>.makeStream()
            let holder = Task { try await keel.database.write { _ in signal.yield(); for await _ in release { break } } }
            for await _ in entered { break }
            let commits = keel.database.poolStatus.commits
            let rename = Task { try await keel.records.update("accounts", id: account, ["name": "杭州新名有限公司"], expectedVersion: nil, context: Self.ctx(admin)) }
            while keel.database.poolStatus.waitingWriters < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let dispatch = Task { try await keel.automations.dispatch() }
            while keel.database.poolStatus.waitingWriters < 2 { try await Task.sleep(for: .milliseconds(5)) }
            go.yield()
            try await holder.value
            _ = try await rename.value
            #expect(try await dispatch.value == 2)
            #expect(keel.database.poolStatus.commits == commits + 1, "the three writes were not committed as one group")
            let payload = try #require(try await keel.automations.runs(kind: Webhooks.kind, "erp", by: admin).first?.0.payload)
            #expect(payload["data"]?["record"]?["name"] == "杭州新名有限公司")
            #expect(payload["data"]?["changes"]?["name"]?["new"] == "杭州新名有限公司")
        }
    }

    @Test(arguments: TestDatabase.all)
    func channelsGetMessagesInTheirRobotsFormatAndRecordsGoToSubscribedEndpoints(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            // Robots on the internet are not reachable here: the deliveries are checked as queued, not sent.
            _ = try await keel.webhooks.create(["id": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "allowPrivate": true,
                                                "objects": ["contacts"]], by: admin)
            _ = try await keel.webhooks.create(["id": "feishu", "url": "https://open.feishu.cn/open-apis/bot/v2/hook/x", "allowPrivate": true,
                                                "objects": ["contacts"]], by: admin)
            _ = try await keel.automations.publish([
                "id": "tell-the-team", "object": "accounts", "trigger": ["type": "created"],
                "actions": [["type": "notify", "to": ["channel:wecom", "channel:feishu"], "message": "\"新客户: \" & name"]],
            ], by: admin)
            _ = try await keel.records.create("accounts", ["name": "飞书公司"], context: Self.ctx(admin))
            let worker = Worker(keel: keel)
            try await keel.automations.dispatch()
            try await keel.automations.runDue(worker: worker.id)
            let wecom = try #require(try await keel.automations.runs(kind: Webhooks.kind, "wecom", by: admin).first?.0.payload)
            #expect(wecom == ["msgtype": "text", "text": ["content": "新客户: 飞书公司"]])
            let feishu = try #require(try await keel.automations.runs(kind: Webhooks.kind, "feishu", by: admin).first?.0.payload)
            #expect(feishu == ["msg_type": "text", "content": ["text": "新客户: 飞书公司"]])
            // Endpoints subscribed to contacts get contact changes only.
            _ = try await keel.records.create("contacts", ["name": "张三"], context: Self.ctx(admin))
            try await keel.automations.dispatch()
            let deliveries = try await keel.automations.runs(kind: Webhooks.kind, "wecom", by: admin).map(\.0.payload["type"])
            #expect(deliveries.contains("contacts.created") && deliveries.count == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badDefinitionsAreRefusedWithEveryProblemAndNothingPublished(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let member = try await keel.makeUser("m@example.com", role: .member)
            do {
                _ = try await keel.automations.publish([
                    "id": "bad id!", "object": "opportunities", "trigger": ["type": "stage_entered", "stage": "won"],
                    "condition": "amount >",
                    "actions": [
                        ["type": "set_fields", "values": ["nope": "1", "amount": "\"text\""]],
                        ["type": "webhook", "endpoint": "erp"],
                        ["type": "teleport"],
                    ],
                ], by: admin)
                Issue.record("accepted")
            } catch let e as KeelError {
                let fields = Set(e.violations.map(\.field))
                #expect(fields.isSuperset(of: ["id", "trigger.stage", "condition", "actions[0].values.nope", "actions[0].values.amount", "actions[2].type"]))
                #expect(e.violations.first { $0.field == "condition" }?.message.contains("position") == true)
            }
            await expectKeelError("unknown_name") {
                _ = try await keel.automations.publish([
                    "id": "erp", "object": "accounts", "trigger": ["type": "created"], "actions": [["type": "webhook", "endpoint": "erp"]],
                ], by: admin)
            }
            await expectKeelError("invalid_cron") {
                _ = try await keel.automations.publish([
                    "id": "cron", "object": "accounts", "trigger": ["type": "schedule", "cron": "61 * * * *"],
                    "actions": [["type": "notify", "to": ["owner"], "message": "name"]],
                ], by: admin)
            }
            await expectKeelError("forbidden") {
                _ = try await keel.automations.publish([
                    "id": "x", "object": "accounts", "trigger": ["type": "created"], "actions": [["type": "notify", "to": ["owner"], "message": "name"]],
                ], by: member)
            }
            #expect(try await keel.automations.list(by: admin).isEmpty)
            #expect(try await Self.count(keel, "SELECT COUNT(*) AS n FROM config_versions") == 0)
        }
    }
}

@Suite struct DeletedFieldTests {
    @Test(arguments: TestDatabase.all)
    func deletingAFieldDisablesWhatReadItWithAnAlert(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "discount", "type": "number"], as: admin)
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "net", "type": "formula", "expression": "amount * (1 - BLANKVALUE(discount, 0))",
                                                                      "resultType": "number"], as: admin)
            _ = try await keel.metadata.addValidationRule(to: "opportunities", ["name": "max_discount", "expression": "discount > 0.5",
                                                                                 "message": "折扣不能超过 50%"], as: admin)
            _ = try await keel.automations.publish([
                "id": "deep-discount", "object": "opportunities", "trigger": ["type": "updated"], "condition": "discount > 0.2",
                "actions": [["type": "notify", "to": ["owner"], "message": "name"]],
            ], by: admin)
            _ = try await keel.approvals.publish(["id": "discounts", "object": "opportunities", "entry": "discount > 0.1",
                                                  "steps": [["name": "经理", "approver": "role:admin"]]], by: admin)
            _ = try await keel.automations.publish([
                "id": "unrelated", "object": "opportunities", "trigger": ["type": "created"], "actions": [["type": "notify", "to": ["owner"], "message": "name"]],
            ], by: admin)
            let before = try #require(try await keel.records.create("opportunities", ["name": "甲", "amount": 100, "discount": 0.1], context: ctx).json["id"]?.stringValue)
            #expect(try await keel.records.get("opportunities", id: before, as: admin).0.value("net") == .number(90))

            let disabled = try await keel.deleteField(object: "opportunities", field: "discount", by: admin)
            #expect(Set(disabled) == ["validation rule opportunities.max_discount", "formula field opportunities.net",
                                      "automation deep-discount", "approval process discounts"])
            let object = try await keel.metadata.catalog().require("opportunities")
            #expect(object.field("discount") == nil)
            #expect(object.validationRules.first?.disabledReason?.contains("opportunities.discount") == true)
            #expect(object.field("net")?.disabledReason != nil)
            let automations = Dictionary(uniqueKeysWithValues: try await keel.automations.list(by: admin).map { ($0.id, $0.status) })
            #expect(automations == ["deep-discount": "halted", "unrelated": "active"])
            #expect(try await keel.approvals.processes(by: admin).first?.status == "halted")
            #expect(try await keel.notifier.notifications(of: admin).items.contains { $0.title.contains("删除字段 opportunities.discount 停用了") })
            // Writes go on: the disabled rule is not checked, the formula keeps its last value.
            _ = try await keel.records.update("opportunities", id: before, ["amount": 200], expectedVersion: nil, context: ctx)
            #expect(try await keel.records.get("opportunities", id: before, as: admin).0.value("net") == .number(90))
            // A halted automation cannot be turned on while it still reads the missing field.
            await expectKeelError("invalid_formula") { _ = try await keel.automations.setEnabled("deep-discount", true, by: admin) }
            await expectKeelError("standard_field") { _ = try await keel.deleteField(object: "opportunities", field: "amount", by: admin) }
        }
    }
}
