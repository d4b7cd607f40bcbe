import Foundation
import KeelCore
import SQLKit

/// Batch duplicate runs and the review queue of clusters they found.
public struct DedupStore: Sendable {
    public init() {}

    public func insertRun(id: String, object: String, by userID: String, at now: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO dedup_runs (id, object, status, phase, done, total, created_at, created_by)
            VALUES (\(bind: id), \(bind: object), 'queued', 'queued', 0, 0, \(bind: now), \(bind: userID))
            """).run()
    }

    /// Progress of a run: its status, its phase and how far into it.
    public func progress(_ id: String, status: String, phase: String, done: Int, total: Int, stats: JSONValue? = nil, error: String? = nil,
                         finishedAt: String? = nil, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE dedup_runs SET status = \(bind: status), phase = \(bind: phase), done = \(bind: done), total = \(bind: total),
                   stats = \(bind: stats?.canonicalText()), error = \(bind: error), finished_at = \(bind: finishedAt)
            WHERE id = \(bind: id)
            """).run()
    }

    public func run(_ id: String, on db: any SQLDatabase) async throws -> JSONValue? {
        try await db.raw("SELECT * FROM dedup_runs WHERE id = \(bind: id)").first().map(decodeRun)
    }

    public func latestRun(object: String, on db: any SQLDatabase) async throws -> JSONValue? {
        try await db.raw("SELECT * FROM dedup_runs WHERE object = \(bind: object) ORDER BY created_at DESC, id DESC LIMIT 1").first().map(decodeRun)
    }

    /// Adds a cluster to the queue unless the same records are already in it (from this run or an earlier one).
    public func insertCluster(id: String, runID: String, object: String, recordIDs: [String], score: Double, evidence: JSONValue, at now: String,
                              on db: any SQLDatabase) async throws {
        let ids = recordIDs.sorted()
        try await db.raw("""
            INSERT INTO dedup_clusters (id, run_id, object, signature, record_ids, score, evidence, status, created_at)
            VALUES (\(bind: id), \(bind: runID), \(bind: object), \(bind: object + ":" + ids.joined(separator: ",")),
                    \(bind: JSONValue.array(ids.map(JSONValue.string)).canonicalText()), \(bind: score), \(bind: evidence.canonicalText()), 'open', \(bind: now))
            ON CONFLICT (signature) DO NOTHING
            """).run()
    }

    /// Clusters of an object in `status`, strongest first.
    public func clusters(object: String, status: String, limit: Int, on db: any SQLDatabase) async throws -> [JSONValue] {
        try await db.raw("""
            SELECT * FROM dedup_clusters WHERE object = \(bind: object) AND status = \(bind: status) ORDER BY score DESC, id LIMIT \(literal: limit)
            """).all().map(decodeCluster)
    }

    public func countClusters(object: String, status: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM dedup_clusters WHERE object = \(bind: object) AND status = \(bind: status)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    public func cluster(_ id: String, on db: any SQLDatabase) async throws -> JSONValue? {
        try await db.raw("SELECT * FROM dedup_clusters WHERE id = \(bind: id)").first().map(decodeCluster)
    }

    /// Closes an open cluster as `status` (merged, distinct, stale); false when it was no longer open.
    public func decide(_ id: String, status: String, mergeID: String? = nil, by userID: String, at now: String, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("""
            UPDATE dedup_clusters SET status = \(bind: status), merge_id = \(bind: mergeID), decided_at = \(bind: now), decided_by = \(bind: userID)
            WHERE id = \(bind: id) AND status = 'open' RETURNING id
            """).all()).isEmpty
    }

    func decodeRun(_ row: any SQLRow) throws -> JSONValue {
        [
            "id": .string(try row.decode(column: "id", as: String.self)), "object": .string(try row.decode(column: "object", as: String.self)),
            "status": .string(try row.decode(column: "status", as: String.self)), "phase": .string(try row.decode(column: "phase", as: String.self)),
            "done": JSONValue(try row.decode(column: "done", as: Int.self)), "total": JSONValue(try row.decode(column: "total", as: Int.self)),
            "stats": try row.decode(column: "stats", as: String?.self).flatMap { try? JSONValue.parse(text: $0) } ?? .null,
            "error": try row.decode(column: "error", as: String?.self).map(JSONValue.string) ?? .null,
            "createdAt": .string(try row.decode(column: "created_at", as: String.self)), "createdBy": .string(try row.decode(column: "created_by", as: String.self)),
            "finishedAt": try row.decode(column: "finished_at", as: String?.self).map(JSONValue.string) ?? .null,
        ]
    }

    func decodeCluster(_ row: any SQLRow) throws -> JSONValue {
        [
            "id": .string(try row.decode(column: "id", as: String.self)), "run": .string(try row.decode(column: "run_id", as: String.self)),
            "object": .string(try row.decode(column: "object", as: String.self)),
            "records": (try? JSONValue.parse(text: row.decode(column: "record_ids", as: String.self))) ?? [],
            "score": JSONValue(try row.decode(column: "score", as: Double.self)),
            "evidence": (try? JSONValue.parse(text: row.decode(column: "evidence", as: String.self))) ?? [],
            "status": .string(try row.decode(column: "status", as: String.self)),
            "decidedAt": try row.decode(column: "decided_at", as: String?.self).map(JSONValue.string) ?? .null,
            "decidedBy": try row.decode(column: "decided_by", as: String?.self).map(JSONValue.string) ?? .null,
            "merge": try row.decode(column: "merge_id", as: String?.self).map(JSONValue.string) ?? .null,
        ]
    }
}
