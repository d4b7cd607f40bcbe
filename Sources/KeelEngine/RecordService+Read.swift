import KeelCore
import KeelStore

extension RecordService {
    public func get(_ objectName: String, id: String, as principal: Principal) async throws -> (Record, ObjectDefinition) {
        let object = try await metadata.catalog().require(objectName)
        try authorizer.authorize(principal, .read, object: object.name, fields: [])
        guard let record = try await database.read({ try await store.fetch(object, id: id, on: $0) }) else {
            throw KeelError.notFound("\(object.name)/\(id)")
        }
        return (record, object)
    }

    /// One page of a list, from the request's query parameters.
    public func list(_ objectName: String, params: [(String, String)], as principal: Principal) async throws
        -> (records: [Record], nextCursor: String?, query: ListQuery, object: ObjectDefinition)
    {
        let object = try await metadata.catalog().require(objectName)
        try authorizer.authorize(principal, .read, object: object.name, fields: [])
        let query = try ListQuery.parse(params, object: object)
        let page = try await database.read { try await store.list(object, query: query, on: $0) }
        return (page.records, page.nextCursor, query, object)
    }

    /// How many records match the filters of a list request.
    public func count(_ objectName: String, params: [(String, String)], as principal: Principal) async throws -> Int {
        let object = try await metadata.catalog().require(objectName)
        try authorizer.authorize(principal, .read, object: object.name, fields: [])
        let query = try ListQuery.parse(params, object: object)
        return try await database.read { try await store.count(object, query: query, on: $0) }
    }

    /// Counts, and sums `sum`, over the records matching the request's filters, grouped by up to two fields.
    public func aggregate(_ objectName: String, groupBy: [String], sum: String? = nil, params: [(String, String)],
                          as principal: Principal) async throws -> [AggregateRow] {
        let object = try await metadata.catalog().require(objectName)
        try authorizer.authorize(principal, .read, object: object.name, fields: [])
        var violations: [Violation] = []
        if groupBy.count > 2 { violations.append(Violation(field: "groupBy", code: "out_of_range", message: "Group by at most two fields.")) }
        for name in groupBy where object.groupableField(name) == nil {
            violations.append(Violation(field: name, code: "invalid_field", message: "\(name) cannot be grouped by."))
        }
        if let sum, object.queryableField(sum)?.type.storage != .number {
            violations.append(Violation(field: sum, code: "invalid_field", message: "\(sum) is not a number field."))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let query = try ListQuery.parse(params, object: object)
        return try await database.read {
            try await store.aggregate(object, groupBy: groupBy.compactMap(object.groupableField), sum: sum.flatMap(object.queryableField),
                                      filters: query.filters, on: $0)
        }
    }

    /// The newest history entries of the given records, newest first.
    public func recentHistory(_ objectName: String, ids: [String], limit: Int, as principal: Principal) async throws -> [HistoryEntry] {
        let object = try await metadata.catalog().require(objectName)
        try authorizer.authorize(principal, .readHistory, object: object.name, fields: [])
        guard !ids.isEmpty else { return [] }
        return try await database.read { try await journal.recent(recordIDs: ids, object: object.name, limit: limit, on: $0) }
    }

    /// The field history of a record, oldest first. Kept after the record is deleted.
    public func history(_ objectName: String, id: String, as principal: Principal) async throws -> [HistoryEntry] {
        let object = try await metadata.catalog().require(objectName)
        try authorizer.authorize(principal, .readHistory, object: object.name, fields: [])
        let entries = try await database.read { try await journal.history(recordID: id, object: object.name, on: $0) }
        guard !entries.isEmpty else { throw KeelError.notFound("\(object.name)/\(id)") }
        return entries
    }
}
