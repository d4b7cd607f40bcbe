import Foundation
import KeelCore
import SQLKit

/// Response-SLA timers: started with an assignment, closed when their target is met or the lead changes hands,
/// fired once when due.
public struct SLAStore: Sendable {
    let dialect: SQLDialectKind

    public init(dialect: SQLDialectKind) { self.dialect = dialect }

    static let columns = "id, lead_id, owner_id, assigned_at, event, minutes, deadline, tier, robot, due_at, status, closed_at, outcome"

    public func insert(_ timers: [SLATimer], on db: any SQLDatabase) async throws {
        guard !timers.isEmpty else { return }
        let rows = timers.map { t in
            SQLQueryString("""
                (\(bind: t.id), \(bind: t.leadID), \(bind: t.ownerID), \(bind: t.assignedAt), \(bind: t.event.rawValue), \(bind: t.minutes), \(bind: t.deadline),
                 \(bind: t.tier.rawValue), \(bind: t.robot), \(bind: t.dueAt), \(bind: t.status.rawValue), \(bind: t.closedAt), \(bind: t.outcome))
                """)
        }
        try await db.raw("INSERT INTO sla_timers (\(unsafeRaw: Self.columns)) VALUES \(SQLList(rows))").run()
    }

    /// Closes a lead's pending timers — those of `events`, or all — as met or cancelled; returns the targets closed.
    @discardableResult
    public func close(leadID: String, events: [ResponseSLA.Event]? = nil, as status: SLATimer.Status, at now: String,
                      on db: any SQLDatabase) async throws -> [SLATimer] {
        let which: SQLQueryString = events.map { "AND event IN (\(binds: $0.map(\.rawValue)))" } ?? ""
        // An answer after a timer fell due is no longer in time: that timer stays for the worker to fire (and the
        // breach to be recorded), even when the worker has not got to it yet.
        let inTime: SQLQueryString = status == .met ? "AND due_at > \(bind: now)" : ""
        return try await db.raw("""
            UPDATE sla_timers SET status = \(bind: status.rawValue), closed_at = \(bind: now)
            WHERE lead_id = \(bind: leadID) AND status = 'pending' \(which) \(inTime) RETURNING \(unsafeRaw: Self.columns)
            """).all().map(decode)
    }

    /// Whether a lead has a pending timer for `event` owned by `ownerID` (read before a write that would close it).
    public func pending(leadID: String, event: ResponseSLA.Event, ownerID: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS one FROM sla_timers WHERE lead_id = \(bind: leadID) AND status = 'pending' AND event = \(bind: event.rawValue)
            AND owner_id = \(bind: ownerID) LIMIT 1
            """).first() != nil
    }

    /// Takes up to `limit` timers due by `now`, marking them fired: a timer is taken once, by one transaction.
    public func takeDue(now: String, limit: Int, on db: any SQLDatabase) async throws -> [SLATimer] {
        let lock: SQLQueryString = dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await db.raw("""
            UPDATE sla_timers SET status = 'fired', closed_at = \(bind: now)
            WHERE id IN (SELECT id FROM sla_timers WHERE status = 'pending' AND due_at <= \(bind: now) ORDER BY due_at LIMIT \(literal: limit) \(lock))
            RETURNING \(unsafeRaw: Self.columns)
            """).all().map(decode).sorted { ($0.dueAt, $0.tier.rawValue) < ($1.dueAt, $1.tier.rawValue) }
    }

    /// The earliest pending due time, if any.
    public func nextDue(on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT MIN(due_at) AS due FROM sla_timers WHERE status = 'pending'").first()?.decode(column: "due", as: String?.self)
    }

    /// Each timer's outcome (timer id → outcome), in one statement.
    public func setOutcomes(_ outcomes: [String: String], on db: any SQLDatabase) async throws {
        guard !outcomes.isEmpty else { return }
        let cases: [SQLQueryString] = outcomes.map { "WHEN \(bind: $0.key) THEN \(bind: $0.value)" }
        try await db.raw("UPDATE sla_timers SET outcome = CASE id \(cases.joined(separator: " ")) END WHERE id IN (\(binds: Array(outcomes.keys)))").run()
    }

    /// The timers of these leads, by due time.
    public func timers(leadIDs: [String], on db: any SQLDatabase) async throws -> [SLATimer] {
        guard !leadIDs.isEmpty else { return [] }
        return try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM sla_timers WHERE lead_id IN (\(binds: leadIDs)) ORDER BY assigned_at, due_at, tier
            """).all().map(decode)
    }

    func decode(_ row: any SQLRow) throws -> SLATimer {
        SLATimer(id: try row.decode(column: "id", as: String.self), leadID: try row.decode(column: "lead_id", as: String.self),
                 ownerID: try row.decode(column: "owner_id", as: String.self), assignedAt: try row.decode(column: "assigned_at", as: String.self),
                 event: ResponseSLA.Event(rawValue: try row.decode(column: "event", as: String.self)) ?? .contacted,
                 minutes: try row.decode(column: "minutes", as: Int.self), deadline: try row.decode(column: "deadline", as: String.self),
                 tier: ResponseSLA.Tier(rawValue: try row.decode(column: "tier", as: Int.self)) ?? .notify, robot: try row.decode(column: "robot", as: String?.self),
                 dueAt: try row.decode(column: "due_at", as: String.self), status: SLATimer.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .cancelled,
                 closedAt: try row.decode(column: "closed_at", as: String?.self), outcome: try row.decode(column: "outcome", as: String?.self))
    }
}
