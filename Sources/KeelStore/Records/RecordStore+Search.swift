import KeelCore
import SQLKit

extension RecordStore {
    /// Replaces a record's search keys with those of its current values (none when `record` is nil: deleted); a
    /// record just inserted (`new`) has none to replace.
    func index(_ record: Record?, id: String, object: ObjectDefinition, new: Bool = false, on db: any SQLDatabase) async throws {
        if !new { try await db.raw("DELETE FROM search_keys WHERE record_id = \(bind: id) AND object = \(bind: object.name)").run() }
        guard let record else { return }
        let keys = SearchKey.keys(of: record, object: object).sorted()
        guard !keys.isEmpty else { return }
        let rows: [SQLQueryString] = keys.map { "(\(bind: $0), \(bind: object.name), \(bind: id))" }
        try await WriteBatch.insert(into: "search_keys", columns: ["key", "object", "record_id"], rows: rows, on: db)
    }

    /// Records whose keys equal one of `exact` or start with `prefix`, as (object, id), at most `limit`.
    public func findKeys(exact: [String], prefix: String?, limit: Int, on db: any SQLDatabase) async throws -> [(object: String, id: String)] {
        var conditions: [SQLQueryString] = []
        if !exact.isEmpty { conditions.append("key IN (\(binds: exact))") }
        // A range rather than LIKE, so the primary key's index answers it on both databases (keys are ASCII; `~` sorts last).
        if let prefix { conditions.append("(key >= \(bind: prefix) AND key < \(bind: prefix + "~"))") }
        guard !conditions.isEmpty else { return [] }
        let rows = try await db.raw("""
            SELECT DISTINCT object, record_id FROM search_keys WHERE \(conditions.joined(separator: " OR ")) LIMIT \(literal: limit)
            """).all()
        return try rows.map { (try $0.decode(column: "object", as: String.self), try $0.decode(column: "record_id", as: String.self)) }
    }
}
