import Foundation
import KeelCore
import SQLKit

/// A cron schedule and the next time it is due.
public struct Schedule: Sendable, Hashable {
    public var id: String
    public var cron: String
    public var nextAt: String
    public var lastSlot: String?
}

/// Cron schedules. Due ones are taken under a row lock (`FOR UPDATE SKIP LOCKED` on PostgreSQL) in the same
/// transaction that enqueues their runs and moves them on, so two processes never run one slot twice.
public struct ScheduleStore: Sendable {
    public let dialect: SQLDialectKind

    public init(dialect: SQLDialectKind) {
        self.dialect = dialect
    }

    /// Creates or changes a schedule; a changed cron starts again from `nextAt`.
    public func upsert(id: String, cron: String, nextAt: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO schedules (id, cron, next_at) VALUES (\(bind: id), \(bind: cron), \(bind: nextAt))
            ON CONFLICT (id) DO UPDATE SET cron = \(bind: cron), next_at = \(bind: nextAt) WHERE schedules.cron <> \(bind: cron)
            """).run()
    }

    public func remove(id: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM schedules WHERE id = \(bind: id)").run()
    }

    public func due(now: String, on db: any SQLDatabase) async throws -> [Schedule] {
        let lock: SQLQueryString = dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await db.raw("""
            SELECT id, cron, next_at, last_slot FROM schedules WHERE next_at <= \(bind: now) ORDER BY next_at \(lock)
            """).all().map(decode)
    }

    /// The `next_at` of the schedule due longest, if any is due (no lock: for idle checks and the lag metric).
    public func oldestDue(now: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT MIN(next_at) AS t FROM schedules WHERE next_at <= \(bind: now)").first()?.decode(column: "t", as: String?.self)
    }

    public func all(on db: any SQLDatabase) async throws -> [Schedule] {
        try await db.raw("SELECT id, cron, next_at, last_slot FROM schedules ORDER BY id").all().map(decode)
    }

    public func advance(id: String, nextAt: String, lastSlot: String, ranAt now: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE schedules SET next_at = \(bind: nextAt), last_slot = \(bind: lastSlot), last_run_at = \(bind: now) WHERE id = \(bind: id)
            """).run()
    }

    func decode(_ row: any SQLRow) throws -> Schedule {
        Schedule(id: try row.decode(column: "id", as: String.self), cron: try row.decode(column: "cron", as: String.self),
                 nextAt: try row.decode(column: "next_at", as: String.self), lastSlot: try row.decode(column: "last_slot", as: String?.self))
    }
}
