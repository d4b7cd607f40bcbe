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

    /// The field history of a record, oldest first. Kept after the record is deleted.
    public func history(_ objectName: String, id: String, as principal: Principal) async throws -> [HistoryEntry] {
        let object = try await metadata.catalog().require(objectName)
        try authorizer.authorize(principal, .readHistory, object: object.name, fields: [])
        let entries = try await database.read { try await journal.history(recordID: id, object: object.name, on: $0) }
        guard !entries.isEmpty else { throw KeelError.notFound("\(object.name)/\(id)") }
        return entries
    }
}
