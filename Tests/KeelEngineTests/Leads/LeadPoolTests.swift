import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct LeadPoolTests {
    @Test(arguments: TestDatabase.all)
    func leadsEnterThePoolAndRepsClaimWithinTheirLimitAndCooldown(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let a = try await keel.makeUser("a@example.com", role: .member), b = try await keel.makeUser("b@example.com", role: .member)
            _ = try await keel.records.setLeadRouting([
                "rules": [["id": "cold", "name": "低分", "when": ["score": ["max": 20]], "strategy": "pool"],
                          ["id": "all", "members": ["a@example.com"]]],
                "pool": ["claimsPerDay": 2, "cooldownDays": 3, "returnAfterDays": 7],
            ], by: admin)
            let ctx = WriteContext(principal: admin, source: .api)
            var pooled: [String] = []
            for (i, phone) in ["13912345601", "13912345602", "13912345603", "13912345604"].enumerated() {
                let lead = try await keel.records.create("leads", ["name": .string("冷线索\(i)"), "phone": .string(phone), "score": 10], context: ctx).json
                #expect(lead["owner"] == .null && lead["pooled_at"]?.stringValue != nil)
                pooled.append(lead["id"]!.stringValue!)
            }
            // Everyone sees the pool, without phones.
            let seen = try await keel.records.pool(as: b)
            #expect(seen.count == 4 && seen.allSatisfy { $0.values["phone"] == nil && $0.values["name"] != nil })

            let claimed = try await keel.records.claim(lead: pooled[0], as: a)
            #expect(claimed.value("owner") == .string(a.userID) && claimed.value("pooled_at") == .null)
            #expect(claimed.value("assignment_reason").stringValue?.hasSuffix("从公海领取") == true)
            #expect(await #expect(throws: KeelError.self) { try await keel.records.claim(lead: pooled[0], as: b) }?.code == "not_in_pool")

            // Released with a reason (never without); the rep who let it go waits out the cooldown, another may take it.
            #expect(await #expect(throws: KeelError.self) { try await keel.records.release(lead: pooled[0], reason: " ", as: a) }?.kind == .unprocessable)
            await #expect(throws: KeelError.self) { try await keel.records.release(lead: pooled[0], reason: "不是我的", as: b) }
            let tooLong = await #expect(throws: KeelError.self) { try await keel.records.release(lead: pooled[0], reason: String(repeating: "长", count: 501), as: a) }
            #expect(tooLong?.violations.first?.code == "too_long")
            _ = try await keel.records.release(lead: pooled[0], reason: "客户暂无预算", as: a)
            let released = try await keel.records.get("leads", id: pooled[0], as: admin).0
            #expect(released.value("owner") == .null && released.value("assignment_reason").stringValue?.hasSuffix("退回公海：客户暂无预算") == true)
            #expect(await #expect(throws: KeelError.self) { try await keel.records.claim(lead: pooled[0], as: a) }?.code == "claim_cooldown")
            #expect(try await keel.records.claim(lead: pooled[0], as: a, at: Date().addingTimeInterval(4 * 86_400)).value("owner") == .string(a.userID))

            // Two a day: b's third claim waits.
            _ = try await keel.records.claim(lead: pooled[1], as: b)
            _ = try await keel.records.release(lead: pooled[1], reason: "重复", as: b)
            _ = try await keel.records.claim(lead: pooled[2], as: b)
            #expect(await #expect(throws: KeelError.self) { try await keel.records.claim(lead: pooled[3], as: b) }?.code == "claim_limit")
            #expect(try await keel.records.claim(lead: pooled[3], as: b, at: Date().addingTimeInterval(86_401)).value("owner") == .string(b.userID))
            let history = try await keel.records.assignments(lead: pooled[0], as: admin).map(\.strategy)
            #expect(history == ["pool", "claim", "release", "claim"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func leadsNobodyFollowedUpReturnToThePoolOnce(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let a = try await keel.makeUser("a@example.com", role: .member)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "all", "members": ["a@example.com"]]], "pool": ["returnAfterDays": 7]], by: admin)
            let ctx = WriteContext(principal: admin, source: .api)
            func lead(_ name: String, _ phone: String) async throws -> String {
                try await keel.records.create("leads", ["name": .string(name), "phone": .string(phone)], context: ctx).json["id"]!.stringValue!
            }
            let forgotten = try await lead("被遗忘", "13912345611"), called = try await lead("已电话", "13912345612"), moved = try await lead("已联系", "13912345613")
            _ = try await keel.records.create("activities", ["type": "call", "subject": "首次电话", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(called)],
                                              context: WriteContext(principal: a, source: .api))
            _ = try await keel.records.update("leads", id: moved, ["status": "contacted"], expectedVersion: nil, context: WriteContext(principal: a, source: .api))
            #expect(try await keel.records.returnStaleLeads(at: Date().addingTimeInterval(6 * 86_400)) == 0)
            #expect(try await keel.records.returnStaleLeads(at: Date().addingTimeInterval(8 * 86_400)) == 1)
            #expect(try await keel.records.returnStaleLeads(at: Date().addingTimeInterval(9 * 86_400)) == 0)
            let back = try await keel.records.get("leads", id: forgotten, as: admin).0
            #expect(back.value("owner") == .null && back.value("assignment_reason") == "超过 7 天未跟进，自动退回公海")
            let last = try #require(try await keel.records.assignments(lead: forgotten, as: admin).last)
            #expect(last.strategy == "return" && last.actor == nil && last.previousOwner == a.userID)
            for id in [called, moved] { #expect(try await keel.records.get("leads", id: id, as: admin).0.value("owner") == .string(a.userID)) }
        }
    }
}
