import Foundation
import KeelCore
import SQLKit

/// One merge as stored: the survivor, and a snapshot of everything the merge changed, so it can be undone.
public struct MergeEntry: Sendable {
    public var id: String
    public var object: String
    public var survivorID: String
    public var snapshot: JSONValue
    public var mergedAt: String
    public var mergedBy: String
    public var undoneAt: String?
    public var undoneBy: String?

    public init(id: String, object: String, survivorID: String, snapshot: JSONValue, mergedAt: String, mergedBy: String) {
        self.id = id
        self.object = object
        self.survivorID = survivorID
        self.snapshot = snapshot
        self.mergedAt = mergedAt
        self.mergedBy = mergedBy
    }
}

/// Merges and "not duplicates" marks.
public struct MergeStore: Sendable {
    public init() {}

    public func insert(_ merge: MergeEntry, on db: any SQLDatabase) async throws {
        WriteBatch.forget(Self.anyKey(merge.object))
        try await db.raw("""
            INSERT INTO merges (id, object, survivor_id, snapshot, merged_at, merged_by)
            VALUES (\(bind: merge.id), \(bind: merge.object), \(bind: merge.survivorID), \(bind: merge.snapshot.canonicalText()),
                    \(bind: merge.mergedAt), \(bind: merge.mergedBy))
            """).run()
    }

    public func merge(_ id: String, on db: any SQLDatabase) async throws -> MergeEntry? {
        try await db.raw("SELECT * FROM merges WHERE id = \(bind: id)").first().map(decode)
    }

    /// The merges into these records, newest first (undone ones too when `undone`).
    public func merges(object: String, survivors: [String], undone: Bool = false, on db: any SQLDatabase) async throws -> [MergeEntry] {
        guard !survivors.isEmpty else { return [] }
        let active: SQLQueryString = undone ? "" : " AND undone_at IS NULL"
        return try await db.raw("""
            SELECT * FROM merges WHERE object = \(bind: object) AND survivor_id IN (\(SQLList(survivors.map { SQLBind($0) })))\(active)
            ORDER BY merged_at DESC, id
            """).all().map(decode)
    }

    public func markUndone(_ id: String, by userID: String, at now: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE merges SET undone_at = \(bind: now), undone_by = \(bind: userID) WHERE id = \(bind: id)").run()
    }

    /// The earlier identities of these records — the values of every record merged into them, and of those merged
    /// into that one — keyed by survivor.
    public func formerIdentities(object: String, of ids: [String], on db: any SQLDatabase) async throws -> [String: [[String: JSONValue]]] {
        // Within a batch, whether the object has a merge at all is asked once: most have none, and then no record has
        // a former identity.
        let any = try await WriteBatch.remembered(Self.anyKey(object)) {
            try await db.raw("SELECT 1 AS found FROM merges WHERE object = \(bind: object) AND undone_at IS NULL LIMIT 1").first() != nil
        }
        guard any, !ids.isEmpty else { return [:] }
        var out: [String: [[String: JSONValue]]] = [:]
        for merge in try await merges(object: object, survivors: ids, on: db) {
            out[merge.survivorID, default: []] += (merge.snapshot["identities"]?.arrayValue ?? []).compactMap(\.objectValue)
        }
        return out
    }

    /// Remembers that two records are not the same, whichever way round they are named.
    public func markDistinct(object: String, _ a: String, _ b: String, by userID: String, at now: String, on db: any SQLDatabase) async throws {
        let (low, high) = a < b ? (a, b) : (b, a)
        try await db.raw("""
            INSERT INTO distinct_pairs (object, a_id, b_id, marked_at, marked_by) VALUES (\(bind: object), \(bind: low), \(bind: high), \(bind: now), \(bind: userID))
            ON CONFLICT (object, a_id, b_id) DO NOTHING
            """).run()
    }

    /// Every pair of the object marked as not the same, as `pairKey`s.
    public func distinctPairs(object: String, on db: any SQLDatabase) async throws -> Set<String> {
        Set(try await db.raw("SELECT a_id, b_id FROM distinct_pairs WHERE object = \(bind: object)").all().map {
            Self.pairKey(try $0.decode(column: "a_id", as: String.self), try $0.decode(column: "b_id", as: String.self))
        })
    }

    static func anyKey(_ object: String) -> String { "merges:\(object)" }

    public static func pairKey(_ a: String, _ b: String) -> String { a < b ? a + "|" + b : b + "|" + a }

    /// The records marked as not the same as `id`.
    public func distinct(object: String, from id: String, on db: any SQLDatabase) async throws -> Set<String> {
        let rows = try await db.raw("""
            SELECT b_id AS other FROM distinct_pairs WHERE object = \(bind: object) AND a_id = \(bind: id)
            UNION SELECT a_id AS other FROM distinct_pairs WHERE object = \(bind: object) AND b_id = \(bind: id)
            """).all()
        return Set(try rows.map { try $0.decode(column: "other", as: String.self) })
    }

    func decode(_ row: any SQLRow) throws -> MergeEntry {
        var merge = MergeEntry(id: try row.decode(column: "id", as: String.self), object: try row.decode(column: "object", as: String.self),
                               survivorID: try row.decode(column: "survivor_id", as: String.self),
                               snapshot: (try? JSONValue.parse(text: row.decode(column: "snapshot", as: String.self))) ?? .null,
                               mergedAt: try row.decode(column: "merged_at", as: String.self), mergedBy: try row.decode(column: "merged_by", as: String.self))
        merge.undoneAt = try row.decode(column: "undone_at", as: String?.self)
        merge.undoneBy = try row.decode(column: "undone_by", as: String?.self)
        return merge
    }
}
