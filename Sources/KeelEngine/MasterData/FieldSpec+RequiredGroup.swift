import KeelCore

extension FieldSpec {
    /// Reads `{"name", "labels", "when": {"field", "in": [...]}, "fields": [...], "roles": [{"when", "roles": [...]}]}`,
    /// checked against the object: every problem is reported at once, with its path.
    static func requiredGroup(_ input: JSONValue, object: ObjectDefinition) throws -> RequiredGroup {
        guard input.objectValue != nil else {
            throw KeelError(.badRequest, code: "invalid_body", message: "A required group must be a JSON object.")
        }
        var violations: [Violation] = []
        let name = input["name"]?.stringValue ?? ""
        if !isValidName(name) {
            violations.append(Violation(field: "name", code: "invalid_name", message: "A group name starts with a lowercase letter and has only a-z, 0-9 and _ (at most 63)."))
        } else if object.requiredGroups.contains(where: { $0.name == name }) {
            violations.append(Violation(field: "name", code: "name_taken", message: "\(object.name) already has a required group named \(name)."))
        }
        let labels = labels(input, fallback: name, violations: &violations)
        let condition = groupCondition(input["when"], path: "when", object: object, violations: &violations)
        let fieldNames = input["fields"]?.arrayValue?.compactMap(\.stringValue) ?? []
        if fieldNames.isEmpty || fieldNames.count != input["fields"]?.arrayValue?.count || Set(fieldNames).count != fieldNames.count {
            violations.append(Violation(field: "fields", code: "invalid_fields", message: "fields is a list of distinct field names, at least one."))
        }
        for (i, f) in fieldNames.enumerated() {
            guard let field = object.field(f) else {
                violations.append(Violation(field: "fields[\(i)]", code: "unknown_field", message: "\(object.name) has no field named \(f)."))
                continue
            }
            if field.formula != nil {
                violations.append(Violation(field: "fields[\(i)]", code: "invalid_field", message: "\(f) is a formula field: Keel computes it, nobody can fill it in."))
            }
        }
        var roles: [RequiredGroup.RoleSuggestion] = []
        if let list = input["roles"], !list.isNull {
            guard let items = list.arrayValue else {
                throw KeelError.validation(violations + [Violation(field: "roles", code: "invalid_type", message: "roles is a list of {\"when\", \"roles\"}.")])
            }
            for (i, item) in items.enumerated() {
                let when = groupCondition(item["when"], path: "roles[\(i)].when", object: object, violations: &violations)
                let names = item["roles"]?.arrayValue?.compactMap { $0.stringValue?.trimmingCharacters(in: .whitespaces) } ?? []
                if names.isEmpty || names.count != item["roles"]?.arrayValue?.count || names.contains(where: { $0.isEmpty || $0.count > 100 || ValueFormats.controlCharacter(in: $0) != nil }) {
                    violations.append(Violation(field: "roles[\(i)].roles", code: "invalid_roles", message: "roles is a list of role names (1 to 100 characters each)."))
                }
                roles.append(RequiredGroup.RoleSuggestion(condition: when, roles: names))
            }
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return RequiredGroup(name: name, labels: labels, condition: condition, fields: fieldNames, roles: roles)
    }

    /// `{"field", "in": [...]}` or nothing; a picklist's values must be among its options.
    private static func groupCondition(_ input: JSONValue?, path: String, object: ObjectDefinition,
                                       violations: inout [Violation]) -> RequiredGroup.Condition? {
        guard let input, !input.isNull else { return nil }
        let name = input["field"]?.stringValue ?? ""
        let values = input["in"]?.arrayValue?.compactMap { $0.stringValue?.trimmingCharacters(in: .whitespaces) } ?? []
        guard let field = object.field(name) else {
            violations.append(Violation(field: path + ".field", code: "unknown_field", message: "\(object.name) has no field named \(name)."))
            return nil
        }
        if values.isEmpty || values.count != input["in"]?.arrayValue?.count || values.contains(where: \.isEmpty) {
            violations.append(Violation(field: path + ".in", code: "invalid_values", message: "in is a list of the values (text) that make the group apply."))
        }
        if let options = field.options, let unknown = values.first(where: { !options.contains($0) }) {
            violations.append(Violation(field: path + ".in", code: "invalid_option", message: "\(unknown) is not an option of \(field.labels.en)."))
        }
        return RequiredGroup.Condition(field: name, values: values)
    }
}
