/// Automations as JSON:
/// `{"id","label","object","trigger":{"type":…},"condition":"<formula>","actions":[{"type":…}, …]}`.
/// Triggers: `created`, `updated`, `deleted`, `field_changed` (`field`, optional `from`/`to`), `stage_entered` (`stage`),
/// `after_date` (`field`, `days` working days, `hour`), `schedule` (`cron`). Actions: `set_fields` (`values`: field → formula),
/// `create_record` (`object`, `values`), `notify` (`to`: recipients, `message`: formula), `webhook` (`endpoint`),
/// `assign` (`field`, `users`, `strategy`), `start_approval` (`process`).
extension Automation {
    /// Parses and type-checks a definition against the objects that exist; every problem is reported at once, with its JSON path.
    public static func parse(_ json: JSONValue, objects: [ObjectDefinition]) throws(KeelError) -> Automation {
        var p = ConfigParser(objects: objects)
        let automation = p.automation(json)
        guard let automation, p.violations.isEmpty else { throw KeelError.validation(p.violations) }
        return automation
    }

    /// A stored version: checked when it was published; read as it was written.
    public static func parseStored(_ json: JSONValue) -> Automation? {
        var p = ConfigParser(objects: nil)
        return p.automation(json)
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = ["id": .string(id), "label": .string(label), "object": .string(object), "trigger": trigger.json,
                                      "actions": .array(actions.map(\.json))]
        if let condition { o["condition"] = .string(condition) }
        return .object(o)
    }
}

extension AutomationTrigger {
    public var json: JSONValue {
        switch self {
        case .created: ["type": "created"]
        case .updated: ["type": "updated"]
        case .deleted: ["type": "deleted"]
        case .fieldChanged(let field, let from, let to):
            .object(["type": "field_changed", "field": .string(field)].merging(["from": from, "to": to].compactMapValues { $0 }) { a, _ in a })
        case .stageEntered(let stage): ["type": "stage_entered", "stage": .string(stage)]
        case .afterDate(let field, let days, let hour): ["type": "after_date", "field": .string(field), "days": JSONValue(days), "hour": JSONValue(hour)]
        case .schedule(let cron): ["type": "schedule", "cron": .string(cron.text)]
        }
    }
}

extension AutomationAction {
    public var json: JSONValue {
        switch self {
        case .setFields(let values): ["type": "set_fields", "values": .object(values.mapValues(JSONValue.string))]
        case .createRecord(let object, let values): ["type": "create_record", "object": .string(object), "values": .object(values.mapValues(JSONValue.string))]
        case .notify(let to, let message): ["type": "notify", "to": .array(to.map { .string($0.text) }), "message": .string(message)]
        case .webhook(let endpoint): ["type": "webhook", "endpoint": .string(endpoint)]
        case .assign(let field, let users, let strategy):
            ["type": "assign", "field": .string(field), "users": .array(users.map(JSONValue.string)), "strategy": .string(strategy.rawValue)]
        case .startApproval(let process): ["type": "start_approval", "process": .string(process)]
        }
    }
}

/// Reads automations and approval processes, collecting every violation with its JSON path. With `objects` nil
/// (a stored version) nothing is checked against the metadata.
public struct ConfigParser {
    let objects: [ObjectDefinition]?
    var violations: [Violation] = []

    init(objects: [ObjectDefinition]?) {
        self.objects = objects
    }

    mutating func fail(_ at: String, _ code: String, _ message: String) {
        violations.append(Violation(field: at, code: code, message: message))
    }

    mutating func automation(_ json: JSONValue) -> Automation? {
        guard let o = keys(json, at: "", allowed: ["id", "label", "object", "trigger", "condition", "actions"]) else { return nil }
        let id = identifier(o["id"], at: "id")
        let object = self.object(o["object"], at: "object")
        let trigger = o["trigger"].flatMap { self.trigger($0, object: object) }
        if o["trigger"] == nil { fail("trigger", "required", "An automation needs a trigger.") }
        label(o["label"])
        let condition = formulaText(o["condition"], at: "condition")
        if let condition { check(condition, on: object, at: "condition", expecting: .boolean) }
        let list = o["actions"]?.arrayValue ?? []
        if list.isEmpty { fail("actions", "required", "An automation needs at least one action.") }
        let actions = list.enumerated().compactMap { action($1, at: "actions[\($0)]", object: object) }
        guard let id, let object, let trigger, actions.count == list.count else { return nil }
        return Automation(id: id, label: o["label"]?.stringValue ?? id, object: object.name, trigger: trigger, condition: condition, actions: actions)
    }

    static let triggerKeys: [String: Set<String>] = [
        "created": ["type"], "updated": ["type"], "deleted": ["type"], "field_changed": ["type", "field", "from", "to"],
        "stage_entered": ["type", "stage"], "after_date": ["type", "field", "days", "hour"], "schedule": ["type", "cron"],
    ]

    static let actionKeys: [String: Set<String>] = [
        "set_fields": ["type", "values"], "create_record": ["type", "object", "values"], "notify": ["type", "to", "message"],
        "webhook": ["type", "endpoint"], "assign": ["type", "field", "users", "strategy"], "start_approval": ["type", "process"],
    ]

    mutating func trigger(_ json: JSONValue, object: ObjectDefinition?) -> AutomationTrigger? {
        let type = json["type"]?.stringValue ?? ""
        guard keys(json, at: "trigger", allowed: Self.triggerKeys[type] ?? ["type"]) != nil else { return nil }
        let field = json["field"]?.stringValue ?? ""
        switch type {
        case "created": return .created
        case "updated": return .updated
        case "deleted": return .deleted
        case "field_changed":
            if objects != nil, self.field(field, of: object, at: "trigger.field") == nil { return nil }
            return .fieldChanged(field: field, from: json["from"], to: json["to"])
        case "stage_entered":
            let stage = json["stage"]?.stringValue ?? ""
            if objects != nil, let object {
                guard let options = object.field("stage")?.options else {
                    fail("trigger.type", "invalid_option", "\(object.name) has no stage field.")
                    return nil
                }
                guard options.contains(stage) else {
                    fail("trigger.stage", "invalid_option", "stage is one of \(options.joined(separator: ", ")).")
                    return nil
                }
            }
            return .stageEntered(stage)
        case "after_date":
            let days = json["days"]?.intValue ?? -1
            let hour = json["hour"].flatMap { $0.isNull ? nil : $0.intValue ?? -1 } ?? 9
            let f = self.field(field, of: object, at: "trigger.field")
            if let f, f.type != .date, f.type != .datetime { fail("trigger.field", "invalid_type", "\(field) is not a date.") }
            guard (0...365).contains(days), (0...23).contains(hour) else {
                fail("trigger.days", "out_of_range", "days is 0 to 365 working days; hour 0 to 23.")
                return nil
            }
            return f == nil && objects != nil ? nil : .afterDate(field: field, days: days, hour: hour)
        case "schedule":
            do {
                return .schedule(try CronSchedule(json["cron"]?.stringValue ?? ""))
            } catch {
                violations += error.violations.map { Violation(field: "trigger.cron", code: $0.code, message: $0.message) }
                return nil
            }
        default:
            fail("trigger.type", "invalid_option", "trigger.type is created, updated, deleted, field_changed, stage_entered, after_date or schedule.")
            return nil
        }
    }

    mutating func action(_ json: JSONValue, at: String, object: ObjectDefinition?) -> AutomationAction? {
        let type = json["type"]?.stringValue ?? ""
        guard keys(json, at: at, allowed: Self.actionKeys[type] ?? ["type"]) != nil else { return nil }
        switch type {
        case "set_fields":
            return values(json["values"], at: "\(at).values", target: object, source: object).map(AutomationAction.setFields)
        case "create_record":
            let target = self.object(json["object"], at: "\(at).object")
            guard let values = values(json["values"], at: "\(at).values", target: target, source: object), let name = json["object"]?.stringValue else { return nil }
            return .createRecord(object: name, values: values)
        case "notify":
            let list = json["to"]?.arrayValue ?? []
            let recipients = list.compactMap { $0.stringValue.flatMap(Recipient.init) }
            if list.isEmpty || recipients.count != list.count {
                fail("\(at).to", "invalid_option", "to lists recipients: owner, manager, user:<id>, role:<admin|manager|member>, channel:<endpoint>.")
            }
            let message = json["message"]?.stringValue ?? ""
            if message.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fail("\(at).message", "required", "A notification needs a message (a formula, e.g. \"\\\"Won: \\\" & name\").") }
            else { check(message, on: object, at: "\(at).message", expecting: nil) }
            return .notify(recipients: recipients, message: message)
        case "webhook":
            guard let endpoint = identifier(json["endpoint"], at: "\(at).endpoint") else { return nil }
            return .webhook(endpoint: endpoint)
        case "assign":
            let field = json["field"]?.stringValue ?? ""
            if let f = self.field(field, of: object, at: "\(at).field"), f.target != "users" {
                fail("\(at).field", "invalid_type", "\(field) does not point at a user.")
            }
            let list = json["users"]?.arrayValue ?? []
            let users = list.compactMap(\.stringValue)
            if users.isEmpty || users.count != list.count { fail("\(at).users", "required", "assign needs a list of user ids.") }
            let strategy = AssignmentStrategy(rawValue: json["strategy"]?.stringValue ?? "round_robin")
            if strategy == nil { fail("\(at).strategy", "invalid_option", "strategy is round_robin or least_loaded.") }
            return strategy.map { .assign(field: field, users: users, strategy: $0) }
        case "start_approval":
            return identifier(json["process"], at: "\(at).process").map(AutomationAction.startApproval)
        default:
            fail("\(at).type", "invalid_option", "An action's type is set_fields, create_record, notify, webhook, assign or start_approval.")
            return nil
        }
    }

    /// `{"field": "<formula>"}` for fields of `target` that can be written, each formula checked on `source` and its
    /// type against the field's.
    mutating func values(_ json: JSONValue?, at: String, target: ObjectDefinition?, source: ObjectDefinition?) -> [String: String]? {
        guard let o = json?.objectValue, !o.isEmpty else {
            fail(at, "required", "values maps field names to formulas.")
            return nil
        }
        var out: [String: String] = [:]
        for (name, value) in o.sorted(by: { $0.key < $1.key }) {
            guard let text = value.stringValue else {
                fail("\(at).\(name)", "invalid_type", "Each value is a formula in a string (text in double quotes: \"\\\"Call\\\"\").")
                continue
            }
            out[name] = text
            guard objects != nil, let target else { continue }
            guard let field = target.field(name), field.formula == nil else {
                fail("\(at).\(name)", "unknown_field", "\(target.name) has no writable field \(name).")
                continue
            }
            check(text, on: source, at: "\(at).\(name)", expecting: FormulaType(field))
        }
        return out
    }

    mutating func check(_ text: String, on object: ObjectDefinition?, at: String, expecting type: FormulaType?) {
        guard let objects, let object else { return }
        do {
            let formula = try Formula(text, schema: FormulaSchema(object: object, objects: objects))
            if let type, formula.type != type, formula.type != .null {
                fail(at, "invalid_type", "The formula gives \(formula.type.rawValue), but \(type.rawValue) is needed.")
            }
        } catch {
            fail(at, "invalid_formula", error.description)
        }
    }

    /// A label is text when it is given.
    mutating func label(_ json: JSONValue?) {
        if let json, json.stringValue == nil { fail("label", "invalid_type", "label is text.") }
    }

    /// A formula that may be left out (or null); when given it is text.
    mutating func formulaText(_ json: JSONValue?, at: String) -> String? {
        guard let json, !json.isNull else { return nil }
        guard let text = json.stringValue else {
            fail(at, "invalid_type", "\(at) is a formula in a string.")
            return nil
        }
        return text
    }

    mutating func keys(_ json: JSONValue, at: String, allowed: Set<String>) -> [String: JSONValue]? {
        guard let o = json.objectValue else {
            fail(at, "invalid_type", "Send a JSON object.")
            return nil
        }
        for key in o.keys.sorted() where !allowed.contains(key) { fail(at.isEmpty ? key : "\(at).\(key)", "unknown_key", "There is no key \(key).") }
        return o
    }

    /// Ids of automations, approval processes and webhook endpoints: 1 to 64 letters, digits, - or _.
    public static func isIdentifier(_ id: String) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    mutating func identifier(_ json: JSONValue?, at: String) -> String? {
        guard let id = json?.stringValue, Self.isIdentifier(id) else {
            fail(at, "required", "\(at) is 1 to 64 letters, digits, - or _.")
            return nil
        }
        return id
    }

    /// The object named; nil (with a violation) when it does not exist. A stored version accepts any name.
    mutating func object(_ json: JSONValue?, at: String) -> ObjectDefinition? {
        let name = json?.stringValue ?? ""
        guard let objects else { return ObjectDefinition(name: name, labels: Labels(zhCN: name, en: name), fields: [], isCustom: true, table: "") }
        guard let object = objects.first(where: { $0.name == name }) else {
            fail(at, "unknown_name", "\(name.isEmpty ? "object" : name) is not one of \(objects.map(\.name).joined(separator: ", ")).")
            return nil
        }
        return object
    }

    mutating func field(_ name: String, of object: ObjectDefinition?, at: String) -> FieldDefinition? {
        guard objects != nil, let object else { return nil }
        guard let field = object.queryableField(name) else {
            fail(at, "unknown_field", "\(object.name) has no field \(name.isEmpty ? "(empty)" : name).")
            return nil
        }
        return field
    }
}
