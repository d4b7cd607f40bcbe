import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct LeadScoringTests {
    @Test(arguments: TestDatabase.all)
    func leadsAreScoredOnArrivalAndOnChangeAndTheScoreRoutesThem(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            // Mistakes: each with its path; the card in force stays (none yet).
            let bad = await #expect(throws: KeelError.self) {
                try await keel.records.setLeadScoring(["dimensions": [["id": "fit", "formula": "IF(industry = , 20, 0)"],
                                                                      ["id": "fit", "formula": "company"], ["id": "Bad Id", "formula": "nope + 1"],
                                                                      ["id": "labelled", "formula": "1", "labels": [nil, nil]], ["id": "extra", "formula": "1", "colour": "red"]]], by: admin)
            }
            #expect(Set(bad?.violations.map(\.field) ?? []) == ["dimensions[0].formula", "dimensions[1].id", "dimensions[1].formula", "dimensions[2].id", "dimensions[2].formula",
                                                               "dimensions[3].labels", "dimensions[4].colour"])
            #expect(try await keel.records.leadScoring(as: rep)["enabled"] == false)
            await #expect(throws: KeelError.self) { try await keel.records.setLeadScoring(["dimensions": []], by: rep) }

            _ = try await keel.records.setLeadScoring(["dimensions": [
                ["id": "industry_fit", "labels": ["zh-CN": "行业匹配", "en": "Industry fit"], "formula": "IF(industry = \"医疗器械\", 20, 5)"],
                ["id": "reachable", "formula": "IF(ISBLANK(email), 0, 10) + IF(ISBLANK(phone), 0, 15)"],
                ["id": "engaged", "formula": "time_on_page / 6"],
            ]], by: admin)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "cold", "when": ["score": ["max": 20]], "strategy": "pool"],
                                                                 ["id": "all", "members": ["rep@example.com"]]]], by: admin)
            let ctx = WriteContext(principal: admin, source: .api)
            // 5 + 15 (phone; capped at 20 per dimension) + 0 = 20: the pool. Whatever score was sent is not kept.
            let cold = try await keel.records.create("leads", ["name": "冷", "phone": "13912345601", "score": 99], context: ctx).json
            #expect(cold["score"] == 20 && cold["owner"] == .null)
            let breakdown = try JSONValue.parse(text: cold["score_breakdown"]?.stringValue ?? "")
            #expect(breakdown["industry_fit"] == ["points": 5, "zh-CN": "行业匹配", "en": "Industry fit"])
            #expect(breakdown["reachable"]?["points"] == 15 && breakdown["engaged"]?["points"] == 0)
            #expect(ScoreCard.describe(cold["score_breakdown"]?.stringValue ?? "", language: "zh-CN") == "reachable 15 · 行业匹配 5 · engaged 0")
            // 20 + 20 (capped) + 20 (capped: 300 s / 6 = 50) = 60: routed to the rep.
            let warm = try await keel.records.create("leads", ["name": "热", "phone": "13912345602", "email": "hot@example.com", "industry": "医疗器械",
                                                              "time_on_page": 300], context: ctx).json
            #expect(warm["score"] == 60 && warm["owner"] == .string(rep.userID))
            // A change rescored: the history shows the score moving.
            let id = try #require(cold["id"]?.stringValue)
            let changed = try await keel.records.update("leads", id: id, ["industry": "医疗器械", "email": "cold@example.com"], expectedVersion: nil, context: ctx)
            #expect(changed.value("score") == 40)
            let history = try await keel.records.history("leads", id: id, as: admin).filter { $0.field == "score" }
            #expect(history.map(\.newValue) == [20, 40])
        }
    }
}
