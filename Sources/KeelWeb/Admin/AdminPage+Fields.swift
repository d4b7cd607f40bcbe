import KeelCore

extension AdminPage {
    /// An object's fields (with their sensitivity), a new field, validation rules, required groups, industry
    /// templates and the identity rules of duplicate checking.
    public struct Fields: PageContext {
        public static let template = Template.adminFields

        struct Row {
            var name, label, type, required: String
            var custom: Bool
            /// The formula, the options or the target object.
            var detail: String
            var levels: [Option]
        }

        struct Rule {
            var name, expression, message: String
        }

        struct Group {
            var name, label, fields, when, roles: String
        }

        struct Check {
            var name, label: String
            var checked: Bool
        }

        struct Identity {
            struct Field {
                var name, label: String
                var roles: [Option]
            }

            var isDefault: Bool
            var block, warn, summary: String
            var fields: [Field]
        }

        struct IndustryTemplate {
            var name, label: String
        }

        var frame: Frame
        var csrf: String
        var input: [String: String]
        var object: String
        var objects: [Link]
        var fields: [Row]
        var typeOptions, resultTypeOptions, targetOptions, whenOptions: [Option]
        var rules: [Rule]
        var hasRules: Bool
        var groups: [Group]
        var hasGroups: Bool
        var groupFieldOptions: [Check]
        var identity: Identity?
        var templates: [IndustryTemplate]

        public init(_ object: ObjectDefinition, objects: [ObjectDefinition], identity: IdentitySettings?, _ t: Strings, csrf: String,
                    violations: [Violation] = [], input: [String: String] = [:]) {
            let lang = t.language
            (frame, self.csrf, self.input) = (Frame("fields", t, violations: violations), csrf, input)
            self.object = object.name
            self.objects = objects.map { Link("/admin/fields?object=\($0.name)", lang.label($0.labels), current: $0.name == object.name) }
            let objectLabels = Dictionary(uniqueKeysWithValues: objects.map { ($0.name, lang.label($0.labels)) })
            fields = object.fields.map { f in
                Row(name: f.name, label: lang.label(f.labels),
                    type: f.formula == nil ? t["type_" + f.type.rawValue] : t["type_formula"] + " → " + t["type_" + f.type.rawValue],
                    required: f.required ? t["yes"] : t["no"], custom: f.isCustom,
                    detail: f.formula ?? f.options?.joined(separator: "、") ?? f.target.map { objectLabels[$0] ?? $0 } ?? "",
                    levels: (1...4).map { Option(String($0), "L\($0)", selected: $0 == f.sensitivity) })
            }
            typeOptions = (FieldType.allCases.map(\.rawValue) + ["formula"]).map { Option($0, t["type_" + $0], selected: $0 == (input["type"] ?? "text")) }
            resultTypeOptions = ["number", "text", "boolean", "date", "datetime"].map { Option($0, t["type_" + $0], selected: $0 == (input["resultType"] ?? "number")) }
            targetOptions = (objects.map { ($0.name, lang.label($0.labels)) } + [("users", t["admin_users"]), ("departments", t["admin_departments"])])
                .map { Option($0.0, $0.1, selected: $0.0 == input["target"]) }
            rules = object.validationRules.map { Rule(name: $0.name, expression: $0.expression, message: $0.message) }
            hasRules = !rules.isEmpty
            func label(_ name: String) -> String { object.field(name).map { lang.label($0.labels) } ?? name }
            func condition(_ c: RequiredGroup.Condition) -> String { label(c.field) + " ∈ " + c.values.joined(separator: "、") }
            groups = object.requiredGroups.map { g in
                Group(name: g.name, label: lang.label(g.labels), fields: g.fields.map(label).joined(separator: "、"),
                      when: g.condition.map(condition) ?? t["always"],
                      roles: g.roles.map { r in (r.condition.map { condition($0) + ": " } ?? "") + r.roles.joined(separator: "、") }.joined(separator: "; "))
            }
            hasGroups = !groups.isEmpty
            groupFieldOptions = object.fields.filter { $0.formula == nil && !$0.required }.map { f in
                Check(name: f.name, label: lang.label(f.labels), checked: input["group_field_" + f.name] != nil)
            }
            whenOptions = object.fields.filter { $0.formula == nil && $0.type != .longText }.map { f in
                Option(f.name, lang.label(f.labels), selected: input["group_when_field"] == f.name)
            }
            self.identity = identity.map { identity in
                // After a refused form, what was typed; else the rules in force.
                let typed = input.keys.contains { $0.hasPrefix("identity_") }
                func chosen(_ field: String) -> String {
                    typed ? input["identity_role_" + field] ?? "" : identity.rules.fields.first { $0.field == field }?.role ?? ""
                }
                return Identity(
                    isDefault: identity.isDefault,
                    block: typed ? input["identity_block"] ?? "" : String(Int((identity.rules.block * 100).rounded())),
                    warn: typed ? input["identity_warn"] ?? "" : String(Int((identity.rules.warn * 100).rounded())),
                    summary: identity.rules.fields.map { label($0.field) + " (" + t["match_role_" + $0.role] + ")" }.joined(separator: "、"),
                    fields: object.fields.filter { $0.formula == nil && $0.type != .boolean }.map { f in
                        Identity.Field(name: f.name, label: lang.label(f.labels),
                                       roles: [Option("", "—", selected: chosen(f.name).isEmpty)]
                                           + identity.roles.map { Option($0, t["match_role_" + $0], selected: chosen(f.name) == $0) })
                    })
            }
            templates = KeelCore.IndustryTemplate.all.filter { $0.object == object.name }.map { IndustryTemplate(name: $0.name, label: lang.label($0.labels)) }
        }
    }
}
