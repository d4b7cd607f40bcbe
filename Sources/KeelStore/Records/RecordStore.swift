import KeelCore
import SQLKit

/// SQL for records of every object, standard (own table, typed columns) or custom (`custom_records`).
/// Callers pass the connection so that writes run inside the record service's transaction.
public struct RecordStore: Sendable {
    public let dialect: SQLDialectKind

    public init(dialect: SQLDialectKind) {
        self.dialect = dialect
    }

    /// `WHERE` clause that confines a query to one object's rows.
    func scope(_ object: ObjectDefinition) -> SQLQueryString {
        object.isCustom ? "\"object\" = \(bind: object.name)" : "1 = 1"
    }

    func selectList(_ object: ObjectDefinition) -> SQLQueryString {
        let system: [SQLQueryString] = ObjectDefinition.systemFields.map { "\(name: $0)" }
        let columns: [SQLQueryString] = object.columnFields.map { "\(name: $0.name)" }
        return (system + columns + [dialect.selectCustom]).joined(separator: ", ")
    }

    /// The record with this id, if it exists and (given `access`) its reader may see it, with the fields they may not see masked.
    public func fetch(_ object: ObjectDefinition, id: String, access: AccessScope? = nil, on db: any SQLDatabase,
                      forUpdate: Bool = false) async throws -> Record? {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        let lock: SQLQueryString = forUpdate && dialect == .postgres ? " FOR UPDATE" : ""
        let visible: SQLQueryString = access.map { " AND \(sql($0))" } ?? ""
        let row = try await db.raw("""
            SELECT \(selectList(object))\(fieldColumns(access)) FROM \(name: object.table)
            WHERE \(scope(object)) AND id = \(bind: id)\(visible)\(lock)
            """).first()
        return try row.map { try masked(try decode($0, object: object), row: $0, scope: access) }
    }

    /// The records with these ids, whoever may read them, in one query (in a batch, those it holds back or read ahead
    /// are answered from memory).
    public func fetch(_ object: ObjectDefinition, ids: [String], on db: any SQLDatabase) async throws -> [Record] {
        let known = WriteBatch.records(ids.map { Self.tag(object, $0) })
        let stored = known.isEmpty ? ids : ids.filter { id in !known.contains { $0.id == id } }
        guard !stored.isEmpty else { return known }
        return try await known + db.raw("SELECT \(selectList(object)) FROM \(name: object.table) WHERE \(scope(object)) AND id IN (\(binds: stored))")
            .all().map { try decode($0, object: object) }
    }

    /// Within a batch: reads these records at once, for the batch's reads of them by id (`fetch(ids:)`) to be answered
    /// from memory until something other than an insert is written. Returns them.
    public func prefetch(_ object: ObjectDefinition, ids: Set<String>, on db: any SQLDatabase) async throws -> [Record] {
        guard WriteBatch.current != nil else { return [] }
        var all: [Record] = []
        for chunk in ids.sorted().chunked(WriteBatch.maxBinds) {
            let records = try await fetch(object, ids: Array(chunk), on: db)
            WriteBatch.remember(records.map { (Self.tag(object, $0.id), $0) })
            all += records
        }
        return all
    }

    /// How a batch notes a record it holds back, for a read of that record by id to write it first.
    static func tag(_ object: ObjectDefinition, _ id: String) -> String { "\(object.table):\(id)" }

    public func insert(_ record: Record, object: ObjectDefinition, on db: any SQLDatabase) async throws {
        var columns: [String] = ObjectDefinition.systemFields
        var values: [SQLQueryString] = [
            "\(bind: record.id)", "\(bind: record.version)", "\(bind: record.createdAt)", "\(bind: record.updatedAt)",
            "\(bind: record.createdBy)", "\(bind: record.updatedBy)",
        ]
        if object.isCustom {
            columns.append("object")
            values.append("\(bind: object.name)")
        }
        for field in object.columnFields {
            columns.append(field.name)
            values.append("\(bind: dialect.bind(record.value(field.name), for: field.type))")
        }
        columns.append("custom")
        values.append(dialect.jsonBind(customJSON(record, object: object)))
        try await WriteBatch.insert(record.withEveryField(object), into: object.table, columns: columns, row: "(\(values.joined(separator: ", ")))",
                                    tag: Self.tag(object, record.id), on: db)
        try await index(record, id: record.id, object: object, new: true, on: db)
    }

    /// Writes every field of `record` over `previous` if the stored version is still the previous one's. Returns false
    /// otherwise. Search keys are written again only when they changed.
    public func update(_ record: Record, replacing previous: Record, object: ObjectDefinition, on db: any SQLDatabase) async throws -> Bool {
        var sets: [SQLQueryString] = [
            "version = \(bind: record.version)", "updated_at = \(bind: record.updatedAt)", "updated_by = \(bind: record.updatedBy)",
        ]
        for field in object.columnFields {
            sets.append("\(name: field.name) = \(bind: dialect.bind(record.value(field.name), for: field.type))")
        }
        sets.append("custom = \(dialect.jsonBind(customJSON(record, object: object)))")
        let rows = try await db.raw("""
            UPDATE \(name: object.table) SET \(sets.joined(separator: ", "))
            WHERE \(scope(object)) AND id = \(bind: record.id) AND version = \(bind: previous.version) RETURNING id
            """).all()
        guard !rows.isEmpty else { return false }
        if SearchKey.keys(of: record, object: object) != SearchKey.keys(of: previous, object: object) {
            try await index(record, id: record.id, object: object, on: db)
        }
        return true
    }

    public func delete(_ object: ObjectDefinition, id: String, expectedVersion: Int, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw("""
            DELETE FROM \(name: object.table) WHERE \(scope(object)) AND id = \(bind: id) AND version = \(bind: expectedVersion) RETURNING id
            """).all()
        guard !rows.isEmpty else { return false }
        try await index(nil, id: id, object: object, on: db)
        return true
    }

    /// Does a record with this id exist in `object`'s table?
    public func exists(_ object: ObjectDefinition, id: String, on db: any SQLDatabase) async throws -> Bool {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        return try await db.raw("SELECT 1 AS found FROM \(name: object.table) WHERE \(scope(object)) AND id = \(bind: id)").first() != nil
    }

    /// The record other than `excluding` whose column `field` holds `value`: what a unique field's new value collides with.
    public func holder(of value: JSONValue, field: String, object: ObjectDefinition, excluding id: String?, on db: any SQLDatabase) async throws -> String? {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        let other: SQLQueryString = id.map { " AND id <> \(bind: $0)" } ?? ""
        return try await db.raw("""
            SELECT id FROM \(name: object.table) WHERE \(scope(object)) AND \(name: field) = \(bind: dialect.bind(value, for: .text))\(other) LIMIT 1
            """).first()?.decode(column: "id", as: String.self)
    }

    /// The next number after the highest `prefix` + digits in `field` (`HT-20261202-0007` → `HT-20261202-0008`), four
    /// digits at least.
    public func nextNumber(_ prefix: String, field: String, object: ObjectDefinition, on db: any SQLDatabase) async throws -> String {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        let taken = try await db.raw("""
            SELECT \(name: field) AS n FROM \(name: object.table)
            WHERE \(name: field) >= \(bind: prefix + "0") AND \(name: field) <= \(bind: prefix + "9999999999")
            """).all().compactMap { try $0.decode(column: "n", as: String?.self).flatMap { Int($0.dropFirst(prefix.count)) } }
        let next = String((taken.max() ?? 0) + 1)
        return prefix + String(repeating: "0", count: max(0, 4 - next.count)) + next
    }

    /// The records whose column `field` points at `id` (a quote's lines), oldest first.
    public func children(of id: String, field: String, object: ObjectDefinition, on db: any SQLDatabase) async throws -> [Record] {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        return try await db.raw("SELECT \(selectList(object)) FROM \(name: object.table) WHERE \(scope(object)) AND \(name: field) = \(bind: id) ORDER BY created_at, id")
            .all().map { try decode($0, object: object) }
    }

    /// Does a row with this id exist in a plain table (`users`, `departments`)?
    public func exists(table: String, id: String, on db: any SQLDatabase) async throws -> Bool {
        try await WriteBatch.remembered("exists:\(table):\(id)") {
            try await db.raw("SELECT 1 AS found FROM \(name: table) WHERE id = \(bind: id)").first() != nil
        }
    }

    func customJSON(_ record: Record, object: ObjectDefinition) -> String {
        var custom: [String: JSONValue] = [:]
        for field in object.fields where field.isCustom {
            if let v = record.values[field.name], !v.isNull { custom[field.name] = v }
        }
        return JSONValue.object(custom).canonicalText()
    }

    func decode(_ row: any SQLRow, object: ObjectDefinition) throws -> Record {
        var values: [String: JSONValue] = [:]
        for field in object.columnFields {
            values[field.name] = try dialect.decode(row, column: field.name, type: field.type)
        }
        let customText = try row.decode(column: "custom", as: String?.self) ?? "{}"
        let custom = (try? JSONValue.parse(text: customText))?.objectValue ?? [:]
        for field in object.fields where field.isCustom {
            values[field.name] = custom[field.name] ?? .null
        }
        return Record(
            object: object.name,
            id: try row.decode(column: "id", as: String.self),
            version: try row.decode(column: "version", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            updatedAt: try row.decode(column: "updated_at", as: String.self),
            createdBy: try row.decode(column: "created_by", as: String?.self),
            updatedBy: try row.decode(column: "updated_by", as: String?.self),
            values: values)
    }
}
