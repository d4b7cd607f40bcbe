import KeelCore
import SQLKit

extension ImportStore {
    /// Saves a mapping under its name for its object: a new one, or the one of that name replaced (keeping its id).
    public func save(_ saved: SavedMapping, on db: any SQLDatabase) async throws -> SavedMapping {
        if let existing = try await self.mapping(object: saved.plan.object, name: saved.name, on: db) {
            try await db.raw("""
                UPDATE import_mappings SET plan = \(bind: saved.plan.json.canonicalText()), created_by = \(bind: saved.createdBy),
                updated_at = \(bind: saved.updatedAt) WHERE id = \(bind: existing.id)
                """).run()
            return SavedMapping(id: existing.id, name: saved.name, plan: saved.plan, createdBy: saved.createdBy, updatedAt: saved.updatedAt)
        }
        try await db.raw("""
            INSERT INTO import_mappings (id, object, name, plan, created_by, updated_at) VALUES (\(bind: saved.id), \(bind: saved.plan.object),
            \(bind: saved.name), \(bind: saved.plan.json.canonicalText()), \(bind: saved.createdBy), \(bind: saved.updatedAt))
            """).run()
        return saved
    }

    /// The mappings saved for an object (every object's when nil), by name.
    public func mappings(object: String?, on db: any SQLDatabase) async throws -> [SavedMapping] {
        let filter: SQLQueryString = object.map { "WHERE object = \(bind: $0)" } ?? ""
        return try await db.raw("SELECT id, name, plan, created_by, updated_at FROM import_mappings \(filter) ORDER BY object, name").all().map(decodeMapping)
    }

    public func mapping(id: String, on db: any SQLDatabase) async throws -> SavedMapping? {
        try await db.raw("SELECT id, name, plan, created_by, updated_at FROM import_mappings WHERE id = \(bind: id)").first().map(decodeMapping)
    }

    public func mapping(object: String, name: String, on db: any SQLDatabase) async throws -> SavedMapping? {
        try await db.raw("SELECT id, name, plan, created_by, updated_at FROM import_mappings WHERE object = \(bind: object) AND name = \(bind: name)")
            .first().map(decodeMapping)
    }

    public func deleteMapping(id: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM import_mappings WHERE id = \(bind: id)").run()
    }

    func decodeMapping(_ row: any SQLRow) throws -> SavedMapping {
        SavedMapping(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self),
                     plan: ImportPlan(stored: (try? JSONValue.parse(text: row.decode(column: "plan", as: String.self))) ?? .null),
                     createdBy: try row.decode(column: "created_by", as: String.self), updatedAt: try row.decode(column: "updated_at", as: String.self))
    }
}
