import Foundation
import KeelCore
import KeelStore
import Synchronization

/// Reads and changes object definitions. Keeps the catalog cached and reloads it when any process
/// (this one or another on the same database) changes metadata.
public final class MetadataService: Sendable {
    let database: KeelDatabase
    let store: MetadataStore
    let authorizer: any Authorizer
    private let cached = Mutex<Catalog?>(nil)

    public init(database: KeelDatabase, authorizer: any Authorizer) {
        self.database = database
        self.store = MetadataStore(dialect: database.dialect)
        self.authorizer = authorizer
    }

    /// The current catalog; one cheap query checks whether it changed.
    public func catalog() async throws -> Catalog {
        let version = try await database.read { try await store.version(on: $0) }
        if let c = cached.withLock({ $0 }), c.version == version { return c }
        let fresh = try await database.read { db in
            Catalog(version: try await store.version(on: db), objects: try await store.loadObjects(on: db))
        }
        cached.withLock { $0 = fresh }
        return fresh
    }

    /// Adds a custom field to an object. The field is filterable and sortable at once.
    public func addField(to objectName: String, _ input: JSONValue, as principal: Principal) async throws -> FieldDefinition {
        try authorizer.authorize(principal, .manageMetadata, object: objectName, fields: [])
        let catalog = try await catalog()
        let object = try catalog.require(objectName)
        let field = try FieldSpec.parse(input, existing: object, catalog: catalog)
        try await database.write { db in
            let current = try await store.loadObjects(on: db).first { $0.name == objectName }
            guard current?.field(field.name) == nil else { throw FieldSpec.nameTaken(field.name, object: objectName) }
            try await store.insertField(field, object: object, position: object.fields.count, actor: principal.userID, on: db)
        }
        return field
    }

    /// Creates a custom object, with the fields given in `fields` if any.
    public func addObject(_ input: JSONValue, as principal: Principal) async throws -> ObjectDefinition {
        try authorizer.authorize(principal, .manageMetadata, object: "metadata", fields: [])
        let catalog = try await catalog()
        let (name, labels) = try FieldSpec.parseObject(input, catalog: catalog)
        var object = ObjectDefinition(name: name, labels: labels, fields: MetadataStore.customObjectBaseFields,
                                      isCustom: true, table: "custom_records")
        var violations: [Violation] = []
        var fields: [FieldDefinition] = []
        for (index, spec) in (input["fields"]?.arrayValue ?? []).enumerated() {
            do {
                let field = try FieldSpec.parse(spec, existing: object, catalog: catalog, selfName: name)
                fields.append(field)
                object.fields.append(field)
            } catch let error as KeelError {
                violations += error.violations.map { Violation(field: "fields[\(index)].\($0.field)", code: $0.code, message: $0.message) }
            }
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        try await database.write { [object] db in
            let existing = try await store.loadObjects(on: db)
            guard !existing.contains(where: { $0.name == name }) else {
                throw KeelError(.conflict, code: "object_exists", message: "An object named \(name) already exists.")
            }
            try await store.insertObject(name: name, labels: labels, actor: principal.userID, on: db)
            for (i, field) in fields.enumerated() {
                try await store.insertField(field, object: object, position: MetadataStore.customObjectBaseFields.count + i,
                                            actor: principal.userID, on: db)
            }
        }
        return object
    }
}
