import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct CredibilityTests {
    /// A visit logged that day, with its location, the customer's confirmation, what happened and the next step, after
    /// which the deal moved on, is believed; a call typed in a week later with nothing behind it is not; evidence once
    /// logged does not change.
    @Test(arguments: TestDatabase.all)
    func scoresFollowEvidenceTimelinessAndTheDealsMovement(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let now = Date()
            let tenDaysAgo = now.addingTimeInterval(-10 * 86_400)
            let api = WriteContext(principal: rep, source: .api, at: tenDaysAgo)
            let deal = try #require(try await keel.records.create("opportunities", ["name": "CT 设备采购"], context: api).json["id"]?.stringValue)
            let visit = try #require(try await keel.records.create("activities", [
                "type": "visit", "subject": "上门演示", "related_to": .string(deal), "occurred_at": .string(ValueFormats.formatDateTime(tenDaysAgo)),
                "body": "演示了影像系统，院长确认了预算和采购时间。", "location": "杭州市西湖区", "customer_confirmed": true,
                "next_step": "发送报价单", "next_step_due": .string(ValueFormats.formatDateTime(tenDaysAgo.addingTimeInterval(86_400))),
            ], context: api).json["id"]?.stringValue)
            _ = try await keel.records.update("opportunities", id: deal, ["stage": "qualification"], expectedVersion: nil,
                                              context: WriteContext(principal: rep, source: .api, at: tenDaysAgo.addingTimeInterval(3 * 86_400)))
            let believed = try await keel.credibility.credibility(of: visit, as: rep)
            #expect(believed.score == 85 && believed.reasons.first?.points == 25 && believed.reasons.map(\.code) == ["evidence", "timely", "substance", "next_step", "deal_advanced"], "\(believed)")

            let backfilled = try #require(try await keel.records.create("activities", [
                "type": "call", "subject": "已沟通", "occurred_at": .string(ValueFormats.formatDateTime(now.addingTimeInterval(-7 * 86_400))),
            ], context: WriteContext(principal: rep, source: .api)).json["id"]?.stringValue)
            let doubted = try await keel.credibility.credibility(of: backfilled, as: rep)
            #expect(doubted.score == 10 && doubted.reasons.map(\.code) == ["no_evidence", "backfilled", "no_deal_signal"], "\(doubted)")

            await expectKeelError("evidence_immutable") {
                _ = try await keel.records.update("activities", id: visit, ["location": "上海"], expectedVersion: nil, context: WriteContext(principal: rep, source: .api))
            }
            #expect(try await keel.records.get("activities", id: visit, as: rep).0.value("location") == "杭州市西湖区")
            // Evidence not logged yet may still be added.
            _ = try await keel.records.update("activities", id: backfilled, ["call_record_id": "CR-20261124-0931"], expectedVersion: nil, context: WriteContext(principal: rep, source: .api))

            let month = Forecast.Period.containing(tenDaysAgo, in: keel.timeZone).label
            let rows = try await keel.credibility.month(month, as: rep)
            #expect(rows.count == 1 && rows[0].userID == rep.userID && rows[0].activities >= 1)
            await expectKeelError("invalid_period") { _ = try await keel.credibility.month("2026-13", as: rep) }
        }
    }
}
