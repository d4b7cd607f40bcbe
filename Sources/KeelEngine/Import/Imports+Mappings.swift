import Foundation
import KeelCore
import KeelStore

extension Imports {
    /// Saves `plan` under `name` for its object, replacing the mapping of that name. The team shares its mappings:
    /// whoever may import into the object may save and use them; only whoever saved one, or an admin, replaces or
    /// deletes it.
    public func saveMapping(name: String, plan: ImportPlan, as principal: Principal) async throws -> SavedMapping {
        let name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= SavedMapping.maxName, !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            let message = "A mapping's name is 1 to \(SavedMapping.maxName) characters, without line breaks."
            throw KeelError(.unprocessable, code: "invalid_mapping_name", message: message, violations: [Violation(field: "name", code: "invalid_name", message: message)])
        }
        try await requireImporter(plan.object, principal)
        return try await database.write { db in
            if let existing = try await store.mapping(object: plan.object, name: name, on: db) { try Self.requireOwner(existing, principal) }
            return try await store.save(SavedMapping(id: RecordID.make(), name: name, plan: plan, createdBy: principal.userID,
                                                     updatedAt: ValueFormats.formatDateTime(Date())), on: db)
        }
    }

    /// The mappings saved for the objects the principal may import into (one object's, when named).
    public func mappings(object: String?, as principal: Principal) async throws -> [SavedMapping] {
        if let object { try await requireImporter(object, principal) }
        let all = try await database.read { try await store.mappings(object: object, on: $0) }
        var allowed: [String: Bool] = [:]
        var out: [SavedMapping] = []
        for mapping in all {
            if allowed[mapping.plan.object] == nil { allowed[mapping.plan.object] = (try? await requireImporter(mapping.plan.object, principal)) != nil }
            if allowed[mapping.plan.object] == true { out.append(mapping) }
        }
        return out
    }

    /// A saved mapping, to someone who may import into its object.
    public func mapping(_ id: String, as principal: Principal) async throws -> SavedMapping {
        guard let mapping = try await database.read({ try await store.mapping(id: id, on: $0) }),
              (try? await requireImporter(mapping.plan.object, principal)) != nil else { throw KeelError.notFound("imports/mappings/\(id)") }
        return mapping
    }

    public func deleteMapping(_ id: String, as principal: Principal) async throws {
        let mapping = try await mapping(id, as: principal)
        try Self.requireOwner(mapping, principal)
        try await database.write { try await store.deleteMapping(id: id, on: $0) }
    }

    func requireImporter(_ objectName: String, _ principal: Principal) async throws {
        let object = try await metadata.catalog().require(objectName)
        if try await access.scope(principal, .create, object: object).plan.deniesAll { throw AccessControl.denied(.create, object: object.name) }
    }

    static func requireOwner(_ mapping: SavedMapping, _ principal: Principal) throws {
        guard mapping.createdBy == principal.userID || principal.role == .admin else {
            throw KeelError(.forbidden, code: "forbidden", message: "Only whoever saved the mapping “\(mapping.name)”, or an admin, may change or delete it.")
        }
    }
}
