import Foundation
import KeelCore
import SQLKit

/// Imports and their rows' results.
public struct ImportStore: Sendable {
    public init() {}

    static let columns = """
        id, object, filename, path, sha256, plan, dry_run, status, total_rows, done_rows, last_row, n_created, n_updated, n_merged, n_skipped, n_failed,
        problem, created_by, created_at, finished_at, reverted_at, reverted_by, revert_report
        """

    public func insert(_ job: ImportJob, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO imports (\(unsafeRaw: Self.columns)) VALUES (\(bind: job.id), \(bind: job.object), \(bind: job.filename), \(bind: job.path),
            \(bind: job.sha256), \(bind: job.plan.json.canonicalText()), \(bind: job.dryRun ? 1 : 0), \(bind: job.status.rawValue), \(bind: job.totalRows),
            \(bind: job.doneRows), \(bind: job.lastRow), 0, 0, 0, 0, 0, \(bind: job.problem?.canonicalText()), \(bind: job.createdBy), \(bind: job.createdAt),
            NULL, NULL, NULL, NULL)
            """).run()
    }

    public func job(_ id: String, on db: any SQLDatabase) async throws -> ImportJob? {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM imports WHERE id = \(bind: id)").first().map(decode)
    }

    /// The newest imports (of one user's, when `createdBy` is given).
    public func jobs(createdBy: String?, limit: Int, on db: any SQLDatabase) async throws -> [ImportJob] {
        let mine: SQLQueryString = createdBy.map { "WHERE created_by = \(bind: $0)" } ?? ""
        return try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM imports \(mine) ORDER BY created_at DESC, id DESC LIMIT \(unsafeRaw: String(limit))")
            .all().map(decode)
    }

    /// Imports that were started and not finished (a worker or a process stopped part-way), oldest first.
    public func unfinished(on db: any SQLDatabase) async throws -> [ImportJob] {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM imports WHERE status IN ('pending', 'running') ORDER BY created_at, id
            """).all().map(decode)
    }

    /// Locks the import's row until the transaction ends: one batch at a time, whoever runs it.
    public func lock(_ id: String, dialect: SQLDialectKind, on db: any SQLDatabase) async throws -> ImportJob? {
        let forUpdate = dialect == .postgres ? " FOR UPDATE" : ""
        return try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM imports WHERE id = \(bind: id)\(unsafeRaw: forUpdate)").first().map(decode)
    }

    public func setStatus(_ id: String, _ status: ImportJob.Status, totalRows: Int? = nil, problem: JSONValue? = nil, finishedAt: String? = nil,
                          on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE imports SET status = \(bind: status.rawValue), total_rows = COALESCE(\(bind: totalRows), total_rows),
            problem = COALESCE(\(bind: problem?.canonicalText()), problem), finished_at = COALESCE(\(bind: finishedAt), finished_at) WHERE id = \(bind: id)
            """).run()
    }

    /// Records a batch's rows and moves the import's progress past them, in the caller's transaction.
    public func saveBatch(_ id: String, rows: [ImportRowResult], lastRow: Int, on db: any SQLDatabase) async throws {
        for chunk in stride(from: 0, to: rows.count, by: 100).map({ rows[$0..<min($0 + 100, rows.count)] }) {
            var values: [SQLQueryString] = []
            for r in chunk {
                let changes: String? = r.changes.isEmpty ? nil : JSONValue.object(r.changes.mapValues(JSONValue.array)).canonicalText()
                let problems: String? = r.problems.isEmpty ? nil : JSONValue.array(r.problems.map(\.json)).canonicalText()
                values.append("(\(bind: id), \(bind: r.row), \(bind: r.outcome.rawValue), \(bind: r.recordID), \(bind: r.matchedID), \(bind: r.version), \(bind: changes), \(bind: problems))")
            }
            try await db.raw("""
                INSERT INTO import_rows (import_id, row_number, outcome, record_id, matched_id, version, changes, problems)
                VALUES \(values.joined(separator: ", "))
                """).run()
        }
        var count: [ImportOutcome: Int] = [:]
        for r in rows { count[r.outcome, default: 0] += 1 }
        try await db.raw("""
            UPDATE imports SET done_rows = done_rows + \(bind: rows.count), last_row = \(bind: lastRow), n_created = n_created + \(bind: count[.created] ?? 0),
            n_updated = n_updated + \(bind: count[.updated] ?? 0), n_merged = n_merged + \(bind: count[.merged] ?? 0),
            n_skipped = n_skipped + \(bind: count[.skipped] ?? 0), n_failed = n_failed + \(bind: count[.failed] ?? 0), status = 'running'
            WHERE id = \(bind: id)
            """).run()
    }

    /// Rows' results in row order from after `row` (`descending`: in reverse order from before it); only those with
    /// these outcomes, and of these records, when given.
    public func rows(_ id: String, after row: Int, descending: Bool = false, outcomes: [ImportOutcome]? = nil, records: [String]? = nil, limit: Int,
                     on db: any SQLDatabase) async throws -> [ImportRowResult] {
        var only: SQLQueryString = outcomes.map { "AND outcome IN (\(binds: $0.map(\.rawValue)))" } ?? ""
        if let records { only = records.isEmpty ? "AND 1 = 0" : only + " AND record_id IN (\(binds: records))" }
        let from: SQLQueryString = descending ? "row_number < \(bind: row)" : "row_number > \(bind: row)"
        return try await db.raw("""
            SELECT row_number, outcome, record_id, matched_id, version, changes, problems FROM import_rows
            WHERE import_id = \(bind: id) AND \(from) \(only) ORDER BY row_number \(unsafeRaw: descending ? "DESC" : "") LIMIT \(unsafeRaw: String(limit))
            """).all().map { r in
            let changes = try r.decode(column: "changes", as: String?.self).flatMap { try? JSONValue.parse(text: $0) }?.objectValue ?? [:]
            let problems = try r.decode(column: "problems", as: String?.self).flatMap { try? JSONValue.parse(text: $0) }?.arrayValue ?? []
            return ImportRowResult(row: try r.decode(column: "row_number", as: Int.self),
                                   outcome: ImportOutcome(rawValue: try r.decode(column: "outcome", as: String.self)) ?? .failed,
                                   recordID: try r.decode(column: "record_id", as: String?.self), matchedID: try r.decode(column: "matched_id", as: String?.self),
                                   version: try r.decode(column: "version", as: Int?.self), changes: changes.compactMapValues(\.arrayValue),
                                   problems: problems.compactMap(ImportRowResult.Problem.init(json:)))
        }
    }

    /// Marks an import as being taken back by a user — only a finished one, once: false when it was not finished.
    public func markReverting(_ id: String, by userID: String, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("""
            UPDATE imports SET status = 'reverting', reverted_by = \(bind: userID) WHERE id = \(bind: id) AND status = 'done' RETURNING id
            """).all()).isEmpty
    }

    /// Imports being taken back, oldest first.
    public func reverting(on db: any SQLDatabase) async throws -> [ImportJob] {
        try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM imports WHERE status = 'reverting' ORDER BY created_at, id").all().map(decode)
    }

    public func markReverted(_ id: String, by userID: String, at: String, report: JSONValue, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE imports SET status = 'reverted', reverted_at = \(bind: at), reverted_by = \(bind: userID), revert_report = \(bind: report.canonicalText())
            WHERE id = \(bind: id)
            """).run()
    }

    func decode(_ row: any SQLRow) throws -> ImportJob {
        let plan = (try? JSONValue.parse(text: row.decode(column: "plan", as: String.self))) ?? .null
        return ImportJob(
            id: try row.decode(column: "id", as: String.self), object: try row.decode(column: "object", as: String.self),
            filename: try row.decode(column: "filename", as: String.self), path: try row.decode(column: "path", as: String.self),
            sha256: try row.decode(column: "sha256", as: String.self), plan: ImportPlan(stored: plan),
            dryRun: try row.decode(column: "dry_run", as: Int.self) != 0,
            status: ImportJob.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
            totalRows: try row.decode(column: "total_rows", as: Int.self), doneRows: try row.decode(column: "done_rows", as: Int.self),
            lastRow: try row.decode(column: "last_row", as: Int.self),
            counts: [.created: try row.decode(column: "n_created", as: Int.self), .updated: try row.decode(column: "n_updated", as: Int.self),
                     .merged: try row.decode(column: "n_merged", as: Int.self), .skipped: try row.decode(column: "n_skipped", as: Int.self),
                     .failed: try row.decode(column: "n_failed", as: Int.self)],
            problem: try row.decode(column: "problem", as: String?.self).flatMap { try? JSONValue.parse(text: $0) },
            createdBy: try row.decode(column: "created_by", as: String.self), createdAt: try row.decode(column: "created_at", as: String.self),
            finishedAt: try row.decode(column: "finished_at", as: String?.self), revertedAt: try row.decode(column: "reverted_at", as: String?.self),
            revertedBy: try row.decode(column: "reverted_by", as: String?.self),
            revertReport: try row.decode(column: "revert_report", as: String?.self).flatMap { try? JSONValue.parse(text: $0) })
    }
}
