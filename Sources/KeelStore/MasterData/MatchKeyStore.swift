import Foundation
import SQLKit

/// The duplicate-check index (`match_keys`): identity keys per record, written in the record's own transaction.
public struct MatchKeyStore: Sendable {
    public init() {}

    /// Replaces the keys of each record given (none: the record leaves the index, as on delete), a few statements for
    /// a whole page of records.
    public func replace(object: String, keys: [String: Set<String>], on db: any SQLDatabase) async throws {
        WriteBatch.noteRemoved(Set(keys.keys), under: Self.tag(object, ""))
        for ids in Array(keys.keys.sorted()).chunked(500) {
            try await db.raw("DELETE FROM match_keys WHERE object = \(bind: object) AND record_id IN (\(SQLList(ids.map { SQLBind($0) })))").run()
        }
        try await insert(object: object, keys: keys, on: db)
    }

    /// Adds the keys of records that have none yet.
    public func insert(object: String, keys: [String: Set<String>], on db: any SQLDatabase) async throws {
        let rows = keys.sorted { $0.key < $1.key }.flatMap { id, keys in keys.sorted().map { (id, $0) } }
        try await WriteBatch.insert(into: "match_keys", columns: ["object", "key", "record_id"],
                                    rows: rows.map { "(\(bind: object), \(bind: $0.1), \(bind: $0.0))" }, tags: rows.map { Self.tag(object, $0.1) }, on: db)
        WriteBatch.noteAdded(rows.map { (Self.tag(object, $0.1), $0.0) })
    }

    /// Within a batch: reads the records under each of these keys at once, for the batch's look-ups of them
    /// (`candidates`) to be answered from memory — one statement for a batch of rows instead of one per row.
    public func prefetch(object: String, keys: Set<String>, limit: Int, on db: any SQLDatabase) async throws {
        guard WriteBatch.current != nil, !keys.isEmpty else { return }
        let tags = keys.map { Self.tag(object, $0) }
        try await WriteBatch.flush(ifPending: tags, on: db)
        var found = Dictionary(uniqueKeysWithValues: keys.map { (Self.tag(object, $0), [String]()) })
        for chunk in keys.sorted().chunked(WriteBatch.maxBinds / 2) {
            let rows = try await db.raw("""
                SELECT key, record_id FROM (SELECT key, record_id, ROW_NUMBER() OVER (PARTITION BY key ORDER BY record_id) AS n FROM match_keys
                WHERE object = \(bind: object) AND key IN (\(SQLList(chunk.map { SQLBind($0) })))) AS q WHERE n <= \(literal: limit * 10)
                """).all()
            for row in rows {
                found[Self.tag(object, try row.decode(column: "key", as: String.self)), default: []].append(try row.decode(column: "record_id", as: String.self))
            }
        }
        WriteBatch.know(found)
    }

    /// Records sharing at least one key, at most `limit`, ranked by what they share: each key counts the more, the
    /// fewer records hold it — a phone says more than `name~wangwei`, which thousands may share — so a record found by
    /// a rare key is never crowded out by namesakes. Each key is read apart (one index range, at most `perKey` rows);
    /// no GROUP BY, which tempts SQLite into scanning the object's whole index in record order.
    public func candidates(object: String, keys: Set<String>, excluding: String?, limit: Int, on db: any SQLDatabase) async throws -> [String] {
        guard !keys.isEmpty else { return [] }
        let perKey = limit * 10
        let sorted = keys.sorted()
        if let known = WriteBatch.known(sorted.map { Self.tag(object, $0) }) {
            return Self.ranked(known.map { Array($0.prefix(perKey)) }, excluding: excluding, limit: limit)
        }
        try await WriteBatch.flush(ifPending: keys.map { Self.tag(object, $0) }, on: db)
        // One statement for every key (each capped on its own): a write checks several keys, one round trip each would add up.
        let parts = sorted.enumerated().map { i, key in
            SQLQueryString("""
                SELECT \(literal: i) AS k, record_id FROM (SELECT record_id FROM match_keys WHERE object = \(bind: object) AND key = \(bind: key)
                LIMIT \(literal: perKey)) AS q\(literal: i)
                """)
        }
        let rows = try await db.raw(parts.joined(separator: " UNION ALL ")).all()
        var found = [[String]](repeating: [], count: sorted.count)
        for row in rows { found[try row.decode(column: "k", as: Int.self)].append(try row.decode(column: "record_id", as: String.self)) }
        return Self.ranked(found, excluding: excluding, limit: limit)
    }

    /// The records found under the keys (each key's list), ranked: a key counts the more, the fewer records it holds.
    static func ranked(_ found: [[String]], excluding: String?, limit: Int) -> [String] {
        var score: [String: Double] = [:]
        for ids in found where !ids.isEmpty {
            for id in ids where id != excluding { score[id, default: 0] += 1 / Double(ids.count) }
        }
        return score.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map(\.key)
    }
}

extension MatchKeyStore {
    /// How a batch notes a key it holds back, for a look-up of that key to write it first.
    static func tag(_ object: String, _ key: String) -> String { "match_keys:\(object):\(key)" }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
