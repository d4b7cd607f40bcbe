import KeelCore

/// Reads and checks the JSON an admin sends to define a custom field or object.
enum FieldSpec {
    static func isValidName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, ("a"..."z").contains(first), name.count <= 63 else { return false }
        return name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    static func nameTaken(_ name: String, object: String) -> KeelError {
        KeelError.validation([Violation(field: "name", code: "name_taken", message: "\(object) already has a field named \(name).")])
    }

    static func labels(_ input: JSONValue, fallback: String, violations: inout [Violation]) -> Labels {
        let zh = input["labels"]?["zh-CN"]?.stringValue?.trimmingCharacters(in: .whitespaces) ?? ""
        let en = input["labels"]?["en"]?.stringValue?.trimmingCharacters(in: .whitespaces) ?? ""
        if let l = input["labels"], !l.isNull, l.objectValue == nil || !l.objectValue!.wrongTypes(["zh-CN": "string", "en": "string"]).isEmpty {
            violations.append(Violation(field: "labels", code: "invalid_type", message: "labels must be an object with zh-CN and en."))
        }
        if zh.count > 100 || en.count > 100 {
            violations.append(Violation(field: "labels", code: "too_long", message: "A label may have at most 100 characters."))
        } else if ValueFormats.controlCharacter(in: zh + en) != nil {
            violations.append(Violation(field: "labels", code: "control_character", message: "A label has a control character."))
        }
        let z = zh.isEmpty ? (en.isEmpty ? fallback : en) : zh
        return Labels(zhCN: z, en: en.isEmpty ? z : en)
    }

    /// `{"expression", "resultType"}` of a formula field, checked against the object's fields (and related objects'):
    /// the formula, or violations naming the problem and its position.
    static func formulaSpec(_ input: JSONValue, object: ObjectDefinition, catalog: Catalog, violations: inout [Violation]) -> Formula? {
        let resultName = input["resultType"]?.stringValue ?? ""
        let result = FormulaType(rawValue: resultName).flatMap { $0 == .null ? nil : $0 }
        if result == nil {
            violations.append(Violation(field: "resultType", code: "invalid_type", message: "resultType is number, text, boolean, date or datetime."))
        }
        guard let text = input["expression"]?.stringValue, !text.trimmingCharacters(in: .whitespaces).isEmpty else {
            violations.append(Violation(field: "expression", code: "required", message: "A formula field needs an expression."))
            return nil
        }
        do {
            let formula = try Formula(text, schema: FormulaSchema(object: object, objects: catalog.objects))
            if let result, formula.type != result, formula.type != .null {
                violations.append(Violation(field: "expression", code: "invalid_formula",
                                            message: "The formula gives \(formula.type.rawValue), not \(result.rawValue) (at position 1)"))
                return nil
            }
            return formula
        } catch {
            violations.append(Violation(field: "expression", code: "invalid_formula", message: error.description))
            return nil
        }
    }

    /// A sensitivity level 1–4; nil when absent.
    static func sensitivityLevel(_ value: JSONValue?, violations: inout [Violation]) -> Int? {
        guard let value, !value.isNull else { return nil }
        guard let n = value.intValue, (1...4).contains(n) else {
            violations.append(Violation(field: "sensitivity", code: "out_of_range", message: "sensitivity is a level from 1 (public) to 4 (secret)."))
            return nil
        }
        return n
    }

    static func parse(_ input: JSONValue, existing object: ObjectDefinition, catalog: Catalog, selfName: String? = nil) throws -> FieldDefinition {
        guard input.objectValue != nil else {
            throw KeelError(.badRequest, code: "invalid_body", message: "A field definition must be a JSON object.")
        }
        var violations: [Violation] = []
        let name = input["name"]?.stringValue ?? ""
        if !isValidName(name) {
            violations.append(Violation(field: "name", code: "invalid_name",
                                        message: "A field name starts with a lowercase letter and has only a-z, 0-9 and _ (at most 63)."))
        } else if ObjectDefinition.reservedFieldNames.contains(name) {
            violations.append(Violation(field: "name", code: "reserved_name", message: "\(name) is reserved by Keel."))
        } else if object.field(name) != nil {
            violations.append(Violation(field: "name", code: "name_taken", message: "\(object.name) already has a field named \(name)."))
        }
        let typeName = input["type"]?.stringValue ?? ""
        let labels = labels(input, fallback: name, violations: &violations)
        var required = false
        if let r = input["required"], !r.isNull {
            if let b = r.boolValue { required = b } else {
                violations.append(Violation(field: "required", code: "invalid_type", message: "required must be true or false."))
            }
        }
        let sensitivity = sensitivityLevel(input["sensitivity"], violations: &violations) ?? 1
        if typeName == "formula" {
            let formula = formulaSpec(input, object: object, catalog: catalog, violations: &violations)
            guard violations.isEmpty, let formula else { throw KeelError.validation(violations) }
            let resultType = FormulaType(rawValue: input["resultType"]?.stringValue ?? "") ?? formula.type
            return FieldDefinition(name, resultType.fieldType, zh: labels.zhCN, en: labels.en, isCustom: true, sensitivity: sensitivity,
                                   formula: formula.text)
        }
        let type = FieldType(apiName: typeName)
        if type == nil {
            violations.append(Violation(field: "type", code: "invalid_type",
                                        message: "Unknown field type \(typeName); use one of \(FieldType.allCases.map(\.rawValue).joined(separator: ", ")).")) 
        }
        var options: [String]?
        if type == .picklist || type == .multiPicklist {
            let raw = input["options"]?.arrayValue ?? []
            let values = raw.compactMap { $0.stringValue?.trimmingCharacters(in: .whitespaces) }
            if raw.isEmpty || values.count != raw.count || values.contains(where: { $0.isEmpty || $0.count > 255 || ValueFormats.controlCharacter(in: $0) != nil })
                || Set(values).count != values.count {
                violations.append(Violation(field: "options", code: "invalid_options",
                                            message: "A picklist needs a list of distinct, non-empty text options."))
            }
            options = values
        }
        var target: String?
        if type == .reference {
            target = input["target"]?.stringValue
            let known = target.map { catalog.object($0) != nil || StandardObjects.directoryTargets.contains($0) || $0 == selfName } ?? false
            if !known {
                violations.append(Violation(field: "target", code: "unknown_target",
                                            message: "A reference needs a target: an existing object, users or departments."))
            }
        }
        var maxLength: Int?
        if let m = input["maxLength"], !m.isNull {
            if let n = m.intValue, n >= 1, n <= type?.defaultMaxLength ?? 0 { maxLength = n } else {
                violations.append(Violation(field: "maxLength", code: "invalid_value",
                                            message: "maxLength must be a whole number from 1 to the type's limit (\(type?.defaultMaxLength ?? 0))."))
            }
        }
        guard violations.isEmpty, let type else { throw KeelError.validation(violations) }
        var field = FieldDefinition(name, type, zh: labels.zhCN, en: labels.en, required: required,
                                    options: options, target: target, maxLength: maxLength, isCustom: true, sensitivity: sensitivity)
        // A default must be a value the field accepts; new records get it when the caller leaves the field out.
        if let raw = input["default"], !raw.isNull {
            switch RecordValidator.normalize(raw, for: field) {
            case .success(let value): field.defaultValue = value
            case .failure(let v): throw KeelError.validation([Violation(field: "default", code: v.code, message: v.message)])
            }
        }
        return field
    }

    static func parseObject(_ input: JSONValue, catalog: Catalog, reserved: Set<String>) throws -> (String, Labels) {
        guard input.objectValue != nil else {
            throw KeelError(.badRequest, code: "invalid_body", message: "An object definition must be a JSON object.")
        }
        var violations: [Violation] = []
        let name = input["name"]?.stringValue ?? ""
        if !isValidName(name) || name.count < 2 {
            violations.append(Violation(field: "name", code: "invalid_name",
                                        message: "An object name starts with a lowercase letter and has only a-z, 0-9 and _ (2 to 63)."))
        } else if reserved.contains(name) {
            violations.append(Violation(field: "name", code: "reserved_name", message: "\(name) is reserved by Keel."))
        } else if catalog.object(name) != nil {
            violations.append(Violation(field: "name", code: "name_taken", message: "An object named \(name) already exists."))
        }
        if let f = input["fields"], !f.isNull, f.arrayValue == nil {
            violations.append(Violation(field: "fields", code: "invalid_type", message: "fields must be an array of field definitions."))
        }
        let labels = labels(input, fallback: name, violations: &violations)
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return (name, labels)
    }
}
