import Foundation
import KeelCore
import SQLKit

/// Custom objects and custom fields as rows, and the version counter that tells processes to reload them.
public struct MetadataStore: Sendable {
    public let dialect: SQLDialectKind

    public init(dialect: SQLDialectKind) {
        self.dialect = dialect
    }

    public func version(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT version FROM metadata_version WHERE id = 1").first()?.decode(column: "version", as: Int.self) ?? 0
    }

    /// Standard objects with their custom fields, then custom objects, as stored now.
    public func loadObjects(on db: any SQLDatabase) async throws -> [ObjectDefinition] {
        let fieldRows = try await db.raw("SELECT object, name, type, labels, required, options, target, max_length, expression, default_value, disabled_reason FROM field_definitions ORDER BY object, position").all()
        var customFields: [String: [FieldDefinition]] = [:]
        for row in fieldRows {
            let object = try row.decode(column: "object", as: String.self)
            let labels = try JSONDecoder().decode(Labels.self, from: Data(try row.decode(column: "labels", as: String.self).utf8))
            let typeName = try row.decode(column: "type", as: String.self)
            guard let type = FieldType(rawValue: typeName) else { continue }
            let options = try row.decode(column: "options", as: String?.self).flatMap {
                try? JSONDecoder().decode([String].self, from: Data($0.utf8))
            }
            var field = FieldDefinition(
                try row.decode(column: "name", as: String.self), type, zh: labels.zhCN, en: labels.en,
                required: try row.decode(column: "required", as: Bool.self), options: options,
                target: try row.decode(column: "target", as: String?.self),
                maxLength: try row.decode(column: "max_length", as: Int?.self), isCustom: true,
                defaultValue: try row.decode(column: "default_value", as: String?.self).flatMap { try? JSONValue.parse(text: $0) },
                formula: try row.decode(column: "expression", as: String?.self))
            field.disabledReason = try row.decode(column: "disabled_reason", as: String?.self)
            customFields[object, default: []].append(field)
        }
        var objects = StandardObjects.all.map { standard in
            var o = standard
            o.fields += customFields[o.name] ?? []
            return o
        }
        let objectRows = try await db.raw("SELECT name, labels FROM object_definitions ORDER BY created_at, name").all()
        for row in objectRows {
            let name = try row.decode(column: "name", as: String.self)
            let labels = try JSONDecoder().decode(Labels.self, from: Data(try row.decode(column: "labels", as: String.self).utf8))
            objects.append(ObjectDefinition(
                name: name, labels: labels,
                fields: Self.customObjectBaseFields + (customFields[name] ?? []),
                isCustom: true, table: "custom_records"))
        }
        for row in try await db.raw("SELECT object, name, expression, message, disabled_reason FROM validation_rules ORDER BY object, position").all() {
            let name = try row.decode(column: "object", as: String.self)
            guard let i = objects.firstIndex(where: { $0.name == name }) else { continue }
            var rule = ValidationRule(name: try row.decode(column: "name", as: String.self), expression: try row.decode(column: "expression", as: String.self),
                                      message: try row.decode(column: "message", as: String.self))
            rule.disabledReason = try row.decode(column: "disabled_reason", as: String?.self)
            objects[i].validationRules.append(rule)
        }
        for row in try await db.raw("SELECT object, definition FROM required_groups ORDER BY object, position").all() {
            let name = try row.decode(column: "object", as: String.self)
            guard let i = objects.firstIndex(where: { $0.name == name }),
                  let group = RequiredGroup(json: try JSONValue.parse(text: row.decode(column: "definition", as: String.self))) else { continue }
            objects[i].requiredGroups.append(group)
        }
        for row in try await db.raw("SELECT key, value FROM settings WHERE key LIKE 'identity_rules:%'").all() {
            let name = String(try row.decode(column: "key", as: String.self).dropFirst("identity_rules:".count))
            guard let i = objects.firstIndex(where: { $0.name == name }) else { continue }
            objects[i].identityRules = (try? JSONValue.parse(text: row.decode(column: "value", as: String.self))).flatMap(IdentityRules.init(json:))
        }
        // Sensitivity levels set by admins, over the built-in ones.
        let levels = try await AccessStore().sensitivityLevels(on: db)
        for i in objects.indices {
            guard let set = levels[objects[i].name] else { continue }
            if let level = set[""] { objects[i].sensitivity = level }
            for j in objects[i].fields.indices { if let level = set[objects[i].fields[j].name] { objects[i].fields[j].sensitivity = level } }
        }
        return FormulaGraph.derivingSources(objects.map(\.withPhoneParts))
    }

    /// Every custom object has a name and an owner in columns of `custom_records`.
    public static let customObjectBaseFields: [FieldDefinition] = [
        FieldDefinition("name", .text, zh: "名称", en: "Name", required: true),
        FieldDefinition("owner", .reference, zh: "负责人", en: "Owner", target: "users"),
    ]

    public func insertField(_ field: FieldDefinition, object: ObjectDefinition, position: Int, actor: String?, on db: any SQLDatabase) async throws {
        let labels = String(decoding: try JSONEncoder().encode(field.labels), as: UTF8.self)
        let options = try field.options.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try await db.raw("""
            INSERT INTO field_definitions (object, name, type, labels, required, options, target, max_length, position, created_at, created_by, expression, default_value)
            VALUES (\(bind: object.name), \(bind: field.name), \(bind: field.type.rawValue), \(bind: labels), \(bind: field.required),
                    \(bind: options), \(bind: field.target), \(bind: field.maxLength), \(bind: position),
                    \(bind: ValueFormats.formatDateTime(Date())), \(bind: actor), \(bind: field.formula), \(bind: field.defaultValue?.canonicalText()))
            """).run()
        // An expression index makes the new field fast to filter and sort at once, on both databases.
        try await db.raw(dialect.customIndexSQL(table: object.table, object: object.isCustom ? object.name : nil, field: field)).run()
        try await bumpVersion(on: db)
    }

    public func setExpression(_ expression: String, object: String, field: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE field_definitions SET expression = \(bind: expression) WHERE object = \(bind: object) AND name = \(bind: field)").run()
        try await bumpVersion(on: db)
    }

    /// Removes a custom field's definition and its index. Values stay in the records' JSON, unseen.
    public func deleteField(_ field: FieldDefinition, object: ObjectDefinition, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM field_definitions WHERE object = \(bind: object.name) AND name = \(bind: field.name)").run()
        try await db.raw("DROP INDEX IF EXISTS \(name: "ix_\(object.table)_\(object.isCustom ? object.name + "_" : "")\(field.name)")").run()
        try await bumpVersion(on: db)
    }

    /// Disables a validation rule (`field` nil) or a formula field, saying why.
    public func disable(object: String, rule: String? = nil, field: String? = nil, reason: String, on db: any SQLDatabase) async throws {
        if let rule {
            try await db.raw("UPDATE validation_rules SET disabled_reason = \(bind: reason) WHERE object = \(bind: object) AND name = \(bind: rule)").run()
        }
        if let field {
            try await db.raw("UPDATE field_definitions SET disabled_reason = \(bind: reason) WHERE object = \(bind: object) AND name = \(bind: field)").run()
        }
        try await bumpVersion(on: db)
    }

    /// The organisation's working calendar; Monday to Friday without holidays until an admin sets one.
    public func calendar(on db: any SQLDatabase) async throws -> WorkingCalendar {
        try await setting("working_calendar", on: db).flatMap { try? WorkingCalendar.parse($0) } ?? WorkingCalendar()
    }

    public func setCalendar(_ calendar: WorkingCalendar, by actor: String, on db: any SQLDatabase) async throws {
        try await setSetting("working_calendar", calendar.json, by: actor, on: db)
        try await bumpVersion(on: db)
    }

    /// An organisation-wide setting as stored (JSON), nil until set.
    public func setting(_ key: String, on db: any SQLDatabase) async throws -> JSONValue? {
        let text = try await db.raw("SELECT value FROM settings WHERE key = \(bind: key)").first()?.decode(column: "value", as: String.self)
        return text.flatMap { try? JSONValue.parse(text: $0) }
    }

    public func setSetting(_ key: String, _ value: JSONValue, by actor: String, on db: any SQLDatabase) async throws {
        let now = ValueFormats.formatDateTime(Date())
        try await db.raw("""
            INSERT INTO settings (key, value, updated_at, updated_by) VALUES (\(bind: key), \(bind: value.canonicalText()), \(bind: now), \(bind: actor))
            ON CONFLICT (key) DO UPDATE SET value = \(bind: value.canonicalText()), updated_at = \(bind: now), updated_by = \(bind: actor)
            """).run()
    }

    /// Sets (or, with nil, removes) an object's identity rules.
    public func setIdentityRules(_ rules: IdentityRules?, object: String, by actor: String, on db: any SQLDatabase) async throws {
        if let rules {
            try await setSetting("identity_rules:" + object, rules.json, by: actor, on: db)
        } else {
            try await db.raw("DELETE FROM settings WHERE key = \(bind: "identity_rules:" + object)").run()
        }
        try await bumpVersion(on: db)
    }

    public func insertRule(_ rule: ValidationRule, object: String, actor: String?, on db: any SQLDatabase) async throws {
        let position = try await db.raw("SELECT COUNT(*) AS n FROM validation_rules WHERE object = \(bind: object)").first()?.decode(column: "n", as: Int.self) ?? 0
        try await db.raw("""
            INSERT INTO validation_rules (object, name, expression, message, position, created_at, created_by)
            VALUES (\(bind: object), \(bind: rule.name), \(bind: rule.expression), \(bind: rule.message), \(bind: position),
                    \(bind: ValueFormats.formatDateTime(Date())), \(bind: actor))
            """).run()
        try await bumpVersion(on: db)
    }

    public func insertRequiredGroup(_ group: RequiredGroup, object: String, actor: String?, on db: any SQLDatabase) async throws {
        let position = try await db.raw("SELECT COUNT(*) AS n FROM required_groups WHERE object = \(bind: object)").first()?.decode(column: "n", as: Int.self) ?? 0
        try await db.raw("""
            INSERT INTO required_groups (object, name, definition, position, created_at, created_by)
            VALUES (\(bind: object), \(bind: group.name), \(bind: group.json.canonicalText()), \(bind: position),
                    \(bind: ValueFormats.formatDateTime(Date())), \(bind: actor))
            """).run()
        try await bumpVersion(on: db)
    }

    /// Removes a required group; false when there was none of that name.
    public func deleteRequiredGroup(object: String, name: String, on db: any SQLDatabase) async throws -> Bool {
        let gone = try await db.raw("DELETE FROM required_groups WHERE object = \(bind: object) AND name = \(bind: name) RETURNING name").all()
        if !gone.isEmpty { try await bumpVersion(on: db) }
        return !gone.isEmpty
    }

    public func insertObject(name: String, labels: Labels, actor: String?, on db: any SQLDatabase) async throws {
        let labelText = String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
        try await db.raw("""
            INSERT INTO object_definitions (name, labels, created_at, created_by)
            VALUES (\(bind: name), \(bind: labelText), \(bind: ValueFormats.formatDateTime(Date())), \(bind: actor))
            """).run()
        try await bumpVersion(on: db)
    }

    func bumpVersion(on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE metadata_version SET version = version + 1 WHERE id = 1").run()
    }
}
