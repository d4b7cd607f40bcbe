import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct CredibilityTests {
    /// A visit logged that day, with its location, the customer's confirmation, what happened and the next step, after
    /// which the deal moved on, is believed; an e-mail typed in a week later with nothing behind it is not (a call like
    /// it is refused: the follow-up group asks what happened and the next step); evidence once logged does not change.
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

            do {
                _ = try await keel.records.create("activities", ["type": "call", "subject": "已沟通"], context: WriteContext(principal: rep, source: .api))
                Issue.record("a call with nothing behind it was logged")
            } catch let error as KeelError {
                #expect(error.code == "validation_failed" && error.violations.map(\.field) == ["body", "next_step", "next_step_due"], "\(error)")
            }
            let backfilled = try #require(try await keel.records.create("activities", [
                "type": "email", "subject": "已沟通", "occurred_at": .string(ValueFormats.formatDateTime(now.addingTimeInterval(-7 * 86_400))),
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

    /// A customer (an account with a deal) silent for 30 working days is dormant, and its owner is told once a week; a
    /// note does not count as follow-up, a call on one of its contacts does.
    @Test(arguments: TestDatabase.all)
    func silentCustomersAreDormantAndTheirOwnersTold(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let api = WriteContext(principal: rep, source: .api)
            func account(_ name: String) async throws -> String {
                let id = try #require(try await keel.records.create("accounts", ["name": .string(name)], context: api).json["id"]?.stringValue)
                _ = try await keel.records.create("opportunities", ["name": .string(name + "项目"), "account": .string(id)], context: api)
                return id
            }
            let silent = try await account("杭州西湖数据科技有限公司"), noted = try await account("宁波港湾物流有限公司"), called = try await account("温州瓯江电子有限公司")
            _ = try await keel.records.create("accounts", ["name": "没有商机的公司"], context: api)
            let longAgo = ValueFormats.formatDateTime(Date().addingTimeInterval(-90 * 86_400)), lately = ValueFormats.formatDateTime(Date().addingTimeInterval(-86_400))
            _ = try await keel.records.create("activities", ["type": "call", "subject": "很久以前", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(silent), "occurred_at": .string(longAgo)], context: api)
            _ = try await keel.records.create("activities", ["type": "note", "subject": "内部备注", "related_to": .string(noted), "occurred_at": .string(lately)], context: api)
            let contact = try #require(try await keel.records.create("contacts", ["name": "陈经理", "account": .string(called)], context: api).json["id"]?.stringValue)
            _ = try await keel.records.create("activities", ["type": "call", "subject": "回访", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(contact), "occurred_at": .string(lately)], context: api)
            let dormant = try await keel.credibility.dormant(as: rep)
            #expect(dormant.map(\.account.id) == [noted, silent] && dormant.last?.last == longAgo, "\(dormant.map { $0.last ?? "-" }) \(longAgo)")
            #expect(try await keel.credibility.alertDormant() == 1)
            _ = try await keel.credibility.alertDormant()
            #expect(try await keel.notifier.notifications(of: rep).items.map(\.title) == ["有 2 个客户超过 30 个工作日没有真实跟进（电话、拜访、会议、消息或邮件）"])
        }
    }
}
