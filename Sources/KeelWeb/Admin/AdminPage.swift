import KeelCore

/// The admin pages: users (create, role, freeze/unfreeze), departments, roles, custom fields and custom objects.
/// A form that fails comes back with every problem listed and what was typed kept (`input`).
public enum AdminPage {
    public static let tabs = ["users", "departments", "roles", "fields", "objects", "access", "automations"]

    static func base(_ tab: String, _ t: Strings, csrf: String, violations: [Violation], input: [String: String]) -> [String: Any] {
        [
            "tabs": tabs.map { ["href": "/admin/\($0)", "label": t["admin_" + $0], "current": $0 == tab] },
            "csrf": csrf, "input": input, "errors": violations.map { "\($0.field): \(t.violation($0))" }, "hasErrors": !violations.isEmpty,
        ]
    }

    public static func users(_ users: [User], departments: [Department], me: String, _ t: Strings, csrf: String,
                             violations: [Violation] = [], input: [String: String] = [:]) -> [String: Any] {
        let departmentNames = Dictionary(uniqueKeysWithValues: departments.map { ($0.id, $0.name) })
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
        var context = base("users", t, csrf: csrf, violations: violations, input: input)
        context["users"] = users.map { u -> [String: Any] in
            [
                "id": u.id, "name": u.name, "email": u.email, "role": t["role_" + u.role.rawValue],
                "department": u.departmentID.flatMap { departmentNames[$0] } ?? "—", "manager": u.managerID.flatMap { names[$0] } ?? "—",
                "frozen": u.status == .frozen, "status": t["status_" + u.status.rawValue], "self": u.id == me,
                "roles": Role.allCases.map { ["value": $0.rawValue, "text": t["role_" + $0.rawValue], "selected": $0 == u.role] },
            ]
        }
        context["roleOptions"] = Role.allCases.map { ["value": $0.rawValue, "text": t["role_" + $0.rawValue], "selected": $0.rawValue == (input["role"] ?? "member")] }
        context["departmentOptions"] = departments.map { ["value": $0.name, "text": $0.name, "selected": $0.name == input["department"]] }
        context["managerOptions"] = users.filter { $0.status == .active }.map { ["value": $0.email, "text": $0.name, "selected": $0.email == input["manager"]] }
        return context
    }

    public static func departments(_ departments: [Department], users: [User], _ t: Strings, csrf: String,
                                   violations: [Violation] = [], input: [String: String] = [:]) -> [String: Any] {
        let names = Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) })
        // Depth-first, so that each department follows its parent, indented by its depth.
        var rows: [[String: Any]] = []
        func visit(_ parent: String?, depth: Int) {
            for d in departments.filter({ $0.parentID == parent }).sorted(by: { $0.name < $1.name }) {
                rows.append(["name": d.name, "indent": String(repeating: "— ", count: depth), "manager": d.managerID.flatMap { names[$0] } ?? "—",
                             "members": users.filter { $0.departmentID == d.id }.count])
                visit(d.id, depth: depth + 1)
            }
        }
        visit(nil, depth: 0)
        var context = base("departments", t, csrf: csrf, violations: violations, input: input)
        context["departments"] = rows
        context["parentOptions"] = departments.map { ["value": $0.id, "text": $0.name, "selected": $0.id == input["parent"]] }
        context["managerOptions"] = users.filter { $0.status == .active }.map { ["value": $0.id, "text": $0.name, "selected": $0.id == input["manager"]] }
        return context
    }

    public static func roles(_ users: [User], _ t: Strings, csrf: String) -> [String: Any] {
        var context = base("roles", t, csrf: csrf, violations: [], input: [:])
        context["roles"] = Role.allCases.map { role -> [String: Any] in
            let members = users.filter { $0.role == role }
            return ["name": t["role_" + role.rawValue], "can": t["role_" + role.rawValue + "_can"], "count": members.count,
                    "members": members.map(\.name).joined(separator: "、")]
        }
        return context
    }

    /// What the identity-rules form shows: the rules in force, whether they are Keel's defaults, the roles to choose from.
    public struct IdentitySettings {
        public var rules: IdentityRules
        public var isDefault: Bool
        public var roles: [String]

        public init(rules: IdentityRules, isDefault: Bool, roles: [String]) { (self.rules, self.isDefault, self.roles) = (rules, isDefault, roles) }
    }

    public static func fields(_ object: ObjectDefinition, objects: [ObjectDefinition], identity: IdentitySettings?, _ t: Strings, csrf: String,
                              violations: [Violation] = [], input: [String: String] = [:]) -> [String: Any] {
        let lang = t.language
        var context = base("fields", t, csrf: csrf, violations: violations, input: input)
        context["object"] = object.name
        context["objects"] = objects.map { ["href": "/admin/fields?object=\($0.name)", "label": lang.label($0.labels), "current": $0.name == object.name] }
        let objectLabels = Dictionary(uniqueKeysWithValues: objects.map { ($0.name, lang.label($0.labels)) })
        context["fields"] = object.fields.map { f -> [String: Any] in
            let detail = f.formula ?? f.options?.joined(separator: "、") ?? f.target.map { objectLabels[$0] ?? $0 } ?? ""
            return ["name": f.name, "label": lang.label(f.labels), "type": f.formula == nil ? t["type_" + f.type.rawValue] : t["type_formula"] + " → " + t["type_" + f.type.rawValue], "required": f.required ? t["yes"] : t["no"],
                    "custom": f.isCustom, "detail": detail,
                    "levels": (1...4).map { ["value": $0, "selected": $0 == f.sensitivity] }]
        }
        context["typeOptions"] = (FieldType.allCases.map(\.rawValue) + ["formula"]).map { ["value": $0, "text": t["type_" + $0], "selected": $0 == (input["type"] ?? "text")] }
        context["resultTypeOptions"] = ["number", "text", "boolean", "date", "datetime"].map { ["value": $0, "text": t["type_" + $0], "selected": $0 == (input["resultType"] ?? "number")] }
        context["rules"] = object.validationRules.map { ["name": $0.name, "expression": $0.expression, "message": $0.message] }
        context["hasRules"] = !object.validationRules.isEmpty
        func label(_ name: String) -> String { object.field(name).map { lang.label($0.labels) } ?? name }
        context["groups"] = object.requiredGroups.map { g -> [String: Any] in
            ["name": g.name, "label": lang.label(g.labels), "fields": g.fields.map(label).joined(separator: "、"),
             "when": g.condition.map { label($0.field) + " ∈ " + $0.values.joined(separator: "、") } ?? t["always"],
             "roles": g.roles.map { r in (r.condition.map { label($0.field) + " ∈ " + $0.values.joined(separator: "、") + ": " } ?? "") + r.roles.joined(separator: "、") }.joined(separator: "; ")]
        }
        context["hasGroups"] = !object.requiredGroups.isEmpty
        context["groupFieldOptions"] = object.fields.filter { $0.formula == nil && !$0.required }.map { f -> [String: Any] in
            ["name": f.name, "label": lang.label(f.labels), "checked": input["group_field_" + f.name] != nil]
        }
        context["whenOptions"] = object.fields.filter { $0.formula == nil && $0.type != .longText }.map { f -> [String: Any] in
            ["value": f.name, "text": lang.label(f.labels), "selected": input["group_when_field"] == f.name]
        }
        if let identity {
            // After a refused form, what was typed; else the rules in force.
            let typed = input.keys.contains { $0.hasPrefix("identity_") }
            func chosen(_ field: String) -> String {
                typed ? input["identity_role_" + field] ?? "" : identity.rules.fields.first { $0.field == field }?.role ?? ""
            }
            context["identity"] = [
                "isDefault": identity.isDefault,
                "block": typed ? input["identity_block"] ?? "" : String(Int((identity.rules.block * 100).rounded())),
                "warn": typed ? input["identity_warn"] ?? "" : String(Int((identity.rules.warn * 100).rounded())),
                "summary": identity.rules.fields.map { label($0.field) + " (" + t["match_role_" + $0.role] + ")" }.joined(separator: "、"),
                "fields": object.fields.filter { $0.formula == nil && $0.type != .boolean }.map { f -> [String: Any] in
                    ["name": f.name, "label": lang.label(f.labels),
                     "roles": [["value": "", "text": "—", "selected": chosen(f.name).isEmpty]]
                        + identity.roles.map { ["value": $0, "text": t["match_role_" + $0], "selected": chosen(f.name) == $0] }]
                },
            ] as [String: Any]
        }
        context["templates"] = IndustryTemplate.all.filter { $0.object == object.name }.map { ["name": $0.name, "label": lang.label($0.labels)] }
        context["targetOptions"] = (objects.map { ($0.name, lang.label($0.labels)) } + [("users", t["admin_users"]), ("departments", t["admin_departments"])])
            .map { ["value": $0.0, "text": $0.1, "selected": $0.0 == input["target"]] }
        return context
    }

    public static func objects(_ objects: [ObjectDefinition], _ t: Strings, csrf: String,
                               violations: [Violation] = [], input: [String: String] = [:]) -> [String: Any] {
        var context = base("objects", t, csrf: csrf, violations: violations, input: input)
        context["objects"] = objects.map { o -> [String: Any] in
            ["name": o.name, "zh": o.labels.zhCN, "en": o.labels.en, "custom": o.isCustom ? t["yes"] : t["no"],
             "fieldCount": o.fields.count, "fieldsHref": "/admin/fields?object=\(o.name)", "listHref": "/o/\(o.name)"]
        }
        return context
    }
}
