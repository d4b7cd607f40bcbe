import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct LeadRoutingTests {
    /// An admin, two reps (a, b), a manager (m) as the fallback.
    func team(_ keel: Keel) async throws -> (admin: Principal, a: Principal, b: Principal, m: Principal) {
        let admin = try await keel.makeUser()
        return (admin, try await keel.makeUser("a@example.com", role: .member), try await keel.makeUser("b@example.com", role: .member),
                try await keel.makeUser("m@example.com", role: .manager))
    }

    func lead(_ keel: Keel, _ values: [String: JSONValue], by principal: Principal) async throws -> [String: JSONValue] {
        var input = values
        if input["name"] == nil { input["name"] = .string("线索\(UUID().uuidString.prefix(6))") }
        if input["phone"] == nil { input["phone"] = .string(String(format: "139%08d", Int.random(in: 0..<100_000_000))) }
        return try await keel.records.create("leads", input, context: WriteContext(principal: principal, source: .api)).json.objectValue!
    }

    @Test(arguments: TestDatabase.all)
    func withoutADocumentTheCreatorOwnsTheLeadAndSaysSo(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let (admin, a, _, _) = try await team(keel)
            let mine = try await lead(keel, ["province": "广东"], by: a)
            #expect(mine["owner"] == .string(a.userID))
            #expect(mine["assignment_reason"] == "未启用自动分配，归创建人")
            let given = try await lead(keel, ["owner": .string(a.userID)], by: admin)
            #expect(given["owner"] == .string(a.userID) && given["assigned_at"]?.stringValue != nil)
            let history = try await keel.records.assignments(lead: given["id"]!.stringValue!, as: admin)
            #expect(history.map(\.reasonEn) == ["Owner given at creation"])
            #expect(try await keel.records.leadRouting(as: a).routing == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDocumentWithMistakesIsRefusedWithEveryPathAndTheOneInForceStays(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let (admin, a, _, _) = try await team(keel)
            let good: JSONValue = ["rules": [["id": "south", "name": "华南", "when": ["regions": ["广东"]], "members": ["a@example.com"]]]]
            _ = try await keel.records.setLeadRouting(good, by: admin)
            let bad: JSONValue = ["rules": [
                ["id": "south", "when": ["regions": ["广东", "Atlantis"], "colour": ["red"]], "strategy": "lottery", "members": ["nobody@example.com"]],
                ["id": "south", "members": [], "capacity": 0],
            ], "fallback": ["ghost"]]
            let error = await #expect(throws: KeelError.self) { try await keel.records.setLeadRouting(bad, by: admin) }
            #expect(Set(error?.violations.map(\.field) ?? []) == [
                "rules[0].when.regions[1]", "rules[0].when.colour", "rules[0].strategy", "rules[1].id", "rules[1].members", "rules[1].capacity",
            ])
            // Users are checked once the document reads well.
            let strangers: JSONValue = ["rules": [["id": "x", "members": ["nobody@example.com"]]], "fallback": ["ghost"]]
            let unknown = await #expect(throws: KeelError.self) { try await keel.records.setLeadRouting(strangers, by: admin) }
            #expect(unknown?.violations.map(\.field) == ["rules[0].members[0].user", "fallback[0].user"])
            #expect(unknown?.violations.first?.code == "unknown_user")
            let inForce = try await keel.records.leadRouting(as: admin)
            #expect(inForce.version == 1 && inForce.routing?.rules.map(\.id) == ["south"] && inForce.routing?.rules[0].regions == ["CN-GD"])
            // Only admins change it.
            await #expect(throws: KeelError.self) { try await keel.records.setLeadRouting(good, by: a) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func roundRobinSkipsFrozenAndFullMembersThenTheFallbackThenAlerts(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let (admin, a, b, m) = try await team(keel)
            _ = try await keel.records.setLeadRouting([
                "rules": [["id": "south", "name": "华南", "when": ["regions": ["广东"]], "members": ["a@example.com", .string(b.userID)], "capacity": 2]],
                "fallback": ["m@example.com"],
            ], by: admin)
            var owners: [String?] = []
            for _ in 0..<2 { owners.append(try await lead(keel, ["province": "广东省", "city": "深圳"], by: admin)["owner"]?.stringValue) }
            #expect(owners == [a.userID, b.userID])
            // a leaves: b takes the next, and the reason names who was skipped.
            _ = try await keel.auth.setStatus(a.userID, .frozen, by: admin)
            let third = try await lead(keel, ["city": "广州"], by: admin)
            #expect(third["owner"] == .string(b.userID))
            #expect(third["assignment_reason"]?.stringValue?.contains("跳过") == true)
            // b holds two uncontacted leads now (capacity 2): the fallback takes over.
            let fourth = try await lead(keel, ["province": "Guangdong"], by: admin)
            #expect(fourth["owner"] == .string(m.userID))
            #expect(fourth["assignment_reason"]?.stringValue?.contains("后备") == true)
            // Nobody left: unassigned, and the admins are told.
            _ = try await keel.auth.setStatus(m.userID, .frozen, by: admin)
            let fifth = try await lead(keel, ["province": "广东"], by: admin)
            #expect(fifth["owner"] == .null && fifth["assigned_at"] == .null)
            let inbox = try await keel.notifier.notifications(of: admin).items.map(\.title)
            #expect(inbox.contains { $0.contains("未分配") && $0.contains("华南") })
            let history = try await keel.records.assignments(lead: fifth["id"]!.stringValue!, as: admin)
            #expect(history.count == 1 && history[0].ownerID == nil && history[0].ruleID == "south")
        }
    }

    @Test(arguments: TestDatabase.all)
    func noMatchingRuleOrAnUnknownPlaceKeepsTheLeadAndAlerts(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let (admin, _, _, _) = try await team(keel)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "east", "name": "华东", "when": ["regions": ["上海"]], "members": ["a@example.com"]]]],
                                                      by: admin)
            let stray = try await lead(keel, ["province": "四川", "channel": "website"], by: admin)
            #expect(stray["owner"] == .null)
            #expect(stray["assignment_reason"]?.stringValue?.contains("四川") == true)
            let abroad = try await lead(keel, ["country": "XQ", "city": "Riyadh"], by: admin)
            #expect(abroad["owner"] == .null && abroad["country"] == "XQ")
            let inbox = try await keel.notifier.notifications(of: admin).items.map(\.title)
            #expect(inbox.contains { $0.contains("XQ") && $0.contains("无法识别") })
            #expect(inbox.contains { $0.contains("四川") })
            // The warnings name the place recent leads came from that no rule covers.
            let warnings = try await keel.records.leadRouting(as: admin).warnings
            #expect(warnings.contains { $0.code == "uncovered_region" && $0.message.contains("四川") })
        }
    }

    @Test(arguments: TestDatabase.all)
    func weightsPoolsAndBestPerformersEachExplainTheirChoice(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let (admin, a, b, _) = try await team(keel)
            _ = try await keel.records.setLeadRouting(["rules": [
                ["id": "low", "name": "低分", "when": ["score": ["max": 20]], "strategy": "pool"],
                ["id": "experts", "name": "专家", "when": ["channel": ["referral"]], "strategy": "best_performer", "top": 1,
                 "members": ["a@example.com", "b@example.com"]],
                ["id": "all", "name": "全部", "strategy": "weighted", "members": [["user": "a@example.com", "weight": 2], ["user": "b@example.com", "weight": 1]]],
            ]], by: admin)
            var counts: [String: Int] = [:]
            for _ in 0..<30 { counts[try await lead(keel, ["score": 50], by: admin)["owner"]!.stringValue!, default: 0] += 1 }
            #expect(counts == [a.userID: 20, b.userID: 10])
            let cold = try await lead(keel, ["score": 10], by: admin)
            #expect(cold["owner"] == .null && cold["assignment_reason"] == "规则「低分」：评分 10，进入公海待培育")
            // b converted a 医疗器械 lead, a did not: b is the expert.
            let won = try await lead(keel, ["industry": "医疗器械", "owner": .string(b.userID), "status": "converted"], by: admin)
            _ = try await lead(keel, ["industry": "医疗器械", "owner": .string(a.userID)], by: admin)
            #expect(won["owner"] == .string(b.userID))
            let referred = try await lead(keel, ["industry": "医疗器械", "channel": "referral", "score": 60], by: admin)
            #expect(referred["owner"] == .string(b.userID))
            #expect(referred["assignment_reason"]?.stringValue?.contains("成交率 100.0%，团队 50.0%") == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func leadsArrivingTogetherStillTakeTurns(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let (admin, a, b, _) = try await team(keel)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "all", "members": ["a@example.com", "b@example.com"]]]], by: admin)
            let owners = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<20 { group.addTask { try await lead(keel, [:], by: admin)["owner"]?.stringValue } }
                return try await group.reduce(into: [String: Int]()) { $0[$1 ?? "none", default: 0] += 1 }
            }
            #expect(owners == [a.userID: 10, b.userID: 10])
        }
    }
}
