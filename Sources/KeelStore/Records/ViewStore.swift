import KeelCore
import SQLKit

/// Saved list views.
public struct ViewStore: Sendable {
    public init() {}

    public func insert(_ v: SavedView, at now: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO saved_views (id, object, name, owner_id, shared, columns, filters, sort, created_at)
            VALUES (\(bind: v.id), \(bind: v.object), \(bind: v.name), \(bind: v.ownerID), \(bind: v.shared),
                    \(bind: Self.columnsJSON(v)), \(bind: Self.filtersJSON(v)), \(bind: v.sort), \(bind: now))
            """).run()
    }

    /// The views of `object` a user sees: their own and the shared ones, by name.
    public func visible(object: String, userID: String, on db: any SQLDatabase) async throws -> [SavedView] {
        try await db.raw("""
            SELECT id, object, name, owner_id, shared, columns, filters, sort FROM saved_views
            WHERE object = \(bind: object) AND (owner_id = \(bind: userID) OR shared = \(bind: true)) ORDER BY name, id
            """).all().map(decode)
    }

    public func find(id: String, on db: any SQLDatabase) async throws -> SavedView? {
        try await db.raw("SELECT id, object, name, owner_id, shared, columns, filters, sort FROM saved_views WHERE id = \(bind: id)")
            .first().map(decode)
    }

    public func delete(id: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM saved_views WHERE id = \(bind: id)").run()
    }

    static func columnsJSON(_ v: SavedView) -> String {
        JSONValue.array(v.columns.map(JSONValue.string)).canonicalText()
    }

    static func filtersJSON(_ v: SavedView) -> String {
        JSONValue.array(v.filters.map { .array([.string($0.field), .string($0.op), .string($0.value)]) }).canonicalText()
    }

    func decode(_ row: any SQLRow) throws -> SavedView {
        let columns = try JSONValue.parse(text: row.decode(column: "columns", as: String.self)).arrayValue?.compactMap(\.stringValue) ?? []
        let filters = try JSONValue.parse(text: row.decode(column: "filters", as: String.self)).arrayValue?.compactMap { item -> SavedView.Condition? in
            guard let parts = item.arrayValue?.compactMap(\.stringValue), parts.count == 3 else { return nil }
            return SavedView.Condition(field: parts[0], op: parts[1], value: parts[2])
        } ?? []
        return SavedView(
            id: try row.decode(column: "id", as: String.self), object: try row.decode(column: "object", as: String.self),
            name: try row.decode(column: "name", as: String.self), ownerID: try row.decode(column: "owner_id", as: String.self),
            shared: try row.decode(column: "shared", as: Bool.self), columns: columns, filters: filters,
            sort: try row.decode(column: "sort", as: String?.self))
    }
}
