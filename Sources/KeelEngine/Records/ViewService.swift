import Foundation
import KeelCore
import KeelStore

/// Saved list views. Anyone may save views for themselves; shared views are for managers and admins to publish.
/// A view can be deleted by its owner, and a shared one also by an admin.
public struct ViewService: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let store = ViewStore()

    public func views(of objectName: String, as principal: Principal) async throws -> [SavedView] {
        let object = try await metadata.catalog().require(objectName)
        return try await database.read { try await store.visible(object: object.name, userID: principal.userID, on: $0) }
    }

    /// A view the principal may see, or 404.
    public func view(_ id: String, as principal: Principal) async throws -> SavedView {
        guard let view = try await database.read({ try await store.find(id: id, on: $0) }), view.shared || view.ownerID == principal.userID else {
            throw KeelError.notFound("views/\(id)")
        }
        return view
    }

    public func save(_ objectName: String, name: String, shared: Bool, columns: [String], filters: [SavedView.Condition], sort: String?,
                     as principal: Principal) async throws -> SavedView {
        let object = try await metadata.catalog().require(objectName)
        if shared, principal.role == .member {
            throw KeelError(.forbidden, code: "forbidden", message: "Only managers and admins share views.")
        }
        let violations = SavedView.violations(name: name, columns: columns, filters: filters, sort: sort, object: object)
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let view = SavedView(id: RecordID.make(), object: object.name, name: name.trimmingCharacters(in: .whitespacesAndNewlines),
                             ownerID: principal.userID, shared: shared, columns: columns, filters: filters, sort: sort)
        try await database.write { try await store.insert(view, at: ValueFormats.formatDateTime(Date()), on: $0) }
        return view
    }

    public func delete(_ id: String, as principal: Principal) async throws {
        let view = try await view(id, as: principal)
        guard view.ownerID == principal.userID || principal.role == .admin else {
            throw KeelError(.forbidden, code: "forbidden", message: "Only the owner or an admin deletes this view.")
        }
        try await database.write { try await store.delete(id: id, on: $0) }
    }
}
