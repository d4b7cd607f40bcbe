import Foundation
import KeelCore
import Testing

/// Cron schedules, retry schedules, working-day arithmetic, and automation definitions as data.
@Suite struct AutomationDefinitionTests {
    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    @Test func cronFindsTheNextRunInTheOrganisationsZone() throws {
        let weekdays = try CronSchedule("0 9 * * 1-5")
        // Friday 18:00 in Shanghai → Monday 09:00.
        #expect(weekdays.next(after: Self.date("2026-11-27T18:00:00+08:00"), in: Self.shanghai) == Self.date("2026-11-30T09:00:00+08:00"))
        // Strictly after: at 09:00 the next is tomorrow's.
        #expect(weekdays.next(after: Self.date("2026-11-24T09:00:00+08:00"), in: Self.shanghai) == Self.date("2026-11-25T09:00:00+08:00"))
        let quarterHours = try CronSchedule("*/15 8-9 * * *")
        #expect(quarterHours.next(after: Self.date("2026-11-24T09:46:00+08:00"), in: Self.shanghai) == Self.date("2026-11-25T08:00:00+08:00"))
        // Both day fields restricted: either matches (the 1st, or any Sunday).
        let either = try CronSchedule("30 6 1 * 0")
        #expect(either.next(after: Self.date("2026-11-24T00:00:00+08:00"), in: Self.shanghai) == Self.date("2026-11-29T06:30:00+08:00"))
        #expect(try CronSchedule("0 0 31 2 *").next(after: Date(), in: Self.shanghai) == nil)
        // A zone with daylight saving: 02:30 does not exist on 8 March 2026 in New York; the run moves past the gap.
        let newYork = TimeZone(identifier: "America/New_York")!
        let run = try #require(try CronSchedule("30 2 * * *").next(after: Self.date("2026-03-07T12:00:00-05:00"), in: newYork))
        #expect(run > Self.date("2026-03-08T01:59:00-05:00") && run < Self.date("2026-03-08T04:00:00-04:00"))
    }

    @Test(arguments: ["* * * *", "60 * * * *", "* 24 * * *", "* * 0 * *", "* * * 13 *", "* * * * 8", "5-1 * * * *", "*/0 * * * *", "a * * * *", ""])
    func badCronIsRefusedWithTheField(_ text: String) {
        #expect(throws: KeelError.self) { try CronSchedule(text) }
    }

    @Test func retriesFollowTheScheduleAndHonourRetryAfter() {
        let policy = RetryPolicy.webhooks
        #expect(policy.delay(afterAttempt: 1) == 5)
        #expect(policy.delay(afterAttempt: 2, retryAfter: 7200) == 7200)
        #expect(policy.delay(afterAttempt: 2, retryAfter: 1) == 300)
        #expect(policy.delay(afterAttempt: 2, retryAfter: 10 * 86400) == 86400)
        #expect(policy.delay(afterAttempt: policy.delays.count + 1) == nil)
        #expect(policy.totalSeconds > 2.5 * 86400 && policy.totalSeconds < 3.5 * 86400)
    }

    @Test func workingDaysSkipWeekendsAndHolidaysAndCountMakeUpDays() throws {
        let calendar = WorkingCalendar(holidays: ["2026-10-01", "2026-10-02"], workingWeekends: ["2026-09-27"])
        let friday = try #require(FormulaValue.dayNumber("2026-11-27"))
        #expect(calendar.adding(workdays: 2, to: friday).map(FormulaValue.dayText) == "2026-12-01")
        #expect(calendar.adding(workdays: 0, to: friday).map(FormulaValue.dayText) == "2026-11-27")
        let before = try #require(FormulaValue.dayNumber("2026-09-26"))
        #expect(calendar.adding(workdays: 1, to: before).map(FormulaValue.dayText) == "2026-09-27")
        let lastOfSeptember = try #require(FormulaValue.dayNumber("2026-09-30"))
        #expect(calendar.adding(workdays: 1, to: lastOfSeptember).map(FormulaValue.dayText) == "2026-10-05")
        #expect(WorkingCalendar(workingWeekdays: []).adding(workdays: 1, to: friday) == nil)
    }

    @Test func definitionsRoundTripThroughTheirStoredForm() throws {
        let objects = StandardObjects.all
        let json: JSONValue = [
            "id": "all-actions", "label": "所有动作", "object": "opportunities",
            "trigger": ["type": "field_changed", "field": "stage", "from": "proposal", "to": "negotiation"], "condition": "amount > 0",
            "actions": [
                ["type": "set_fields", "values": ["probability": "70"]],
                ["type": "create_record", "object": "tasks", "values": ["subject": "name", "related_to": "id"]],
                ["type": "notify", "to": ["owner", "manager", "role:admin", "user:u1", "channel:wecom"], "message": "name"],
                ["type": "webhook", "endpoint": "erp"],
                ["type": "assign", "field": "owner", "users": ["u1", "u2"], "strategy": "least_loaded"],
                ["type": "start_approval", "process": "discount"],
            ],
        ]
        let automation = try Automation.parse(json, objects: objects)
        #expect(Automation.parseStored(automation.json) == automation)
        #expect(try Automation.parse(automation.json, objects: objects) == automation)
        let process = try ApprovalProcess.parse(["id": "p", "object": "opportunities", "steps": [["name": "经理", "approver": "manager", "when": "amount > 10"]],
                                                 "on_approve": ["stage": "\"negotiation\""]], objects: objects)
        #expect(ApprovalProcess.parseStored(process.json) == process)
        for trigger: JSONValue in [["type": "after_date", "field": "expected_close_date", "days": 3, "hour": 10], ["type": "schedule", "cron": "0 9 * * 1"],
                                   ["type": "deleted"], ["type": "stage_entered", "stage": "closed_won"]] {
            let a = try Automation.parse(["id": "t", "object": "opportunities", "trigger": trigger, "actions": [["type": "notify", "to": ["owner"], "message": "name"]]],
                                         objects: objects)
            #expect(Automation.parseStored(a.json) == a)
        }
    }

    @Test func badProcessesAreRefusedWithPaths() {
        do {
            _ = try ApprovalProcess.parse(["id": "p", "object": "opportunities", "steps": [["name": "", "approver": "boss"], ["name": "x", "approver": "manager", "when": "amount"]],
                                           "on_reject": ["nope": "1"]], objects: StandardObjects.all)
            Issue.record("accepted")
        } catch {
            #expect(Set(error.violations.map(\.field)) == ["steps[0].name", "steps[0].approver", "steps[1].when", "on_reject.nope"])
        }
    }
}
