import KeelCore
import KeelEngine

/// The schemas of automations and approval processes, one variant per object so that field names, stages and date
/// fields are the object's own. What JSON Schema cannot check — that a formula parses over the object's fields and
/// gives the type its place needs — is an `x-keel-check` with examples that pass it.
extension OpenAPIDocument {
    /// Ids of automations, approval processes and webhook endpoints.
    static let identifier: JSONValue = ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$"]

    /// The id of an existing webhook endpoint or approval process.
    static func existing(_ kind: String) -> JSONValue {
        ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "x-keel-reference": .string(kind)]
    }

    /// A formula over the object's fields; `examples` hold formulas that pass on every object.
    static func formula(_ gives: String, examples: [String], optional: Bool = false) -> JSONValue {
        ["type": optional ? ["string", "null"] : "string", "pattern": #"\S"#,
         "x-keel-check": .string("A formula over the object's fields that gives \(gives); one that does not parse or gives another type is a 422"),
         "examples": .array(examples.map(JSONValue.string))]
    }

    /// A condition that may be left out (or null: always).
    static let condition = formula("true or false", examples: ["TRUE", "FALSE"], optional: true)

    /// `{"field": "<formula>"}` over the writable fields of `object`.
    static func values(_ object: ObjectDefinition, emptyAllowed: Bool) -> JSONValue {
        let writable = object.fields.filter { $0.formula == nil }.map { JSONValue.string($0.name) }
        return ["type": "object", "minProperties": emptyAllowed ? 0 : 1, "propertyNames": ["enum": .array(writable)],
                "additionalProperties": formula("a value of the field's type (NULL empties it)", examples: ["NULL"])]
    }

    static func variant(_ properties: [String: JSONValue], required: [String]) -> JSONValue {
        ["type": "object", "additionalProperties": false, "properties": .object(properties), "required": .array(required.map(JSONValue.string))]
    }

    static func automationSchema(_ catalog: Catalog) -> JSONValue {
        let recipients: JSONValue = ["type": "string", "pattern": "^(owner|manager|(user|channel):[\\s\\S]+|role:(admin|manager|member))$",
                                     "x-keel-check": "channel: an existing webhook endpoint's id", "examples": ["owner", "manager", "role:manager"]]
        return ["oneOf": .array(catalog.objects.map { object in
            let fields = (ObjectDefinition.systemFieldDefinitions + object.fields).map { JSONValue.string($0.name) }
            let dates = (ObjectDefinition.systemFieldDefinitions + object.fields).filter { $0.type == .date || $0.type == .datetime }.map { JSONValue.string($0.name) }
            var triggers: [JSONValue] = ["created", "updated", "deleted"].map { variant(["type": ["const": .string($0)]], required: ["type"]) }
            triggers.append(variant(["type": ["const": "field_changed"], "field": ["enum": .array(fields)], "from": [:], "to": [:]], required: ["type", "field"]))
            if let stages = object.field("stage")?.options {
                triggers.append(variant(["type": ["const": "stage_entered"], "stage": ["enum": .array(stages.map(JSONValue.string))]], required: ["type", "stage"]))
            }
            if !dates.isEmpty {
                triggers.append(variant(["type": ["const": "after_date"], "field": ["enum": .array(dates)],
                                         "days": ["type": "integer", "minimum": 0, "maximum": 365],
                                         "hour": ["type": ["integer", "null"], "minimum": 0, "maximum": 23]], required: ["type", "field", "days"]))
            }
            triggers.append(variant(["type": ["const": "schedule"],
                                     "cron": ["type": "string", "x-keel-check": "minute hour day month weekday, each a number, range, list, step or *",
                                              "examples": ["0 9 * * 1-5", "30 8 1 * *"]]], required: ["type", "cron"]))
            let userFields = object.fields.filter { $0.target == "users" && $0.formula == nil }.map { JSONValue.string($0.name) }
            var actions: [JSONValue] = [
                variant(["type": ["const": "set_fields"], "values": values(object, emptyAllowed: false)], required: ["type", "values"]),
                variant(["type": ["const": "notify"], "to": ["type": "array", "minItems": 1, "items": recipients],
                         "message": formula("the text of the notification", examples: ["\"Keel\"", "\"新商机\""])], required: ["type", "to", "message"]),
                variant(["type": ["const": "webhook"], "endpoint": existing("webhooks")], required: ["type", "endpoint"]),
                variant(["type": ["const": "start_approval"], "process": existing("approval-processes")], required: ["type", "process"]),
            ]
            actions += catalog.objects.map { target in
                variant(["type": ["const": "create_record"], "object": ["const": .string(target.name)], "values": values(target, emptyAllowed: false)],
                        required: ["type", "object", "values"])
            }
            if !userFields.isEmpty {
                actions.append(variant(["type": ["const": "assign"], "field": ["enum": .array(userFields)],
                                        "users": ["type": "array", "minItems": 1, "items": ["type": "string"]],
                                        "strategy": ["enum": .array(AssignmentStrategy.allCases.map { .string($0.rawValue) })]],
                                       required: ["type", "field", "users"]))
            }
            return variant([
                "id": identifier, "label": ["type": "string"], "object": ["const": .string(object.name)],
                "trigger": ["oneOf": .array(triggers)], "condition": condition,
                "actions": ["type": "array", "minItems": 1, "items": ["oneOf": .array(actions)]],
            ], required: ["id", "object", "trigger", "actions"])
        })]
    }

    static func approvalProcessSchema(_ catalog: Catalog) -> JSONValue {
        let approver: JSONValue = ["type": "string", "pattern": "^(manager|(user|department):[\\s\\S]+|role:(admin|manager|member))$"]
        return ["oneOf": .array(catalog.objects.map { object in
            variant([
                "id": identifier, "label": ["type": "string"], "object": ["const": .string(object.name)], "entry": condition,
                "steps": ["type": "array", "minItems": 1, "maxItems": 10, "items": variant(
                    ["name": ["type": "string", "pattern": #"\S"#], "approver": approver, "when": condition], required: ["name", "approver"])],
                "on_approve": values(object, emptyAllowed: true), "on_reject": values(object, emptyAllowed: true),
            ], required: ["id", "object", "steps"])
        })]
    }
}
