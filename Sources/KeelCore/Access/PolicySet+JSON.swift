/// Policies as JSON: `{"policies": [{"id", "description", "effect", "actions", "objects", "when"}], "expectations": [...]}`.
/// `actions` and `objects` are lists of names or `"*"`; `when` is a condition (see `Condition`), absent means always.
extension PolicySet {
    /// Parses and checks a policy document against the objects that exist; every problem is reported at once.
    public static func parse(_ json: JSONValue, objects: [ObjectDefinition], version: Int = 0) throws(KeelError) -> PolicySet {
        try parse(json, checking: objects, version: version)
    }

    /// A stored version: it was checked when saved, and stays readable when fields it names are removed later.
    public static func parseStored(_ json: JSONValue, version: Int) throws(KeelError) -> PolicySet {
        try parse(json, checking: nil, version: version)
    }

    static func parse(_ json: JSONValue, checking objects: [ObjectDefinition]?, version: Int) throws(KeelError) -> PolicySet {
        guard let list = json["policies"]?.arrayValue else {
            throw KeelError.validation([Violation(field: "policies", code: "required", message: "Send {\"policies\": [...]}.")])
        }
        var violations: [Violation] = []
        var policies: [Policy] = []
        var ids: Set<String> = []
        for (index, item) in list.enumerated() {
            var parser = PolicyParser(path: "policies[\(index)]", objects: objects)
            let policy = parser.policy(item)
            if let id = item["id"]?.stringValue, !ids.insert(id).inserted {
                parser.fail("id", "duplicate", "Another policy already has the id \(id).")
            }
            if let policy, parser.violations.isEmpty { policies.append(policy) }
            violations += parser.violations
        }
        var expectations: [Expectation] = []
        if let list = json["expectations"], !list.isNull {
            var ids: Set<String> = []
            for (index, item) in (list.arrayValue ?? []).enumerated() {
                var parser = PolicyParser(path: "expectations[\(index)]", objects: objects)
                let e = parser.expectation(item)
                if let id = item["id"]?.stringValue, !ids.insert(id).inserted { parser.fail("id", "duplicate", "Another expectation has the id \(id).") }
                if let e, parser.violations.isEmpty { expectations.append(e) }
                violations += parser.violations
            }
            if list.arrayValue == nil { violations.append(Violation(field: "expectations", code: "invalid_type", message: "expectations is a list.")) }
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return PolicySet(version: version, policies: policies, expectations: expectations)
    }

    public var json: JSONValue {
        ["version": JSONValue(version), "policies": .array(policies.map(\.json)), "expectations": .array(expectations.map(\.json))]
    }
}

extension Policy {
    public var json: JSONValue {
        [
            "id": .string(id), "description": .string(description), "effect": .string(effect.rawValue),
            "actions": operations.map { .array($0.map(\.rawValue).sorted().map(JSONValue.string)) } ?? "*",
            "objects": objects.map { .array($0.sorted().map(JSONValue.string)) } ?? "*",
            "when": when.json,
        ]
    }
}

extension Condition {
    public var json: JSONValue {
        switch self {
        case .constant(let b): ["const": .bool(b)]
        case .all(let cs): ["all": .array(cs.map(\.json))]
        case .any(let cs): ["any": .array(cs.map(\.json))]
        case .not(let c): ["not": c.json]
        case .compare(let a, let op, .attribute(let b)): ["attr": .string(a.description), "op": .string(op.rawValue), "ref": .string(b.description)]
        case .compare(let a, let op, .value(let v)): ["attr": .string(a.description), "op": .string(op.rawValue), "value": v]
        }
    }
}

/// Reads one policy, collecting violations with their JSON paths.
struct PolicyParser {
    let path: String
    /// The objects names are checked against; nil accepts any name.
    let objects: [ObjectDefinition]?
    var violations: [Violation] = []

    mutating func fail(_ at: String, _ code: String, _ message: String) {
        violations.append(Violation(field: at.isEmpty ? path : "\(path).\(at)", code: code, message: message))
    }

    mutating func policy(_ json: JSONValue) -> Policy? {
        guard let o = json.objectValue else {
            fail("", "invalid_type", "A policy is a JSON object.")
            return nil
        }
        for key in o.keys where !["id", "description", "effect", "actions", "objects", "when"].contains(key) {
            fail(key, "unknown_key", "A policy has no key \(key).")
        }
        let id = o["id"]?.stringValue ?? ""
        if id.isEmpty || id.count > 100 { fail("id", "required", "A policy needs an id of 1 to 100 characters.") }
        if let d = o["description"], d.stringValue == nil { fail("description", "invalid_type", "description is text.") }
        let effect = o["effect"]?.stringValue.flatMap(Policy.Effect.init(rawValue:))
        if effect == nil { fail("effect", "invalid_option", "effect is \"permit\" or \"forbid\".") }
        let actionNames = names(o["actions"], key: "actions", known: Set(Action.allCases.map(\.rawValue)))
        let objectNames = names(o["objects"], key: "objects", known: objects.map { Set($0.map(\.name)) })
        let covered = objects.map { all in (objectNames ?? nil).map { n in all.filter { n.contains($0.name) } } ?? all }
        let when = o["when"].map { condition($0, at: "when", objects: covered) } ?? .always
        guard let effect, let when, let actionNames, let objectNames else { return nil }
        return Policy(id: id, description: o["description"]?.stringValue ?? "", effect: effect,
                      operations: actionNames.map { Set($0.compactMap(Action.init(rawValue:))) },
                      objects: objectNames.map(Set.init), when: when)
    }

    /// `"*"` → nil (every); a list of known names → the names.
    mutating func names(_ json: JSONValue?, key: String, known: Set<String>?) -> [String]?? {
        if json?.stringValue == "*" { return .some(nil) }
        guard let list = json?.arrayValue, !list.isEmpty, list.allSatisfy({ $0.stringValue != nil }) else {
            fail(key, "required", "\(key) is \"*\" or a non-empty list of names.")
            return nil
        }
        let values = list.compactMap(\.stringValue)
        if let known {
            for v in values where !known.contains(v) { fail(key, "unknown_name", "\(v) is not one of \(known.sorted().joined(separator: ", ")).") }
        }
        return .some(values)
    }

    mutating func condition(_ json: JSONValue, at: String, objects: [ObjectDefinition]?) -> Condition? {
        guard let o = json.objectValue else {
            fail(at, "invalid_type", "A condition is a JSON object.")
            return nil
        }
        if let parts = o["all"] ?? o["any"], o.count == 1 {
            guard let list = parts.arrayValue else {
                fail(at, "invalid_type", "all/any take a list of conditions.")
                return nil
            }
            let key = o["all"] != nil ? "all" : "any"
            let cs = list.enumerated().compactMap { condition($1, at: "\(at).\(key)[\($0)]", objects: objects) }
            guard cs.count == list.count else { return nil }
            return key == "all" ? .all(cs) : .any(cs)
        }
        if let inner = o["not"], o.count == 1 {
            return condition(inner, at: "\(at).not", objects: objects).map(Condition.not)
        }
        if let b = o["const"]?.boolValue, o.count == 1 { return .constant(b) }
        return comparison(o, at: at, objects: objects)
    }

    mutating func comparison(_ o: [String: JSONValue], at: String, objects: [ObjectDefinition]?) -> Condition? {
        guard let attrText = o["attr"]?.stringValue, let opText = o["op"]?.stringValue, (o["value"] == nil) != (o["ref"] == nil),
              o.count == 3 else {
            fail(at, "invalid_condition", "A condition is {\"all\"|\"any\": [...]}, {\"not\": …} or {\"attr\", \"op\", \"value\"|\"ref\"}.")
            return nil
        }
        guard let op = Comparison(rawValue: opText) else {
            fail("\(at).op", "invalid_option", "op is one of \(Comparison.allCases.map(\.rawValue).joined(separator: ", ")).")
            return nil
        }
        guard let left = attribute(attrText, at: "\(at).attr", objects: objects) else { return nil }
        let right: Operand
        if let refText = o["ref"]?.stringValue {
            guard let r = attribute(refText, at: "\(at).ref", objects: objects) else { return nil }
            if left.scope == .record && r.scope == .record {
                fail("\(at).ref", "unsupported", "A record attribute is compared with a value or a user, context or field attribute.")
                return nil
            }
            right = .attribute(r)
        } else if o["ref"] != nil {
            fail("\(at).ref", "invalid_type", "ref names an attribute, e.g. \"user.id\".")
            return nil
        } else {
            right = .value(o["value"]!)
        }
        if case .value(let v) = right, op == .in, v.arrayValue == nil {
            fail("\(at).value", "invalid_type", "in compares with a list of values.")
            return nil
        }
        if case .attribute(let r) = right, r.scope == .record || r.name == "approval_granted", op.swapped == nil {
            fail("\(at).op", "unsupported", "\(op.rawValue) needs the record attribute on the left.")
            return nil
        }
        // An attribute on the right is checked with the comparison as seen from its side.
        for (a, seenAs) in [(left, op)] + (right.attribute.map { [($0, op.swapped ?? op)] } ?? []) {
            if let allowed = AccessAttributes.operators[a.description], !allowed.contains(seenAs) {
                fail(at, "unsupported", "\(a) is compared with \(allowed.map(\.rawValue).sorted().joined(separator: ", ")) only.")
                return nil
            }
        }
        return .compare(left, op, right)
    }

    mutating func attribute(_ text: String, at: String, objects: [ObjectDefinition]?) -> Attribute? {
        guard let a = Attribute(path: text), AccessAttributes.isKnown(a, objects: objects) else {
            fail(at, "unknown_attribute", "\(text) is not an attribute; use user.*, record.*, context.* or field.* (see the policy guide).")
            return nil
        }
        return a
    }
}

extension Operand {
    var attribute: Attribute? { if case .attribute(let a) = self { a } else { nil } }
}
