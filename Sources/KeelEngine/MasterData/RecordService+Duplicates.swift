import Foundation
import KeelCore
import KeelStore
import SQLKit

extension RecordService {
    /// The records that may be the same as `input` would make a new record (or record `id`, changed), each with its
    /// score and reasons, best first — the check forms run while a user types, and integrators before they write.
    public func possibleDuplicates(_ objectName: String, _ input: [String: JSONValue], id: String? = nil,
                                   principal: Principal) async throws -> JSONValue {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let readable = try await access.scope(principal, .read, object: object)
        if readable.plan.deniesAll { throw AccessControl.denied(.read, object: object.name) }
        var input = input
        _ = try Self.takeStageReason(&input, object)
        let result = RecordValidator.validate(input, object: object, mode: .update)
        guard result.violations.isEmpty else { throw KeelError.validation(result.violations) }
        return try await database.read { db in
            var values: [String: JSONValue] = [:]
            if let id {
                guard let current = try await store.fetch(object, id: id, access: readable, on: db) else { throw KeelError.notFound("\(object.name)/\(id)") }
                values = current.values
            }
            for (k, v) in result.values { values[k] = v }
            let candidates = try await duplicates.candidates(object, values: values, excluding: id, readable: readable, on: db)
            let block = DuplicateCheck.matcher(for: object)?.block ?? 1
            return ["candidates": .array(candidates.map(\.json)), "blocked": .bool(candidates.contains { $0.score.probability >= block })]
        }
    }

    /// Indexes every record of every object with identity fields, or of `objectName` only (after the index is created,
    /// or its rules changed).
    public func reindexDuplicates(only objectName: String? = nil) async throws {
        let catalog = try await metadata.catalog()
        for object in catalog.objects where DuplicateCheck.matcher(for: object) != nil && (objectName == nil || object.name == objectName) {
            var query = ListQuery(object: object)
            query.limit = ListQuery.maxLimit
            let everything = AccessScope(plan: AccessPlan(rows: .always), object: object, userID: "", now: "")
            repeat {
                let next = try await database.write { db -> Cursor? in
                    let page = try await store.list(object, query: query, access: everything, on: db)
                    try await duplicates.index(object, page.records.map { ($0.id, $0.values) }, on: db)
                    return page.nextCursor.flatMap(Cursor.decode)
                }
                query.cursor = next
            } while query.cursor != nil
        }
    }
}
