import Foundation
import KeelCore
import KeelStore

extension RecordService {
    /// One record, with the fields its reader may not see masked. A record the reader may not see is "not found".
    public func get(_ objectName: String, id: String, as principal: Principal) async throws -> (Record, ObjectDefinition) {
        let object = try await metadata.catalog().require(objectName)
        let scope = try await readScope(principal, .read, object: object)
        guard let record = try await database.read({ try await store.fetch(object, id: id, access: scope, on: $0) }) else {
            throw KeelError.notFound("\(object.name)/\(id)")
        }
        try await auditSensitiveRead([record], object: object, by: principal)
        // The owner opening a new lead meets its "viewed" response target.
        if object.name == StandardObjects.lead.name, record.value(object.ownerField) == .string(principal.userID), record.value("status") == "new" {
            try await noteViewed(lead: id, by: principal)
        }
        return (record, object)
    }

    /// One page of a list, from the request's query parameters, confined to the records the reader may see.
    public func list(_ objectName: String, params: [(String, String)], as principal: Principal) async throws
        -> (records: [Record], nextCursor: String?, query: ListQuery, object: ObjectDefinition)
    {
        let object = try await metadata.catalog().require(objectName)
        let scope = try await readScope(principal, .read, object: object)
        let query = try ListQuery.parse(params, object: object)
        try Self.checkQueryable(query.filters.map(\.field.name) + [query.sort.field.name], scope: scope)
        let page = try await database.read { try await store.list(object, query: query, access: scope, on: $0) }
        try await auditSensitiveRead(page.records, object: object, by: principal)
        return (page.records, page.nextCursor, query, object)
    }

    /// How many of the records the reader may see match the filters of a list request.
    public func count(_ objectName: String, params: [(String, String)], as principal: Principal) async throws -> Int {
        let object = try await metadata.catalog().require(objectName)
        let scope = try await readScope(principal, .read, object: object)
        let query = try ListQuery.parse(params, object: object)
        try Self.checkQueryable(query.filters.map(\.field.name), scope: scope)
        return try await database.read { try await store.count(object, query: query, access: scope, on: $0) }
    }

    /// Counts, sums `sum` and finds the greatest `latest` (a date, a time, a number) over the visible records matching
    /// the request's filters, grouped by up to two fields.
    public func aggregate(_ objectName: String, groupBy: [String], sum: String? = nil, latest: String? = nil, params: [(String, String)],
                          as principal: Principal) async throws -> [AggregateRow] {
        let object = try await metadata.catalog().require(objectName)
        let scope = try await readScope(principal, .read, object: object)
        var violations: [Violation] = []
        if groupBy.count > 2 { violations.append(Violation(field: "groupBy", code: "out_of_range", message: "Group by at most two fields.")) }
        for name in groupBy where object.groupableField(name) == nil {
            violations.append(Violation(field: name, code: "invalid_field", message: "\(name) cannot be grouped by."))
        }
        if let sum, object.queryableField(sum)?.type.storage != .number {
            violations.append(Violation(field: sum, code: "invalid_field", message: "\(sum) is not a number field."))
        }
        if let latest, object.groupableField(latest) == nil {
            violations.append(Violation(field: latest, code: "invalid_field", message: "\(latest) has no latest value."))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let query = try ListQuery.parse(params, object: object)
        try Self.checkQueryable(groupBy + [sum, latest].compactMap { $0 } + query.filters.map(\.field.name), scope: scope)
        return try await database.read {
            try await store.aggregate(object, groupBy: groupBy.compactMap(object.groupableField), sum: sum.flatMap(object.queryableField),
                                      latest: latest.flatMap(object.groupableField), filters: query.filters, access: scope, on: $0)
        }
    }

    /// The newest history entries of the given records the reader may see, newest first, masked like the records.
    public func recentHistory(_ objectName: String, ids: [String], limit: Int, as principal: Principal) async throws -> [HistoryEntry] {
        let object = try await metadata.catalog().require(objectName)
        let scope = try await readScope(principal, .readHistory, object: object)
        guard !ids.isEmpty else { return [] }
        return try await database.read { db in
            var query = ListQuery(object: object)
            query.filters = [Filter(field: object.queryableField("id")!, op: .in, values: ids.prefix(ListQuery.maxInValues).map(JSONValue.string))]
            query.limit = ListQuery.maxInValues
            let visible = try await store.list(object, query: query, access: scope, on: db).records
            let masked = Dictionary(visible.map { ($0.id, $0.masked) }, uniquingKeysWith: { a, _ in a })
            return try await journal.recent(recordIDs: visible.map(\.id), object: object.name, limit: limit, on: db)
                .map { $0.masking(masked[$0.recordID] ?? []) }
        }
    }

    /// When `field` last changed on each of the given records the reader may see with that field (record id → ISO
    /// time), a creation that set it counting as a change.
    public func lastChanges(_ objectName: String, field: String, ids: [String], as principal: Principal) async throws -> [String: String] {
        let object = try await metadata.catalog().require(objectName)
        let scope = try await readScope(principal, .readHistory, object: object)
        guard !ids.isEmpty, object.field(field) != nil else { return [:] }
        return try await database.read { db in
            var query = ListQuery(object: object)
            query.filters = [Filter(field: object.queryableField("id")!, op: .in, values: ids.prefix(ListQuery.maxInValues).map(JSONValue.string))]
            query.limit = ListQuery.maxInValues
            let visible = try await store.list(object, query: query, access: scope, on: db).records.filter { !$0.masked.contains(field) }
            return try await journal.lastChanges(field: field, object: object.name, recordIDs: visible.map(\.id), on: db)
        }
    }

    /// The field history of a record, oldest first, with the fields the reader may not see masked. Kept after the record
    /// is deleted, readable then by those whose history access does not depend on the record.
    public func history(_ objectName: String, id: String, as principal: Principal) async throws -> [HistoryEntry] {
        let object = try await metadata.catalog().require(objectName)
        let scope = try await readScope(principal, .readHistory, object: object)
        let (entries, record) = try await database.read { db -> ([HistoryEntry], Record?) in
            let masked: Set<String>
            let record = try await store.fetch(object, id: id, access: scope, on: db)
            if let record {
                masked = record.masked
            } else if scope.plan.rows == .always, try await store.fetch(object, id: id, on: db) == nil {
                masked = Set(scope.plan.fields.keys)
            } else {
                throw KeelError.notFound("\(object.name)/\(id)")
            }
            let entries = try await journal.history(recordID: id, object: object.name, on: db)
            guard !entries.isEmpty else { throw KeelError.notFound("\(object.name)/\(id)") }
            return (entries.map { $0.masking(masked) }, record)
        }
        if let record { try await auditSensitiveRead([record], object: object, by: principal) }
        return entries
    }

    /// The reader's scope; 403 when no policy lets them read any record of the object.
    func readScope(_ principal: Principal, _ operation: Action, object: ObjectDefinition) async throws -> AccessScope {
        let scope = try await access.scope(principal, operation, object: object)
        if scope.plan.deniesAll { throw AccessControl.denied(operation, object: object.name) }
        return scope
    }

    /// Filtering, sorting or grouping by a field the reader cannot see on every record would reveal its values: 403.
    static func checkQueryable(_ names: [String], scope: AccessScope) throws(KeelError) {
        let denied = Set(names.filter { scope.plan.fields[$0] != nil }).sorted()
        guard !denied.isEmpty else { return }
        throw KeelError(.forbidden, code: "field_forbidden", message: "You may not filter, sort or group by \(denied.joined(separator: ", ")).",
                        violations: denied.map { Violation(field: $0, code: "field_forbidden", message: "This field is masked for you.") })
    }

    /// Reads of sensitive records (level 3 and up) go to the audit log.
    func auditSensitiveRead(_ records: [Record], object: ObjectDefinition, by principal: Principal) async throws {
        let sensitive = records.filter { object.sensitivity(of: $0) >= 3 }
        guard !sensitive.isEmpty else { return }
        try await access.audit(AuditEntry(at: ValueFormats.formatDateTime(Date()), actor: principal.userID, action: "sensitive_read",
                                          object: object.name, recordID: sensitive.count == 1 ? sensitive[0].id : nil,
                                          detail: ["records": .array(sensitive.map { .string($0.id) })]))
    }
}
