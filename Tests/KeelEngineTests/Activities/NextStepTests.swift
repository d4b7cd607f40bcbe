import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Synchronization
import Testing

@Suite struct NextStepTests {
    /// An activity's next step with its time becomes a task in the same write: both or neither.
    @Test(arguments: TestDatabase.all)
    func anActivitysNextStepBecomesATaskInTheSameWrite(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let api = WriteContext(principal: rep, source: .api)
            let account = try #require(try await keel.records.create("accounts", ["name": "杭州西湖数据科技有限公司"], context: api).json["id"]?.stringValue)
            _ = try await keel.records.create("activities", ["type": "call", "subject": "电话沟通报价", "related_to": .string(account), "body": "客户要报价",
                                                             "next_step": "发送报价单", "next_step_due": "2026-12-09T10:00:00.000Z"], context: api)
            let tasks = try await keel.records.list("tasks", params: [], as: rep).records
            #expect(tasks.count == 1 && tasks[0].value("subject") == "发送报价单" && tasks[0].value("due") == "2026-12-09"
                    && tasks[0].value("assignee") == .string(rep.userID) && tasks[0].value("related_to") == .string(account))
            // Without a time (an e-mail need not have one), the next step stays a note.
            _ = try await keel.records.create("activities", ["type": "email", "subject": "再联系", "next_step": "以后再说"], context: api)
            #expect(try await keel.records.list("tasks", params: [], as: rep).records.count == 1)
        }
    }

    /// A new installation asks a logged call, visit, meeting or message what happened and the next step with its time;
    /// an e-mail or a note need not say. Which types, and what they must say, is the follow-up group's: an admin changes it.
    @Test(arguments: TestDatabase.all)
    func followUpsAreRequiredPerType(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser("admin@example.com", role: .admin)
            let api = WriteContext(principal: try await keel.makeUser("rep@example.com", role: .member), source: .api)
            func refused(_ input: [String: JSONValue]) async throws -> [String] {
                do {
                    _ = try await keel.records.create("activities", input, context: api)
                    return []
                } catch let error as KeelError where error.code == "validation_failed" {
                    return error.violations.map(\.field)
                }
            }
            for type in ["call", "visit", "meeting", "chat"] {
                #expect(try await refused(["type": .string(type), "subject": "已沟通"]) == ["body", "next_step", "next_step_due"], "\(type)")
                #expect(try await refused(["type": .string(type), "subject": "已沟通", "body": "客户要报价", "next_step": "发报价单"]) == ["next_step_due"], "\(type)")
            }
            #expect(try await keel.records.list("activities", params: [], as: admin).records.isEmpty)
            for type in ["email", "note"] { #expect(try await refused(["type": .string(type), "subject": "已沟通"]).isEmpty, "\(type)") }
            // From now on only visits, and only the next step and its time.
            try await keel.metadata.deleteRequiredGroup(from: "activities", name: NextStep.followUp.name, as: admin)
            _ = try await keel.metadata.addRequiredGroup(to: "activities", ["name": "follow_up", "labels": ["zh-CN": "拜访跟进", "en": "Visit follow-up"],
                                                                            "when": ["field": "type", "in": ["visit"]], "fields": ["next_step", "next_step_due"]], as: admin)
            #expect(try await refused(["type": "call", "subject": "已沟通"]).isEmpty)
            #expect(try await refused(["type": "visit", "subject": "上门拜访", "body": "看了产线"]) == ["next_step", "next_step_due"])
        }
    }

    /// The task's own write failing (its outbox event, the last step) takes the activity back with it.
    @Test(arguments: TestDatabase.all)
    func aFailedTaskLeavesNoActivity(_ database: TestDatabase) async throws {
        let armed = Mutex(false), outboxes = Mutex(0)
        try await database.withKeel(afterStep: { step in
            guard step == .writeOutbox, armed.withLock({ $0 }) else { return }
            if outboxes.withLock({ $0 += 1; return $0 }) == 2 { throw KeelError(.internalError, code: "injected", message: "the task's outbox failed") }
        }) { keel in
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            armed.withLock { $0 = true }
            await expectKeelError("injected") {
                _ = try await keel.records.create("activities", ["type": "call", "subject": "电话沟通报价", "body": "客户要报价", "next_step": "回电",
                                                                 "next_step_due": "2026-12-09T10:00:00.000Z"], context: WriteContext(principal: rep, source: .api))
            }
            armed.withLock { $0 = false }
            #expect(try await keel.records.list("activities", params: [], as: rep).records.isEmpty)
            #expect(try await keel.records.list("tasks", params: [], as: rep).records.isEmpty)
        }
    }
}
