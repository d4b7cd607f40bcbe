import Foundation
import SQLKit

/// The duplicate-check index (`match_keys`): identity keys per record, written in the record's own transaction.
public struct MatchKeyStore: Sendable {
    public init() {}

    /// Replaces the record's keys (none: the record leaves the index, as on delete).
    public func replace(object: String, recordID: String, keys: Set<String>, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM match_keys WHERE object = \(bind: object) AND record_id = \(bind: recordID)").run()
        for chunk in Array(keys.sorted()).chunked(200) {
            let rows = SQLList(chunk.map { SQLQueryString("(\(bind: object), \(bind: $0), \(bind: recordID))") })
            try await db.raw("INSERT INTO match_keys (object, key, record_id) VALUES \(rows)").run()
        }
    }

    /// Records sharing at least one key, those sharing the most first, at most `limit`.
    public func candidates(object: String, keys: Set<String>, excluding: String?, limit: Int, on db: any SQLDatabase) async throws -> [String] {
        guard !keys.isEmpty else { return [] }
        let list = SQLList(keys.sorted().map { SQLBind($0) })
        return try await db.raw("""
            SELECT record_id, COUNT(*) AS shared FROM match_keys
            WHERE object = \(bind: object) AND key IN (\(list)) AND record_id <> \(bind: excluding ?? "")
            GROUP BY record_id ORDER BY shared DESC, record_id LIMIT \(literal: limit)
            """).all().map { try $0.decode(column: "record_id", as: String.self) }
    }

    /// How many records of the object are indexed.
    public func indexed(object: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(DISTINCT record_id) AS n FROM match_keys WHERE object = \(bind: object)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
