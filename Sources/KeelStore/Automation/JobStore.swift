import Foundation
import KeelCore
import SQLKit

/// The job queue. Jobs are claimed with a lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL), so several processes
/// share the work and a job whose process died is taken up again when its lease runs out.
public struct JobStore: Sendable {
    public let dialect: SQLDialectKind

    public init(dialect: SQLDialectKind) {
        self.dialect = dialect
    }

    /// Adds the job unless one with its key exists; returns whether it was added.
    @discardableResult
    public func enqueue(_ job: Job, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw("""
            INSERT INTO jobs (id, kind, ref, key, version, object, record_id, payload, depth, status, attempts, next_at, created_at)
            VALUES (\(bind: job.id), \(bind: job.kind), \(bind: job.ref), \(bind: job.key), \(bind: job.version), \(bind: job.object),
                    \(bind: job.recordID), \(bind: job.payload.canonicalText()), \(bind: job.depth), 'pending', 0, \(bind: job.nextAt), \(bind: job.createdAt))
            ON CONFLICT (key) DO NOTHING RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Whether any job of `kinds` is due (or abandoned by its holder): a read, so idle workers do not take the writer.
    public func anyDue(now: String, kinds: [String], on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT id FROM jobs WHERE ((status = 'pending' AND next_at <= \(bind: now)) OR (status = 'running' AND lease_until < \(bind: now)))
              AND kind IN (\(binds: kinds)) LIMIT 1
            """).first() != nil
    }

    /// Takes up to `limit` jobs that are due (or whose holder's lease ran out) for `worker` until `leaseUntil`.
    public func claim(now: String, leaseUntil: String, worker: String, kinds: [String], limit: Int, on db: any SQLDatabase) async throws -> [Job] {
        let lock: SQLQueryString = dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await db.raw("""
            UPDATE jobs SET status = 'running', lease_until = \(bind: leaseUntil), leased_by = \(bind: worker), attempts = attempts + 1
            WHERE id IN (SELECT id FROM jobs
                         WHERE ((status = 'pending' AND next_at <= \(bind: now)) OR (status = 'running' AND lease_until < \(bind: now)))
                           AND kind IN (\(binds: kinds))
                         ORDER BY next_at LIMIT \(literal: limit) \(lock))
            RETURNING \(unsafeRaw: Self.columns)
            """).all().map(decode).sorted { ($0.nextAt, $0.id) < ($1.nextAt, $1.id) }
    }

    /// Ends a job: `done`, `skipped`, `failed` (no retry left for a run) or `dead` (a delivery out of retries).
    public func finish(_ id: String, status: String, error: String?, at now: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE jobs SET status = \(bind: status), last_error = \(bind: error), finished_at = \(bind: now), lease_until = NULL WHERE id = \(bind: id)
            """).run()
    }

    /// Puts a job back to be tried again at `nextAt`.
    public func retry(_ id: String, nextAt: String, error: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE jobs SET status = 'pending', next_at = \(bind: nextAt), last_error = \(bind: error), lease_until = NULL WHERE id = \(bind: id)
            """).run()
    }

    /// A dead or failed job, sent again from the start (its id, and so a webhook's id, stays the same).
    public func replay(_ id: String, now: String, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("""
            UPDATE jobs SET status = 'pending', attempts = 0, next_at = \(bind: now), finished_at = NULL
            WHERE id = \(bind: id) AND status IN ('dead', 'failed') RETURNING id
            """).all()).isEmpty
    }

    /// Removes jobs that ended well (done, skipped) before `before`, with their attempts; failures and dead letters stay.
    @discardableResult
    public func prune(before: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            DELETE FROM job_attempts WHERE job_id IN (SELECT id FROM jobs WHERE status IN ('done', 'skipped') AND finished_at < \(bind: before))
            """).run()
        return try await db.raw("DELETE FROM jobs WHERE status IN ('done', 'skipped') AND finished_at < \(bind: before) RETURNING id").all().count
    }

    public func record(_ a: JobAttempt, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO job_attempts (job_id, attempt, started_at, duration_ms, outcome, http_status, error)
            VALUES (\(bind: a.jobID), \(bind: a.attempt), \(bind: a.startedAt), \(bind: a.durationMS), \(bind: a.outcome), \(bind: a.httpStatus), \(bind: a.error))
            ON CONFLICT (job_id, attempt) DO NOTHING
            """).run()
    }

    public func job(_ id: String, on db: any SQLDatabase) async throws -> Job? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE id = \(bind: id)").first().map(decode)
    }

    /// The newest jobs of one automation or endpoint.
    public func jobs(kind: String, ref: String, limit: Int, on db: any SQLDatabase) async throws -> [Job] {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE kind = \(bind: kind) AND ref = \(bind: ref) ORDER BY created_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(decode)
    }

    /// The newest jobs of a kind in one state (dead letters, failures).
    public func jobs(kind: String, status: String, limit: Int, on db: any SQLDatabase) async throws -> [Job] {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM jobs WHERE kind = \(bind: kind) AND status = \(bind: status) ORDER BY created_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(decode)
    }

    public func attempts(jobID: String, on db: any SQLDatabase) async throws -> [JobAttempt] {
        try await db.raw("""
            SELECT job_id, attempt, started_at, duration_ms, outcome, http_status, error FROM job_attempts WHERE job_id = \(bind: jobID) ORDER BY attempt
            """).all().map { row in
            JobAttempt(jobID: try row.decode(column: "job_id", as: String.self), attempt: try row.decode(column: "attempt", as: Int.self),
                       startedAt: try row.decode(column: "started_at", as: String.self), durationMS: try row.decode(column: "duration_ms", as: Int.self),
                       outcome: try row.decode(column: "outcome", as: String.self), httpStatus: try row.decode(column: "http_status", as: Int?.self),
                       error: try row.decode(column: "error", as: String?.self))
        }
    }

    /// Jobs per (kind, ref, status): what run logs and `/metrics` count.
    public func counts(on db: any SQLDatabase) async throws -> [(kind: String, ref: String, status: String, count: Int)] {
        try await db.raw("SELECT kind, ref, status, COUNT(*) AS n FROM jobs GROUP BY kind, ref, status").all().map { row in
            (try row.decode(column: "kind", as: String.self), try row.decode(column: "ref", as: String.self),
             try row.decode(column: "status", as: String.self), try row.decode(column: "n", as: Int.self))
        }
    }

    /// The `next_at` of the job that has waited longest past its time, if any is due.
    public func oldestDue(now: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT MIN(next_at) AS t FROM jobs WHERE status = 'pending' AND next_at <= \(bind: now)").first()?
            .decode(column: "t", as: String?.self)
    }

    static let columns = "id, kind, ref, key, version, object, record_id, payload, depth, status, attempts, next_at, last_error, created_at, finished_at"

    func decode(_ row: any SQLRow) throws -> Job {
        var job = Job(kind: try row.decode(column: "kind", as: String.self), ref: try row.decode(column: "ref", as: String.self),
                      key: try row.decode(column: "key", as: String.self), version: try row.decode(column: "version", as: Int.self),
                      object: try row.decode(column: "object", as: String?.self), recordID: try row.decode(column: "record_id", as: String?.self),
                      payload: (try? JSONValue.parse(text: row.decode(column: "payload", as: String.self))) ?? .null,
                      depth: try row.decode(column: "depth", as: Int.self), nextAt: try row.decode(column: "next_at", as: String.self),
                      createdAt: try row.decode(column: "created_at", as: String.self))
        job.id = try row.decode(column: "id", as: String.self)
        job.status = try row.decode(column: "status", as: String.self)
        job.attempts = try row.decode(column: "attempts", as: Int.self)
        job.lastError = try row.decode(column: "last_error", as: String?.self)
        job.finishedAt = try row.decode(column: "finished_at", as: String?.self)
        return job
    }
}
