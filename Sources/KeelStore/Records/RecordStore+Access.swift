import Foundation
import KeelCore
import SQLKit

/// What a query may see: the access plan of the asking user, applied as SQL.
public struct AccessScope: Sendable {
    public var plan: AccessPlan
    public var object: ObjectDefinition
    public var userID: String
    /// Now, for approvals that expire.
    public var now: String
    /// The plan lets the reader see the records of many owners (a tenth of all users or more).
    public var broadOwners: Bool
    /// Set by `list`: compare owners without their index (see there).
    var ownersUnindexed = false

    public init(plan: AccessPlan, object: ObjectDefinition, userID: String, now: String, broadOwners: Bool = false) {
        self.plan = plan
        self.object = object
        self.userID = userID
        self.now = now
        self.broadOwners = broadOwners
    }

    /// Every record and field: for a document's parts (a quote's lines), which follow the permission on the document.
    public static func whole(_ object: ObjectDefinition, userID: String) -> AccessScope {
        AccessScope(plan: AccessPlan(rows: .always), object: object, userID: userID, now: ValueFormats.formatDateTime(Date()))
    }

    /// The record conditions of field visibility, each once, in a stable order: the extra columns a query selects.
    var fieldConditions: [Condition] {
        var seen: [Condition] = []
        for name in plan.conditionalFields.keys.sorted() where !seen.contains(plan.fields[name]!) { seen.append(plan.fields[name]!) }
        return seen
    }
}

extension RecordStore {
    /// The rows condition of an access plan as SQL.
    func sql(_ scope: AccessScope) -> SQLQueryString {
        sql(scope.plan.rows, scope)
    }

    /// A policy condition over record attributes as SQL. Every comparison yields true or false, never NULL, so that
    /// `NOT` means what it says: a comparison with a missing value is false (and `ne` true), as in `Comparison.holds`.
    /// `record.owner_department` arrives resolved to owners (`AccessControl.scope`).
    func sql(_ c: Condition, _ scope: AccessScope) -> SQLQueryString {
        switch c {
        case .constant(let b): return b ? "1 = 1" : "1 = 0"
        case .all(let cs): return "(\(cs.map { sql($0, scope) }.joined(separator: " AND ")))"
        case .any(let cs): return "(\(cs.map { sql($0, scope) }.joined(separator: " OR ")))"
        case .not(let inner): return "NOT \(sql(inner, scope))"
        case .compare(let a, let op, .value(let v)): return comparison(a, op, v, scope)
        case .compare: return "1 = 0"  // record compared with record: refused when policies are saved
        }
    }

    func comparison(_ a: Attribute, _ op: Comparison, _ v: JSONValue, _ scope: AccessScope) -> SQLQueryString {
        let object = scope.object
        switch (a.scope, a.name) {
        case (.context, "approval_granted"):
            let granted: SQLQueryString = """
                \(name: object.table).id IN (SELECT record_id FROM access_requests WHERE object = \(bind: object.name) \
                AND requester = \(bind: scope.userID) AND status = 'granted' AND expires_at > \(bind: scope.now))
                """
            return v.boolValue == true ? "(\(granted))" : "NOT (\(granted))"
        case (.record, "served_by"):
            return "(\(name: object.table).id IN (SELECT related_to FROM activities WHERE owner = \(bind: v.stringValue ?? "") AND related_to IS NOT NULL))"
        default:
            break
        }
        let name = a.name == "owner" ? object.ownerField : a.name
        guard var field = object.queryableField(name) else { return "1 = 0" }
        var expr: SQLQueryString
        if a.name == "owner" && scope.ownersUnindexed {
            expr = "+\(dialect.valueExpression(field))"
        } else if a.name == "sensitivity" {
            // A record's own sensitivity, else its object's.
            field = FieldDefinition("sensitivity", .number, zh: "", en: "")
            expr = "COALESCE(\(dialect.valueExpression(object.field("sensitivity")!)), \(literal: object.sensitivity))"
        } else {
            expr = dialect.valueExpression(field)
        }
        if v.isNull { return op == .ne ? "(\(expr) IS NOT NULL)" : "1 = 0" }
        let filterOp: FilterOperator
        switch op {
        case .eq: filterOp = .eq
        case .ne: filterOp = .neq
        case .lt: filterOp = .lt
        case .le: filterOp = .lte
        case .gt: filterOp = .gt
        case .ge: filterOp = .gte
        case .in: filterOp = .in
        case .startsWith: filterOp = .startsWith
        case .contains:
            guard field.type.storage == .list else { return "1 = 0" }
            filterOp = .contains
        }
        let values = op == .in ? (v.arrayValue ?? []) : [v]
        if values.isEmpty { return "1 = 0" }
        let test = condition(Filter(field: field, op: filterOp, values: values), expression: expr)
        return filterOp == .neq ? test : "(\(expr) IS NOT NULL AND \(test))"
    }

    /// Extra select columns, one per distinct field condition: 1 where the fields are visible on that row.
    func fieldColumns(_ scope: AccessScope?) -> SQLQueryString {
        guard let scope else { return "" }
        let columns: [SQLQueryString] = scope.fieldConditions.enumerated().map {
            "CASE WHEN \(sql($1, scope)) THEN 1 ELSE 0 END AS \(name: "_acl\($0)")"
        }
        return columns.isEmpty ? "" : ", \(columns.joined(separator: ", "))"
    }

    /// The record with the fields its reader may not see removed and named in `masked`.
    func masked(_ record: Record, row: any SQLRow, scope: AccessScope?) throws -> Record {
        guard let scope, !scope.plan.fields.isEmpty else { return record }
        let conditions = scope.fieldConditions
        var visible: [Condition: Bool] = [:]
        for (i, c) in conditions.enumerated() { visible[c] = try row.decode(column: "_acl\(i)", as: Int.self) == 1 }
        var r = record
        for (name, c) in scope.plan.fields where visible[c] != true {
            r.values[name] = nil
            r.masked.insert(name)
        }
        return r
    }
}

extension RecordStore {
    /// Whether each condition holds for the record; nil when the record does not exist.
    public func evaluate(_ conditions: [Condition], id: String, scope: AccessScope, on db: any SQLDatabase) async throws -> [Bool]? {
        let columns: [SQLQueryString] = conditions.enumerated().map { "CASE WHEN \(sql($1, scope)) THEN 1 ELSE 0 END AS \(name: "c\($0)")" }
        guard let row = try await db.raw("""
            SELECT \((["1 AS found"] + columns).joined(separator: ", ")) FROM \(name: scope.object.table) WHERE \(self.scope(scope.object)) AND id = \(bind: id)
            """).first() else { return nil }
        return try conditions.indices.map { try row.decode(column: "c\($0)", as: Int.self) == 1 }
    }
}
