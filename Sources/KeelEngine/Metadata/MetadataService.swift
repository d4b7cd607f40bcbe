import Foundation
import KeelCore
import KeelStore
import SQLKit
import Synchronization

/// Reads and changes object definitions. Keeps the catalog cached and reloads it when any process
/// (this one or another on the same database) changes metadata.
public final class MetadataService: Sendable {
    let database: KeelDatabase
    let store: MetadataStore
    let access: AccessControl
    private let cached = Mutex<Catalog?>(nil)
    private let routeNames = Mutex<Set<String>>([])
    /// The one writer of records, which back-fills formula fields; made after this service, so `Keel` hands it over
    /// (held weakly: it holds this service).
    let recordService = Mutex(WeakRecordService())

    struct WeakRecordService: Sendable {
        weak var value: RecordService?
    }

    /// Names a custom object may not take because a route of the API uses them (the server says which when it starts).
    public func reserveObjectNames(_ names: Set<String>) { routeNames.withLock { $0.formUnion(names) } }

    /// Every name a custom object may not take: Keel's own objects and what the API's routes use.
    public var reservedObjectNames: Set<String> { StandardObjects.reservedObjectNames.union(routeNames.withLock { $0 }) }

    public init(database: KeelDatabase, access: AccessControl) {
        self.database = database
        self.store = MetadataStore(dialect: database.dialect)
        self.access = access
    }

    /// The current catalog; one cheap query checks whether it changed.
    public func catalog() async throws -> Catalog {
        let version = try await database.read { try await store.version(on: $0) }
        if let c = cached.withLock({ $0 }), c.version == version { return c }
        let fresh = try await database.read { db in
            Catalog(version: try await store.version(on: db), objects: try await store.loadObjects(on: db), calendar: try await store.calendar(on: db))
        }
        cached.withLock { $0 = fresh }
        return fresh
    }

    /// Adds a custom field to an object. The field is filterable and sortable at once.
    public func addField(to objectName: String, _ input: JSONValue, as principal: Principal) async throws -> FieldDefinition {
        try await access.require(principal, .manageMetadata)
        let catalog = try await catalog()
        let object = try catalog.require(objectName)
        let field = try FieldSpec.parse(input, existing: object, catalog: catalog)
        try await database.write { db in
            let current = try await store.loadObjects(on: db).first { $0.name == objectName }
            guard current?.field(field.name) == nil else { throw FieldSpec.nameTaken(field.name, object: objectName) }
            try await store.insertField(field, object: object, position: object.fields.count, actor: principal.userID, on: db)
            if field.sensitivity != 1 { try await AccessStore().setSensitivity(object: objectName, field: field.name, level: field.sensitivity, on: db) }
            if field.formula != nil { try await backfill(objectName, by: principal, on: db) }
        }
        return field
    }

    /// Computes a new or changed formula field on the records that exist, in the same transaction, through the record
    /// service: each record gets a new version, history (source formula) and an outbox event.
    func backfill(_ objectName: String, by principal: Principal, on db: any SQLDatabase) async throws {
        guard let records = recordService.withLock({ $0.value }) else { preconditionFailure("Keel sets the record service at start") }
        try await records.backfillFormulas(objectName, objects: try await store.loadObjects(on: db), principal: principal, on: db)
    }

    /// Adds a validation rule `{"name", "expression", "message"}`: writes fail with `message` when the expression is
    /// true. The expression is checked now (fields, functions, a true/false result); problems come with their position.
    public func addValidationRule(to objectName: String, _ input: JSONValue, as principal: Principal) async throws -> ValidationRule {
        try await access.require(principal, .manageMetadata)
        let catalog = try await catalog()
        let object = try catalog.require(objectName)
        var violations: [Violation] = []
        let name = input["name"]?.stringValue ?? ""
        if !FieldSpec.isValidName(name) {
            violations.append(Violation(field: "name", code: "invalid_name", message: "A rule name starts with a lowercase letter and has only a-z, 0-9 and _ (at most 63)."))
        }
        let message = (input["message"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        if message.isEmpty || message.count > 500 {
            violations.append(Violation(field: "message", code: "required", message: "A rule needs a message of 1 to 500 characters."))
        } else if ValueFormats.controlCharacter(in: message) != nil {
            violations.append(Violation(field: "message", code: "control_character", message: "The message has a control character."))
        }
        let expression = input["expression"]?.stringValue ?? ""
        do {
            let formula = try Formula(expression, schema: FormulaSchema(object: object, objects: catalog.objects))
            if formula.type != .boolean, formula.type != .null {
                violations.append(Violation(field: "expression", code: "invalid_formula", message: "A rule's formula must be true or false, not \(formula.type.rawValue) (at position 1)"))
            }
        } catch {
            violations.append(Violation(field: "expression", code: "invalid_formula", message: error.description))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let rule = ValidationRule(name: name, expression: expression, message: message)
        try await database.write { db in
            if try await store.loadObjects(on: db).first(where: { $0.name == objectName })?.validationRules.contains(where: { $0.name == name }) == true {
                throw KeelError(.conflict, code: "name_taken", message: "\(objectName) already has a validation rule named \(name).")
            }
            try await store.insertRule(rule, object: objectName, actor: principal.userID, on: db)
        }
        return rule
    }

    /// Adds a required group (see `FieldSpec.requiredGroup` for its shape). Records written from now on must fill its
    /// fields while it applies; records already stored are not changed (the health report shows what they lack).
    public func addRequiredGroup(to objectName: String, _ input: JSONValue, as principal: Principal) async throws -> RequiredGroup {
        try await access.require(principal, .manageMetadata)
        let group = try FieldSpec.requiredGroup(input, object: try await catalog().require(objectName))
        try await database.write { db in
            if try await store.loadObjects(on: db).first(where: { $0.name == objectName })?.requiredGroups.contains(where: { $0.name == group.name }) == true {
                throw KeelError(.conflict, code: "name_taken", message: "\(objectName) already has a required group named \(group.name).")
            }
            try await store.insertRequiredGroup(group, object: objectName, actor: principal.userID, on: db)
        }
        return group
    }

    /// Applies an industry template: adds the custom fields it needs (a field of the same name and type already there
    /// is reused; one of another type stops everything with 409) and its required group, in one transaction.
    /// Applying it again changes nothing.
    public func applyTemplate(_ name: String, as principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        guard let template = IndustryTemplate.all.first(where: { $0.name == name }) else {
            throw KeelError.notFound("template \(name) (templates: \(IndustryTemplate.all.map(\.name).joined(separator: ", ")))")
        }
        return try await database.write { db in
            guard var object = try await store.loadObjects(on: db).first(where: { $0.name == template.object }) else {
                throw KeelError.notFound(template.object)
            }
            var added: [String] = []
            for field in template.fields {
                if let existing = object.field(field.name) {
                    guard existing.type == field.type else {
                        throw KeelError(.conflict, code: "template_conflict",
                                        message: "\(object.name).\(field.name) already exists as \(existing.type.rawValue), not \(field.type.rawValue); rename it before applying \(name).")
                    }
                    continue
                }
                try await store.insertField(field, object: object, position: object.fields.count, actor: principal.userID, on: db)
                object.fields.append(field)
                added.append(field.name)
            }
            let newGroup = !object.requiredGroups.contains { $0.name == template.group.name }
            if newGroup { try await store.insertRequiredGroup(template.group, object: object.name, actor: principal.userID, on: db) }
            return ["template": .string(name), "fieldsAdded": .array(added.map(JSONValue.string)), "groupAdded": .bool(newGroup),
                    "group": template.group.json]
        }
    }

    public func deleteRequiredGroup(from objectName: String, name: String, as principal: Principal) async throws {
        try await access.require(principal, .manageMetadata)
        _ = try await catalog().require(objectName)
        guard try await database.write({ try await store.deleteRequiredGroup(object: objectName, name: name, on: $0) }) else {
            throw KeelError.notFound("\(objectName) required group \(name)")
        }
    }

    /// Sets how sensitive an object's records (`field` nil) or one field's values are, 1 (public) to 4 (secret).
    /// Policies that read `record.sensitivity` or `field.sensitivity` apply the new level at once; the change is audited.
    public func setSensitivity(object objectName: String, field fieldName: String?, _ input: JSONValue, as principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        let object = try await catalog().require(objectName)
        var violations: [Violation] = []
        if let fieldName, object.field(fieldName) == nil {
            throw KeelError.notFound("\(objectName).\(fieldName)")
        }
        if input.objectValue?.keys.contains(where: { $0 != "sensitivity" }) ?? true {
            violations.append(Violation(field: "body", code: "invalid_body", message: "Send {\"sensitivity\": 1…4}."))
        }
        let level = FieldSpec.sensitivityLevel(input["sensitivity"], violations: &violations)
        guard violations.isEmpty, let level else {
            throw KeelError.validation(violations.isEmpty ? [Violation(field: "sensitivity", code: "required", message: "sensitivity is required.")] : violations)
        }
        let before = fieldName.map { object.field($0)!.sensitivity } ?? object.sensitivity
        try await database.write { db in
            try await AccessStore().setSensitivity(object: objectName, field: fieldName ?? "", level: level, on: db)
            try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(Date()), actor: principal.userID, action: "sensitivity_change",
                                                     object: objectName, detail: ["field": fieldName.map(JSONValue.string) ?? .null,
                                                                                  "from": JSONValue(before), "to": JSONValue(level)]), on: db)
        }
        let updated = try await catalog().require(objectName)
        return fieldName.map { updated.field($0)!.json } ?? updated.json
    }

    /// Creates a custom object, with the fields given in `fields` if any.
    public func addObject(_ input: JSONValue, as principal: Principal) async throws -> ObjectDefinition {
        try await access.require(principal, .manageMetadata)
        let catalog = try await catalog()
        let (name, labels) = try FieldSpec.parseObject(input, catalog: catalog, reserved: reservedObjectNames)
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
                violations += error.violations.isEmpty ? [Violation(field: "fields[\(index)]", code: error.code, message: error.message)]
                    : error.violations.map { Violation(field: "fields[\(index)].\($0.field)", code: $0.code, message: $0.message) }
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
