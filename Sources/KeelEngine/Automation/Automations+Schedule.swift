import Foundation
import KeelCore
import KeelStore
import SQLKit

extension Automations {
    /// The most missed slots of one schedule run on catch-up (the newest ones).
    public static let maxCatchUp = 100

    /// Enqueues a run for every slot of every cron schedule that fell due — including slots missed while Keel was down
    /// or the clock jumped ahead (the newest `maxCatchUp`) — and moves each schedule to its first slot after now. Due
    /// schedules are locked for the transaction and run keys are unique per slot, so no slot runs twice, whatever
    /// the number of processes; a clock set back simply waits for the next slot. Returns the runs enqueued.
    @discardableResult
    public func tick() async throws -> Int {
        let at = clock.now()
        let nowText = ValueFormats.formatDateTime(at)
        guard try await database.read({ try await schedules.oldestDue(now: nowText, on: $0) }) != nil else { return 0 }
        return try await database.write { db in
            var enqueued = 0
            for schedule in try await schedules.due(now: nowText, on: db) {
                guard let cron = try? CronSchedule(schedule.cron), let first = ValueFormats.parseDateTime(schedule.nextAt) else { continue }
                let item = try await config.items(kind: Self.kind, id: schedule.id, on: db).first
                var slots: [Date] = []
                var slot: Date? = first
                while let s = slot, s <= at, slots.count < 10_000 {
                    slots.append(s)
                    slot = cron.next(after: s, in: timeZone)
                }
                // The monthly health report has no automation behind it: its latest slot makes one report job.
                if schedule.id == HealthReports.scheduleID, let s = slots.last {
                    let text = ValueFormats.formatDateTime(s)
                    if try await jobs.enqueue(Job(kind: HealthReports.kind, ref: schedule.id, key: "schedule:\(schedule.id):\(text)", nextAt: text,
                                                  createdAt: nowText), on: db) { enqueued += 1 }
                }
                if let item, item.status == "active" {
                    for s in slots.suffix(Self.maxCatchUp) {
                        let text = ValueFormats.formatDateTime(s)
                        if try await jobs.enqueue(Job(kind: Self.kind, ref: schedule.id, key: "schedule:\(schedule.id):\(text)", version: item.version,
                                                      payload: ["slot": .string(text), "missed": .bool(s < slots.last!)], nextAt: text, createdAt: nowText), on: db) {
                            enqueued += 1
                        }
                    }
                }
                let next = cron.next(after: at, in: timeZone) ?? at.addingTimeInterval(86400 * 366)
                try await schedules.advance(id: schedule.id, nextAt: ValueFormats.formatDateTime(next),
                                            lastSlot: slots.last.map(ValueFormats.formatDateTime) ?? schedule.lastSlot ?? nowText, ranAt: nowText, on: db)
            }
            return enqueued
        }
    }

    /// Re-reads every schedule in the current time zone (it may have changed while Keel was stopped): the next slot
    /// is the first after the last one run, so missed slots are still caught up.
    public func syncSchedules() async throws {
        let at = clock.now()
        try await database.write { db in
            for schedule in try await schedules.all(on: db) {
                guard let cron = try? CronSchedule(schedule.cron) else { continue }
                let from = schedule.lastSlot.flatMap(ValueFormats.parseDateTime) ?? at
                guard let next = cron.next(after: from, in: timeZone) else { continue }
                let text = ValueFormats.formatDateTime(next)
                if text != schedule.nextAt {
                    try await schedules.advance(id: schedule.id, nextAt: text, lastSlot: schedule.lastSlot ?? ValueFormats.formatDateTime(at),
                                                ranAt: ValueFormats.formatDateTime(at), on: db)
                }
            }
        }
    }

    /// How long finished runs and dispatched outbox events are kept.
    public static let retention: TimeInterval = 30 * 86400

    /// Removes runs that ended well and dispatched events older than `retention`; failed runs and dead letters stay.
    public func prune() async throws {
        let before = ValueFormats.formatDateTime(clock.now().addingTimeInterval(-Self.retention))
        try await database.write { db in
            try await jobs.prune(before: before, on: db)
            try await journal.pruneProcessed(before: before, on: db)
        }
    }

    /// How far behind the background work is: the longest a due job or schedule has waited, in seconds.
    public func lag() async throws -> Double {
        let at = clock.now()
        let nowText = ValueFormats.formatDateTime(at)
        let (job, schedule) = try await database.read { db in
            (try await jobs.oldestDue(now: nowText, on: db), try await schedules.oldestDue(now: nowText, on: db))
        }
        let oldest = [job, schedule].compactMap { $0.flatMap(ValueFormats.parseDateTime) }.min()
        return oldest.map { max(0, at.timeIntervalSince($0)) } ?? 0
    }
}
