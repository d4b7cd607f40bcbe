import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

/// The scheduler on both databases, on a clock the tests move: cron in the organisation's zone, catch-up after
/// downtime, clocks set back, two processes, a process that dies mid-run, a changed zone, working-day timers.
@Suite struct SchedulerTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    static func digest(_ keel: Keel, by admin: Principal) async throws {
        _ = try await keel.automations.publish([
            "id": "digest", "object": "opportunities", "trigger": ["type": "schedule", "cron": "0 9 * * *"], "condition": "amount > 100",
            "actions": [["type": "notify", "to": ["owner"], "message": "\"跟进: \" & name"]],
        ], by: admin)
    }

    static func slots(_ keel: Keel) async throws -> [String] {
        try await keel.database.read { db in
            try await db.raw("SELECT payload FROM jobs WHERE ref = 'digest' ORDER BY key").all().map {
                (try JSONValue.parse(text: $0.decode(column: "payload", as: String.self)))["slot"]?.stringValue ?? ""
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func cronRunsOncePerSlotCatchesUpAndIgnoresAClockSetBack(_ database: TestDatabase) async throws {
        let clock = ManualClock(instant("2026-11-23T08:00:00+08:00"))
        try await database.withKeel(clock: clock, timeZone: Self.shanghai) { keel in
            let admin = try await keel.makeUser()
            try await Self.digest(keel, by: admin)
            _ = try await keel.records.create("opportunities", ["name": "大单", "amount": 5000], context: WriteContext(principal: admin, source: .api))
            _ = try await keel.records.create("opportunities", ["name": "小单", "amount": 50], context: WriteContext(principal: admin, source: .api))
            let worker = Worker(keel: keel)
            clock.set(instant("2026-11-23T08:59:59+08:00"))
            #expect(try await keel.automations.tick() == 0)
            clock.set(instant("2026-11-23T09:00:00+08:00"))
            #expect(try await keel.automations.tick() == 1)
            #expect(try await keel.automations.tick() == 0)
            try await worker.drain()
            #expect(try await keel.notifier.notifications(of: admin).items.map(\.title) == ["跟进: 大单"])
            #expect(try await keel.automations.runs("digest", by: admin).first?.0.lastError == "1 records")

            // Down for three days: the three missed slots run when Keel is back.
            clock.set(instant("2026-11-26T09:30:00+08:00"))
            #expect(try await keel.automations.lag() >= 30 * 60)
            #expect(try await keel.automations.tick() == 3)
            #expect(try await keel.automations.lag() >= 30 * 60)
            try await worker.drain()
            #expect(try await keel.automations.lag() == 0)
            // The clock set back two days: nothing runs again.
            clock.set(instant("2026-11-24T10:00:00+08:00"))
            #expect(try await keel.automations.tick() == 0)
            clock.set(instant("2026-11-27T09:00:00+08:00"))
            #expect(try await keel.automations.tick() == 1)
            try await worker.drain()
            #expect(try await Self.slots(keel) == ["2026-11-23T01:00:00.000Z", "2026-11-24T01:00:00.000Z", "2026-11-25T01:00:00.000Z",
                                                   "2026-11-26T01:00:00.000Z", "2026-11-27T01:00:00.000Z"])
            #expect(try await keel.notifier.notifications(of: admin).items.count == 5)
        }
    }

    @Test(arguments: TestDatabase.all)
    func twoProcessesNeverRunASlotTwiceAndADeadProcessesJobIsTakenUp(_ database: TestDatabase) async throws {
        let clock = ManualClock(instant("2026-11-23T08:00:00+08:00"))
        try await database.withKeels(2, clock: clock, timeZone: Self.shanghai) { keels in
            let (keel, other) = (keels[0], keels[1])
            let admin = try await keel.makeUser()
            try await Self.digest(keel, by: admin)
            _ = try await keel.records.create("opportunities", ["name": "大单", "amount": 5000], context: WriteContext(principal: admin, source: .api))
            clock.set(instant("2026-11-30T09:00:00+08:00"))
            async let a = keel.automations.tick()
            async let b = other.automations.tick()
            #expect(try await a + b == 8)
            let (w1, w2) = (Worker(keel: keel), Worker(keel: other))
            async let d1: Void = w1.drain()
            async let d2: Void = w2.drain()
            _ = try await (d1, d2)
            #expect(try await Self.slots(keel).count == 8)
            #expect(try await keel.notifier.notifications(of: admin).items.count == 8)
            #expect(try await keel.automations.stats().first { $0.ref == "digest" }?.succeeded == 8)

            // A process takes a job and dies before finishing it: once its lease runs out another takes it up, once.
            clock.set(instant("2026-12-01T09:00:00+08:00"))
            #expect(try await keel.automations.tick() == 1)
            let now = ValueFormats.formatDateTime(clock.now())
            let taken = try await keel.database.write { db in
                try await JobStore(dialect: keel.database.dialect).claim(now: now, leaseUntil: ValueFormats.formatDateTime(clock.now().addingTimeInterval(300)),
                                                                         worker: "dead", kinds: ["automation"], limit: 10, on: db)
            }
            #expect(taken.count == 1)
            try await w2.drain()
            #expect(try await keel.notifier.notifications(of: admin).items.count == 8)
            clock.advance(301)
            try await w2.drain()
            #expect(try await keel.notifier.notifications(of: admin).items.count == 9)
            let job = try #require(try await keel.automations.runs("digest", by: admin).first { $0.0.id == taken[0].id })
            #expect(job.0.status == "done" && job.0.attempts == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aChangedTimeZoneMovesTheNextRunWithoutLosingMissedOnes(_ database: TestDatabase) async throws {
        let clock = ManualClock(instant("2026-11-23T08:00:00+08:00"))
        try await database.withKeel(clock: clock, timeZone: Self.shanghai) { keel in
            let admin = try await keel.makeUser()
            try await Self.digest(keel, by: admin)
            clock.set(instant("2026-11-23T09:00:00+08:00"))
            #expect(try await keel.automations.tick() == 1)
            // Restarted with the organisation in UTC: 09:00 UTC is 17:00 in Shanghai.
            let utc = Keel(database: keel.database, timeZone: TimeZone(identifier: "UTC")!, clock: clock)
            try await utc.automations.syncSchedules()
            let next = try await keel.database.read { try await ScheduleStore(dialect: keel.database.dialect).all(on: $0) }.first?.nextAt
            #expect(next == "2026-11-23T09:00:00.000Z")
            clock.set(instant("2026-11-24T12:00:00+00:00"))
            #expect(try await utc.automations.tick() == 2)
            #expect(try await Self.slots(keel) == ["2026-11-23T01:00:00.000Z", "2026-11-23T09:00:00.000Z", "2026-11-24T09:00:00.000Z"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTimerFiresWorkingDaysAfterADateAndNotAfterTheDateMoves(_ database: TestDatabase) async throws {
        // Friday 27 November 2026.
        let clock = ManualClock(instant("2026-11-27T10:00:00+08:00"))
        try await database.withKeel(clock: clock, timeZone: Self.shanghai) { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.automations.publish([
                "id": "after-close", "object": "opportunities", "trigger": ["type": "after_date", "field": "expected_close_date", "days": 2, "hour": 9],
                "actions": [["type": "notify", "to": ["owner"], "message": "\"回访: \" & name"]],
            ], by: admin)
            let ctx = WriteContext(principal: admin, source: .api)
            _ = try await keel.records.create("opportunities", ["name": "甲", "expected_close_date": "2026-11-27"], context: ctx)
            let moved = try #require(try await keel.records.create("opportunities", ["name": "乙", "expected_close_date": "2026-11-27"], context: ctx)
                .json["id"]?.stringValue)
            let worker = Worker(keel: keel)
            try await worker.drain()
            _ = try await keel.records.update("opportunities", id: moved, ["expected_close_date": "2026-12-03"], expectedVersion: nil, context: ctx)
            try await worker.drain()
            let due = try await keel.automations.runs("after-close", by: admin).map(\.0.nextAt).sorted()
            // Two working days after Friday is Tuesday, 09:00 in Shanghai; after Thursday 3 December it is Monday 7 December.
            #expect(due == ["2026-12-01T01:00:00.000Z", "2026-12-01T01:00:00.000Z", "2026-12-07T01:00:00.000Z"])
            clock.set(instant("2026-11-30T23:00:00+08:00"))
            try await worker.drain()
            #expect(try await keel.notifier.notifications(of: admin).items.isEmpty)
            clock.set(instant("2026-12-01T09:00:00+08:00"))
            try await worker.drain()
            #expect(try await keel.notifier.notifications(of: admin).items.map(\.title) == ["回访: 甲"])
            let skipped = try await keel.automations.runs("after-close", by: admin).filter { $0.0.status == "skipped" }
            #expect(skipped.map(\.0.lastError) == ["expected_close_date changed since the timer was set"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func theOrganisationsCalendarDecidesWhatAWorkingDayIs(_ database: TestDatabase) async throws {
        let clock = ManualClock(instant("2026-11-27T10:00:00+08:00"))
        try await database.withKeel(clock: clock, timeZone: Self.shanghai) { keel in
            let admin = try await keel.makeUser()
            let member = try await keel.makeUser("m@example.com", role: .member)
            do {
                _ = try await keel.metadata.setCalendar(["workingWeekdays": [0, 1], "holidays": ["2026-13-01"]], by: admin)
                Issue.record("accepted")
            } catch let e as KeelError {
                #expect(Set(e.violations.map(\.field)) == ["workingWeekdays", "holidays"])
            }
            await #expect(throws: KeelError.self) { _ = try await keel.metadata.setCalendar(["holidays": []], by: member) }
            // Saturday 28 November is a make-up working day; Monday 30 November a holiday.
            _ = try await keel.metadata.setCalendar(["holidays": ["2026-11-30"], "workingWeekends": ["2026-11-28"]], by: admin)
            #expect(try await keel.metadata.catalog().calendar.workingWeekends == ["2026-11-28"])
            _ = try await keel.automations.publish([
                "id": "next-day", "object": "opportunities", "trigger": ["type": "after_date", "field": "expected_close_date", "days": 1, "hour": 9],
                "actions": [["type": "notify", "to": ["owner"], "message": "name"]],
            ], by: admin)
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "workdays", "type": "formula", "resultType": "number",
                                                                      "expression": "WORKDAYS_BETWEEN(expected_close_date, ADD_DAYS(expected_close_date, 2))"],
                                                  as: admin)
            let ctx = WriteContext(principal: admin, source: .api)
            let id = try #require(try await keel.records.create("opportunities", ["name": "甲", "expected_close_date": "2026-11-27"], context: ctx).json["id"]?.stringValue)
            try await keel.automations.dispatch()
            #expect(try await keel.automations.runs("next-day", by: admin).map(\.0.nextAt) == ["2026-11-28T01:00:00.000Z"])
            // Friday to Sunday: one working day, the make-up Saturday (none on a plain calendar).
            #expect(try await keel.records.get("opportunities", id: id, as: admin).0.value("workdays") == .number(1))
        }
    }
}
