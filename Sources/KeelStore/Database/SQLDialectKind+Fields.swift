import Foundation
import KeelCore
import SQLKit

/// Every SQL difference between SQLite and PostgreSQL that Keel relies on.
extension SQLDialectKind {
    /// The column type of a standard field. Money is exact: `NUMERIC` in PostgreSQL; in SQLite whole fen (see `bind`),
    /// which a `NUMERIC` column keeps as an integer, so sums and comparisons in SQL are exact too. Any other number is a
    /// double, which keeps 15 significant digits exactly (the record validator allows no more).
    func columnType(_ type: FieldType) -> String {
        switch (type.storage, self) {
        case (.number, .postgres): type == .money ? "NUMERIC(20,2)" : "DOUBLE PRECISION"
        case (.number, .sqlite): type == .money ? "NUMERIC" : "REAL"
        case (.boolean, .postgres): "BOOLEAN"
        case (.boolean, .sqlite): "INTEGER"
        case (.text, _), (.list, _): "TEXT"
        }
    }

    /// The column type of the JSON column holding custom fields.
    var jsonColumnType: String { self == .postgres ? "JSONB" : "TEXT" }

    var autoIncrementPrimaryKey: String {
        self == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
    }

    var booleanType: String { self == .postgres ? "BOOLEAN" : "INTEGER" }

    /// The SQL expression whose value is the field's value: its column, or its key in the JSON column,
    /// cast so that comparisons and ordering follow the field's type. Money is in SQLite whole fen (as its column
    /// holds it; a custom field's JSON number ×100, exact to the fen), in PostgreSQL `NUMERIC`: see `bind`.
    public func valueExpression(_ field: FieldDefinition) -> SQLQueryString {
        guard field.isCustom else { return "\(name: field.name)" }
        switch self {
        case .sqlite:
            if field.type == .money { return "CAST(ROUND(json_extract(\"custom\", '$.\(unsafeRaw: field.name)') * 100) AS INTEGER)" }
            return "json_extract(\"custom\", '$.\(unsafeRaw: field.name)')"
        case .postgres:
            switch field.type.storage {
            case .number where field.type == .money: return "((\"custom\"->>'\(unsafeRaw: field.name)')::numeric)"
            case .number: return "((\"custom\"->>'\(unsafeRaw: field.name)')::double precision)"
            case .boolean: return "((\"custom\"->>'\(unsafeRaw: field.name)')::boolean)"
            case .text, .list: return "(\"custom\"->>'\(unsafeRaw: field.name)')"
            }
        }
    }

    /// How the JSON column is read back: always as text.
    var selectCustom: SQLQueryString {
        self == .postgres ? "\"custom\"::text AS \"custom\"" : "\"custom\""
    }

    /// A bind of JSON text into the JSON column.
    public func jsonBind(_ text: String) -> SQLQueryString {
        self == .postgres ? "CAST(\(bind: text) AS JSONB)" : "\(bind: text)"
    }

    /// Whether `ORDER BY x` in this direction already puts nulls last: SQLite sorts nulls first, PostgreSQL last,
    /// so descending on SQLite and ascending on PostgreSQL need no extra sort key (and an index on x serves the order).
    func sortsNullsLast(descending: Bool) -> Bool {
        self == .sqlite ? descending : !descending
    }

    /// `name` if PostgreSQL keeps it whole (63 bytes), else its first 46 bytes and a hash of the whole: PostgreSQL
    /// cuts longer names, so two long field names of one long custom object would otherwise name the same index.
    static func identifier(_ name: String) -> String {
        let bytes = Array(name.utf8)
        guard bytes.count > 63 else { return name }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a: stable across processes, unlike Hasher
        for b in bytes { hash = (hash ^ UInt64(b)) &* 0x100_0000_01B3 }
        let hex = String(hash, radix: 16)
        return String(decoding: bytes.prefix(46), as: UTF8.self) + "_" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// Case-insensitive LIKE.
    var likeOperator: String { self == .postgres ? "ILIKE" : "LIKE" }

    /// Index for a custom field on (value, id), its expression identical to `valueExpression` so the planner uses it
    /// for filters and for keyset-ordered pages.
    func customIndexSQL(table: String, object: String?, field: FieldDefinition) -> SQLQueryString {
        let indexName = Self.identifier("ix_\(table)_\(object.map { $0 + "_" } ?? "")\(field.name)")
        let prefix: SQLQueryString = object == nil ? "" : "\"object\", "
        return "CREATE INDEX IF NOT EXISTS \(name: indexName) ON \(name: table) (\(prefix)\(valueExpression(field)), id)"
    }
}

extension SQLDialectKind {
    /// A value as a SQL bind for a column or `valueExpression` of a field of this type: money as a decimal
    /// (PostgreSQL) or whole fen (SQLite; a fraction of a fen, only ever compared with, as a double); any other number
    /// as a double.
    func bind(_ value: JSONValue, for type: FieldType) -> any Encodable & Sendable {
        switch value {
        case .null:
            switch type.storage {
            case .number where type == .money: return self == .postgres ? Decimal?.none : Int?.none
            case .number: return Double?.none
            case .boolean: return Bool?.none
            case .text, .list: return String?.none
            }
        case .bool(let b): return b
        case .number(let n) where type == .money:
            guard self == .sqlite else { return n }
            let fen = n * 100
            return fen.integer.map { $0 as any Encodable & Sendable } ?? fen.double
        case .number(let n): return n.double
        case .string(let s): return s
        case .array, .object: return value.canonicalText()
        }
    }

    /// A field's value as a row holds it (see `bind`).
    func decode(_ row: any SQLRow, column: String, type: FieldType) throws -> JSONValue {
        if try row.decodeNil(column: column) { return .null }
        switch type.storage {
        case .number where type == .money:
            return .number(self == .postgres ? try row.decode(column: column, as: Decimal.self) : Decimal(try row.decode(column: column, as: Int.self)) / 100)
        case .number: return JSONValue(try row.decode(column: column, as: Double.self))
        case .boolean: return .bool(try row.decode(column: column, as: Bool.self))
        case .text: return .string(try row.decode(column: column, as: String.self))
        case .list: return (try? JSONValue.parse(text: row.decode(column: column, as: String.self))) ?? .null
        }
    }
}
