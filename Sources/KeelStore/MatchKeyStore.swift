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

    /// Records sharing at least one key, those sharing the most first, at most `limit`. The counting is done here,
    /// not with GROUP BY, which tempts SQLite into scanning the object's whole index in record order.
    public func candidates(object: String, keys: Set<String>, excluding: String?, limit: Int, on db: any SQLDatabase) async throws -> [String] {
        guard !keys.isEmpty else { return [] }
        let list = SQLList(keys.sorted().map { SQLBind($0) })
        var shared: [String: Int] = [:]
        for row in try await db.raw("""
            SELECT record_id FROM match_keys WHERE object = \(bind: object) AND key IN (\(list)) LIMIT \(literal: limit * 50)
            """).all() {
            shared[try row.decode(column: "record_id", as: String.self), default: 0] += 1
        }
        if let excluding { shared[excluding] = nil }
        return shared.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(limit).map(\.key)
    }
}

extension Array {
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
