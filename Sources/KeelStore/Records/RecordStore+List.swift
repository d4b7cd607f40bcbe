import KeelCore
import SQLKit

extension RecordStore {
    /// One page of records matching the query, in the query's order, and the cursor of the next page.
    public func list(_ object: ObjectDefinition, query: ListQuery, access: AccessScope, on db: any SQLDatabase) async throws -> (records: [Record], nextCursor: String?) {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        // SQLite's planner does not weigh LIMIT: given a long list of owners it collects every row they own and sorts
        // them. When the owners are many, read the sort order's index and filter owners on the way instead.
        var access = access
        access.ownersUnindexed = dialect == .sqlite && access.broadOwners
        var conditions: [SQLQueryString] = [scope(object), sql(access)]
        conditions += query.filters.map { condition($0) }
        let sortExpr = dialect.valueExpression(query.sort.field)
        let direction = query.sort.descending ? "DESC" : "ASC"
        let byID = query.sort.field.name == "id"
        // Nulls go last in both directions. When the value cannot be null (id, created_at…, a standard field the record
        // service requires, or a filter on the sort field excludes nulls), or the database already sorts nulls last in this
        // direction, order by (value, id) alone so an index on (value, id) drives the scan.
        let nullable = !byID && !ObjectDefinition.nonNullSystemFields.contains(query.sort.field.name)
            && !(query.sort.field.required && !query.sort.field.isCustom)
            && !query.filters.contains { $0.field.name == query.sort.field.name && $0.op != .neq && $0.op != .isNull }
        if let cursor = query.cursor {
            conditions.append(byID
                ? "id \(unsafeRaw: query.sort.descending ? "<" : ">") \(bind: cursor.id)"
                : after(cursor, sortExpr: sortExpr, type: query.sort.field.type, descending: query.sort.descending, nullable: nullable))
        }
        let nullsLast: SQLQueryString = nullable && !dialect.sortsNullsLast(descending: query.sort.descending) ? "(\(sortExpr) IS NULL), " : ""
        let order: SQLQueryString = byID
            ? "id \(unsafeRaw: direction)"
            : "\(nullsLast)\(sortExpr) \(unsafeRaw: direction), id \(unsafeRaw: direction)"
        let sql: SQLQueryString = """
            SELECT \(selectList(object))\(fieldColumns(access)) FROM \(name: object.table)
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(order)
            LIMIT \(literal: query.limit + 1)
            """
        let rows = try await db.raw(sql).all()
        var records = try rows.map { try masked(try decode($0, object: object), row: $0, scope: access) }
        var next: String?
        if records.count > query.limit {
            records.removeLast(records.count - query.limit)
            let last = records[records.count - 1]
            next = Cursor(sort: query.sort.spec, value: last.value(query.sort.field.name), id: last.id).encoded()
        }
        return (records, next)
    }

    /// How many records match the query's filters.
    public func count(_ object: ObjectDefinition, query: ListQuery, access: AccessScope, on db: any SQLDatabase) async throws -> Int {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        let conditions = [scope(object), sql(access)] + query.filters.map { condition($0) }
        return try await db.raw("SELECT COUNT(*) AS n FROM \(name: object.table) WHERE \(conditions.joined(separator: " AND "))")
            .first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Keyset condition: rows after the cursor in the order `[(value IS NULL),] value, id`.
    func after(_ cursor: Cursor, sortExpr: SQLQueryString, type: FieldType, descending: Bool, nullable: Bool) -> SQLQueryString {
        let cmp = descending ? "<" : ">"
        if cursor.value.isNull {
            return "(\(sortExpr) IS NULL AND id \(unsafeRaw: cmp) \(bind: cursor.id))"
        }
        let v = dialect.bind(cursor.value, for: type)
        let orNull: SQLQueryString = nullable ? " OR \(sortExpr) IS NULL" : ""
        return "(\(sortExpr) \(unsafeRaw: cmp) \(bind: v) OR (\(sortExpr) = \(bind: v) AND id \(unsafeRaw: cmp) \(bind: cursor.id))\(orNull))"
    }

    func condition(_ filter: Filter, expression: SQLQueryString? = nil) -> SQLQueryString {
        let e = expression ?? dialect.valueExpression(filter.field)
        let type = filter.field.type, storage = type.storage
        let first = filter.values.first ?? .null
        func v(_ value: JSONValue) -> any Encodable & Sendable { dialect.bind(value, for: type) }
        switch filter.op {
        case .eq: return "\(e) = \(bind: v(first))"
        case .neq: return "(\(e) <> \(bind: v(first)) OR \(e) IS NULL)"
        case .gt: return "\(e) > \(bind: v(first))"
        case .gte: return "\(e) >= \(bind: v(first))"
        case .lt: return "\(e) < \(bind: v(first))"
        case .lte: return "\(e) <= \(bind: v(first))"
        case .in: return "\(e) IN (\(binds: filter.values.map(v)))"
        case .isNull: return first.boolValue == true ? "\(e) IS NULL" : "\(e) IS NOT NULL"
        case .contains, .startsWith:
            let text = escapeLike(first.stringValue ?? "")
            let needle = storage == .list ? "%\"\(text)\"%" : filter.op == .contains ? "%\(text)%" : "\(text)%"
            return "\(e) \(unsafeRaw: dialect.likeOperator) \(bind: needle) ESCAPE '\\'"
        }
    }

    func escapeLike(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}

extension RecordStore {
    /// Counts (and optionally sums) the records matching `filters`, grouped by the values of `groupBy`.
    /// How many records `access` lets through, and of those how many have a value in each of `fields` — one query.
    public func filledCounts(_ object: ObjectDefinition, fields: [FieldDefinition], filters: [Filter] = [], access: AccessScope,
                             on db: any SQLDatabase) async throws -> (total: Int, filled: [String: Int]) {
        let conditions = [scope(object), sql(access)] + filters.map { condition($0) }
        var select: [SQLQueryString] = ["COUNT(*) AS n"]
        select += fields.enumerated().map { "COUNT(\(dialect.valueExpression($1))) AS \(name: "f\($0)")" }
        guard let row = try await db.raw("SELECT \(select.joined(separator: ", ")) FROM \(name: object.table) WHERE \(conditions.joined(separator: " AND "))").first() else {
            return (0, [:])
        }
        var filled: [String: Int] = [:]
        for (i, field) in fields.enumerated() { filled[field.name] = try row.decode(column: "f\(i)", as: Int.self) }
        return (try row.decode(column: "n", as: Int.self), filled)
    }

    public func aggregate(_ object: ObjectDefinition, groupBy: [FieldDefinition], sum: FieldDefinition?, latest: FieldDefinition? = nil,
                          filters: [Filter], access: AccessScope, on db: any SQLDatabase) async throws -> [AggregateRow] {
        try await WriteBatch.flush(ifPending: [object.table], on: db)
        let conditions = [scope(object), sql(access)] + filters.map { condition($0) }
        let keys = groupBy.map(dialect.valueExpression)
        var select: [SQLQueryString] = keys.enumerated().map { "\($1) AS \(name: "g\($0)")" }
        select.append("COUNT(*) AS n")
        if let sum { select.append("SUM(\(dialect.valueExpression(sum))) AS s") }
        if let latest { select.append("MAX(\(dialect.valueExpression(latest))) AS m") }
        let groupClause: SQLQueryString = keys.isEmpty ? "" : " GROUP BY \(keys.joined(separator: ", "))"
        let rows = try await db.raw("""
            SELECT \(select.joined(separator: ", ")) FROM \(name: object.table)
            WHERE \(conditions.joined(separator: " AND "))\(groupClause)
            """).all()
        return try rows.map { row in
            AggregateRow(
                keys: try groupBy.enumerated().map { try dialect.decode(row, column: "g\($0)", type: $1.type) },
                count: try row.decode(column: "n", as: Int.self),
                sum: try sum.flatMap { try dialect.decode(row, column: "s", type: $0.type).numberValue },
                latest: try latest.map { try dialect.decode(row, column: "m", type: $0.type) })
        }
    }
}
