import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Testing

/// Multi-step approvals on both databases: conditions, who may decide, the lock, comments, versions.
@Suite struct ApprovalTests {
    static func ctx(_ p: Principal) -> WriteContext { WriteContext(principal: p, source: .api) }

    /// 华东区 (manager M; member rep), a compliance officer C, and an HQ admin.
    struct Org {
        let admin, manager, rep, compliance: Principal

        static func make(_ keel: Keel) async throws -> Org {
            let admin = try await keel.makeUser()
            let east = try await keel.auth.createDepartment(name: "华东区", parentID: nil, managerID: nil, by: admin)
            func user(_ email: String, _ role: Role, _ department: String?) async throws -> Principal {
                try await keel.auth.createUser(NewUser(email: email, password: "password-\(email)", role: role, department: department), by: admin).principal
            }
            let manager = try await user("m@example.com", .manager, east.name)
            try await keel.database.write { db in try await DirectoryStore().setDepartmentManager(east.id, managerID: manager.userID, on: db) }
            return Org(admin: admin, manager: manager, rep: try await user("rep@example.com", .member, east.name),
                       compliance: try await user("c@example.com", .member, nil))
        }
    }

    static func process(_ org: Org, steps: Int = 3) -> JSONValue {
        let all: [JSONValue] = [
            ["name": "区域经理", "approver": "manager"],
            ["name": "合规", "approver": .string("user:\(org.compliance.userID)"), "when": "amount > 1000000"],
            ["name": "总部", "approver": "role:admin"],
        ]
        return ["id": "discount", "label": "折扣审批", "object": "opportunities", "entry": "amount > 0",
                "steps": .array(Array(all.prefix(steps))), "on_approve": ["stage": "\"negotiation\""], "on_reject": ["probability": "0"]]
    }

    @Test(arguments: TestDatabase.all)
    func stepsRunInOrderSkipWhatDoesNotApplyAndLockTheRecordUntilDecided(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let org = try await Org.make(keel)
            _ = try await keel.approvals.publish(Self.process(org), by: org.admin)
            let deal = try #require(try await keel.records.create("opportunities", ["name": "五十万", "amount": 500_000], context: Self.ctx(org.rep))
                .json["id"]?.stringValue)
            let request = try #require(try await keel.approvals.start("discount", object: "opportunities", recordID: deal, by: org.rep))
            #expect(request.status == "pending" && request.step == 0)
            #expect(try await keel.notifier.notifications(of: org.manager).items.first?.title.contains("区域经理") == true)

            // Locked while pending: no edit, no delete, no second request.
            await expectKeelError("record_locked") {
                _ = try await keel.records.update("opportunities", id: deal, ["amount": 1], expectedVersion: nil, context: Self.ctx(org.rep))
            }
            await expectKeelError("record_locked") {
                try await keel.records.delete("opportunities", id: deal, expectedVersion: nil, context: Self.ctx(org.admin))
            }
            await expectKeelError("approval_pending") {
                _ = try await keel.approvals.start("discount", object: "opportunities", recordID: deal, by: org.rep)
            }
            // Only the step's approver decides.
            await expectKeelError("not_approver") { _ = try await keel.approvals.decide(request.id, approve: true, comment: "", by: org.compliance) }
            await expectKeelError("not_approver") { _ = try await keel.approvals.decide(request.id, approve: true, comment: "", by: org.rep) }

            var next = try await keel.approvals.decide(request.id, approve: true, comment: "同意", by: org.manager)
            // Compliance only looks at deals over a million: skipped, HQ is next.
            #expect(next.status == "pending" && next.step == 2)
            #expect(next.decisions.map(\.decision) == ["approved", "skipped"])
            next = try await keel.approvals.decide(request.id, approve: true, comment: "", by: org.admin)
            #expect(next.status == "approved")
            let record = try await keel.records.get("opportunities", id: deal, as: org.admin).0
            #expect(record.value("stage") == "negotiation")
            let history = try await keel.records.history("opportunities", id: deal, as: org.admin)
            #expect(history.contains { $0.field == "stage" && $0.source == "approval" && $0.actor == org.admin.userID })
            #expect(try await keel.notifier.notifications(of: org.rep).items.first?.title == "折扣审批：商机「五十万」 ¥500,000.00 已同意")
            // In English for someone who chose English.
            try await keel.database.write { try await DirectoryStore().setLocale(userID: org.manager.userID, locale: "en", on: $0) }
            let second = try #require(try await keel.records.create("opportunities", ["name": "Second", "amount": 20], context: Self.ctx(org.rep)).json["id"]?.stringValue)
            _ = try await keel.approvals.start("discount", object: "opportunities", recordID: second, by: org.rep)
            #expect(try await keel.notifier.notifications(of: org.manager).items.first { $0.recordID == second }?.title
                    == "折扣审批: “Second” ¥20.00 is waiting for your decision (区域经理)")
            await expectKeelError("already_decided") { _ = try await keel.approvals.decide(request.id, approve: false, comment: "晚了", by: org.admin) }
            // Unlocked.
            _ = try await keel.records.update("opportunities", id: deal, ["amount": 450_000], expectedVersion: nil, context: Self.ctx(org.rep))
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRejectionNeedsACommentAndRunsTheRejectChanges(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let org = try await Org.make(keel)
            _ = try await keel.approvals.publish(Self.process(org), by: org.admin)
            let deal = try #require(try await keel.records.create("opportunities", ["name": "两百万", "amount": 2_000_000, "probability": 60],
                                                                  context: Self.ctx(org.rep)).json["id"]?.stringValue)
            let request = try #require(try await keel.approvals.start("discount", object: "opportunities", recordID: deal, by: org.rep))
            _ = try await keel.approvals.decide(request.id, approve: true, comment: "", by: org.manager)
            await expectKeelError("required") { _ = try await keel.approvals.decide(request.id, approve: false, comment: "  ", by: org.compliance) }
            #expect(try await keel.approvals.request(request.id, by: org.admin).status == "pending")
            let done = try await keel.approvals.decide(request.id, approve: false, comment: "折扣超过 15%", by: org.compliance)
            #expect(done.status == "rejected")
            #expect(done.decisions.last?.comment == "折扣超过 15%")
            #expect(try await keel.records.get("opportunities", id: deal, as: org.admin).0.value("probability") == .number(0))
            // The entry condition is checked.
            let free = try #require(try await keel.records.create("opportunities", ["name": "零元", "amount": 0], context: Self.ctx(org.rep)).json["id"]?.stringValue)
            await expectKeelError("not_applicable") { _ = try await keel.approvals.start("discount", object: "opportunities", recordID: free, by: org.rep) }
            // A record the submitter cannot see is not found.
            let hidden = try #require(try await keel.records.create("opportunities", ["name": "别人的", "amount": 9], context: Self.ctx(org.admin))
                .json["id"]?.stringValue)
            await expectKeelError("not_found") { _ = try await keel.approvals.start("discount", object: "opportunities", recordID: hidden, by: org.rep) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func pendingRequestsFinishOnTheVersionTheyStartedWith(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let org = try await Org.make(keel)
            _ = try await keel.approvals.publish(Self.process(org), by: org.admin)
            func deal(_ name: String) async throws -> String {
                try #require(try await keel.records.create("opportunities", ["name": .string(name), "amount": 100], context: Self.ctx(org.rep)).json["id"]?.stringValue)
            }
            let old = try #require(try await keel.approvals.start("discount", object: "opportunities", recordID: try await deal("旧"), by: org.rep))
            // Version 2 has only the manager's step.
            let v2 = try await keel.approvals.publish(Self.process(org, steps: 1), by: org.admin)
            #expect(v2.version == 2)
            let new = try #require(try await keel.approvals.start("discount", object: "opportunities", recordID: try await deal("新"), by: org.rep))
            #expect(try await keel.approvals.decide(new.id, approve: true, comment: "", by: org.manager).status == "approved")
            let oldNext = try await keel.approvals.decide(old.id, approve: true, comment: "", by: org.manager)
            #expect(oldNext.status == "pending" && oldNext.step == 2 && oldNext.version == 1)
        }
    }
}
