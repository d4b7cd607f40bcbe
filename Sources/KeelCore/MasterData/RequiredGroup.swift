/// Fields an object's records must have — always, or only while a field holds one of some values (a lead's status, a
/// deal's stage, an account's industry). A group can also name the roles a record of that kind should have people in
/// (a 三甲 hospital: 院长, 设备科主任, 信息科负责人), which Keel offers rather than enforces.
public struct RequiredGroup: Hashable, Sendable {
    /// "While `field` is one of `values`."
    public struct Condition: Hashable, Sendable {
        public var field: String
        public var values: [String]

        public init(field: String, values: [String]) {
            self.field = field
            self.values = values
        }

        public func holds(in state: [String: JSONValue]) -> Bool {
            Self.texts(state[field] ?? .null).contains(where: values.contains)
        }

        static func texts(_ value: JSONValue) -> [String] {
            switch value {
            case .array(let items): items.flatMap(texts)
            case .string(let s): [s]
            case .number, .bool: [value.canonicalText()]
            default: []
            }
        }

        public var json: JSONValue { ["field": .string(field), "in": .array(values.map(JSONValue.string))] }
    }

    /// Roles to staff while `condition` holds.
    public struct RoleSuggestion: Hashable, Sendable {
        public var condition: Condition?
        public var roles: [String]

        public init(condition: Condition?, roles: [String]) {
            self.condition = condition
            self.roles = roles
        }
    }

    public var name: String
    public var labels: Labels
    public var condition: Condition?
    public var fields: [String]
    public var roles: [RoleSuggestion]

    public init(name: String, labels: Labels, condition: Condition?, fields: [String], roles: [RoleSuggestion] = []) {
        self.name = name
        self.labels = labels
        self.condition = condition
        self.fields = fields
        self.roles = roles
    }

    /// Reads a group as stored (written by `json`); nil when it is not one.
    public init?(json: JSONValue) {
        func condition(_ v: JSONValue?) -> Condition? {
            guard let field = v?["field"]?.stringValue, let values = v?["in"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
            return Condition(field: field, values: values)
        }
        guard let name = json["name"]?.stringValue, let fields = json["fields"]?.arrayValue?.compactMap(\.stringValue) else { return nil }
        self.init(name: name,
                  labels: Labels(zhCN: json["labels"]?["zh-CN"]?.stringValue ?? name, en: json["labels"]?["en"]?.stringValue ?? name),
                  condition: condition(json["when"]), fields: fields,
                  roles: (json["roles"]?.arrayValue ?? []).map { RoleSuggestion(condition: condition($0["when"]), roles: $0["roles"]?.arrayValue?.compactMap(\.stringValue) ?? []) })
    }

    public func applies(to state: [String: JSONValue]) -> Bool { condition?.holds(in: state) ?? true }

    /// The fields this group requires that `state` (the record as it would be written) leaves empty.
    public func violations(in state: [String: JSONValue], object: ObjectDefinition) -> [Violation] {
        guard applies(to: state) else { return [] }
        let when = condition.map { c in " while \(object.field(c.field)?.labels.en ?? c.field) is \(Condition.texts(state[c.field] ?? .null).first ?? "")" } ?? ""
        // A field deleted since the group was made is no longer asked for.
        return fields.filter { object.field($0) != nil && (state[$0] ?? .null).isNull }.map { name in
            Violation(field: name, code: "required", message: "\(object.field(name)?.labels.en ?? name) is required\(when) (\(labels.en)).")
        }
    }

    /// The roles `state` calls for, in the order the group lists them.
    public func suggestedRoles(for state: [String: JSONValue]) -> [String] {
        guard applies(to: state) else { return [] }
        return roles.filter { $0.condition?.holds(in: state) ?? true }.flatMap(\.roles)
    }

    public var json: JSONValue {
        [
            "name": .string(name), "labels": labels.json, "when": condition?.json ?? .null,
            "fields": .array(fields.map(JSONValue.string)),
            "roles": .array(roles.map { ["when": $0.condition?.json ?? .null, "roles": .array($0.roles.map(JSONValue.string))] }),
        ]
    }
}

extension ObjectDefinition {
    /// Every field the object's required groups ask for and `state` lacks, one violation per field.
    public func requiredGroupViolations(in state: [String: JSONValue]) -> [Violation] {
        var seen = Set<String>()
        return requiredGroups.flatMap { $0.violations(in: state, object: self) }.filter { seen.insert($0.field).inserted }
    }
}
