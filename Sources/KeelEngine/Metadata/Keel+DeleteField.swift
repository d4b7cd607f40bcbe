import Foundation
import KeelCore
import KeelStore

extension Keel {
    /// Deletes a custom field. Whatever read it — validation rules and formula fields on any object, automations,
    /// approval processes — is disabled (automations and processes halted) with the reason shown where it is listed,
    /// and the admins are alerted: nothing that depended on the field is silently skipped. Returns what was disabled.
    public func deleteField(object objectName: String, field fieldName: String, by principal: Principal) async throws -> [String] {
        try await access.require(principal, .manageMetadata)
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        guard let field = object.field(fieldName) else { throw KeelError.notFound("\(objectName).\(fieldName)") }
        guard field.isCustom else {
            throw KeelError(.forbidden, code: "standard_field", message: "\(fieldName) is a standard field of \(objectName); only custom fields can be deleted.")
        }
        var objects = catalog.objects
        if let i = objects.firstIndex(where: { $0.name == objectName }) { objects[i].fields.removeAll { $0.name == fieldName } }
        let reason = "reads \(objectName).\(fieldName), which was deleted"
        let now = clock.now()
        let store = metadata.store
        let config = ConfigStore()
        return try await database.write { db in
            try await store.deleteField(field, object: object, on: db)
            var disabled: [String] = []
            for o in objects {
                let schema = FormulaSchema(object: o, objects: objects)
                for rule in o.validationRules where rule.disabledReason == nil && (try? Formula(rule.expression, schema: schema)) == nil {
                    try await store.disable(object: o.name, rule: rule.name, reason: reason, on: db)
                    disabled.append("validation rule \(o.name).\(rule.name)")
                }
                for f in o.fields where f.disabledReason == nil {
                    guard let formula = f.formula, (try? Formula(formula, schema: schema)) == nil else { continue }
                    try await store.disable(object: o.name, field: f.name, reason: reason, on: db)
                    disabled.append("formula field \(o.name).\(f.name)")
                }
            }
            let text = ValueFormats.formatDateTime(now)
            for item in try await config.items(kind: Automations.kind, on: db) where item.status == "active" {
                guard (try? Automation.parse(item.definition, objects: objects)) == nil else { continue }
                _ = try await config.setStatus(kind: Automations.kind, id: item.id, status: "halted", reason: reason, at: text, on: db)
                disabled.append("automation \(item.id)")
            }
            for item in try await config.items(kind: Approvals.kind, on: db) where item.status == "active" {
                guard (try? ApprovalProcess.parse(item.definition, objects: objects)) == nil else { continue }
                _ = try await config.setStatus(kind: Approvals.kind, id: item.id, status: "halted", reason: reason, at: text, on: db)
                disabled.append("approval process \(item.id)")
            }
            try await AccessStore().audit(AuditEntry(at: text, actor: principal.userID, action: "field_delete", object: objectName,
                                                     detail: ["field": .string(fieldName), "disabled": .array(disabled.map(JSONValue.string))]), on: db)
            if !disabled.isEmpty {
                try await notifier.alertAdmins(zh: "删除字段 \(objectName).\(fieldName) 停用了：\(disabled.joined(separator: "、"))；请修改后重新启用。",
                                               en: "Deleting \(objectName).\(fieldName) disabled \(disabled.joined(separator: ", ")); fix and re-enable them.",
                                               key: "field-delete:\(objectName).\(fieldName):\(text)", object: objectName, at: now, on: db)
            }
            return disabled
        }
    }
}
