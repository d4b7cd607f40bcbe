import KeelCore
import KeelMatching

/// The schemas of records: what a record reads as, and what a write may send — the record validator's rules as far as
/// JSON Schema can state them, and `x-keel-*` notes for what it cannot (a reference must name an existing record).
extension OpenAPIDocument {
    /// A record id.
    static let idSchema: JSONValue = ["type": "string", "format": "uuid", "pattern": .string(uuid)]
    static let uuid = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"

    /// The id of an existing record of `target` (`*`: of any object); another id is a 422 reference_not_found.
    static func reference(_ target: String, optional: Bool = false) -> JSONValue {
        ["type": optional ? ["string", "null"] : "string", "format": "uuid", "pattern": .string(uuid), "x-keel-reference": .string(target),
         "description": .string("The id of an existing \(target == StandardObjects.anyObject ? "record of any object" : target) record; another id is a 422 reference_not_found")]
    }

    /// `If-Match: 3` (or `"3"`, `W/"3"`): the version a change is based on.
    static let ifMatch: JSONValue = ["name": "If-Match", "in": "header", "description": "The version the change is based on; another is a 409",
                                     "schema": ["type": "string", "pattern": #"^[ \t]*(W/)?("[1-9][0-9]{0,8}"|[1-9][0-9]{0,8})[ \t]*$"#]]

    /// Text without control characters (long text may hold tabs and line breaks).
    static let plainText = #"^[^\u0000-\u001F\u007F-\u009F]*$"#
    static let longText = #"^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]*$"#
    /// Long text with something besides white space.
    static let filledLongText = #"^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$"#
    /// Plain text that neither starts nor ends with white space (a name, an option).
    static let trimmedText = #"^[^\s\u0000-\u001F\u007F-\u009F]([^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F])?$"#
    /// Plain text with something besides white space (a required field: blank is left out).
    /// (No lookahead in these patterns: clients' generators cannot build strings for one.)
    static let filledText = #"^[^\u0000-\u001F\u007F-\u009F]*[^\s\u0000-\u001F\u007F-\u009F][^\u0000-\u001F\u007F-\u009F]*$"#
    /// A phone as people write it: 5 to 20 digits with `+ - ( ) . space`, nothing but spaces before the first `+`, then
    /// an optional extension after `ext`, `#` or `转`.
    static let phone = #"^(?: *\+[+(). \-]*(?:[0-9][+(). \-]*){5,20}|[(). \-]*(?:[0-9][(). \-]*){5,20})(?:(?:[Ee][Xx][Tt]|#|转)[^\u0000-\u001F\u007F-\u009F]*)?$"#
    /// An http(s) address with a dotted host; `https://` is added when it is left out.
    static let webAddress = #"^([Hh][Tt][Tt][Pp][Ss]?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]{1,5})?([/?#]([A-Za-z0-9._~:/?#@!$&'()*+,;=-]|%[0-9A-Fa-f]{2})*)?$"#
    /// A day, YYYY-MM-DD (days 29–31 are valid too; the pattern keeps to days every month has).
    static let day = #"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$"#
    /// RFC 3339 with a zone, milliseconds optional (days 29–31 are valid too; the pattern keeps to days every month has).
    static let dateTime = #"^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]{3})?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$"#
    /// Long text of one e-mail address a line (其他邮箱), and of one phone number a line (其他电话).
    static let emailLines = listOf(#"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,30}(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]{1,30})?@[A-Za-z0-9][A-Za-z0-9-]{0,30}(\.[A-Za-z0-9-]{1,30}){1,3}"#)
    static let phoneLines = listOf(#"\+?[0-9]{3,6}([ -]?[0-9]{2,4}){1,3}"#)
    static func listOf(_ item: String) -> String { #"^[ \t\r\n]*("# + item + #"([ \t]*[\r\n]+[ \t\r\n]*"# + item + #")*)?[ \t\r\n]*$"# }

    /// Nothing but white space (Unicode's White_Space, which the record layer trims).
    static let blank = #"^[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]*$"#

    /// An amount as decimal text: up to 13 digits, at most two after the point.
    static let moneyText = #"^-?[0-9]{1,13}(\.[0-9]{1,2})?$"#
    /// A share from 0 to 1 as decimal text, at most four decimals.
    static let fractionText = #"^(0(\.[0-9]{1,4})?|1(\.0{1,4})?)$"#

    /// A field's value as a record reads: its type, nothing more (stored data is shown as it is).
    static func valueSchema(_ field: FieldDefinition) -> [String: JSONValue] {
        var s: [String: JSONValue]
        switch field.type {
        case .number, .money, .percent: s = ["type": ["number", "null"]]
        case .boolean: s = ["type": ["boolean", "null"]]
        case .multiPicklist: s = ["type": ["array", "null"], "items": ["type": "string"]]
        default: s = ["type": ["string", "null"]]
        }
        s["title"] = .string(field.labels.en)
        s["description"] = .string("\(field.labels.zhCN) / \(field.labels.en) (\(field.type.rawValue)\(field.isCustom ? ", custom" : ""))")
        return s
    }

    /// A field's value as a write may send it. A required field may be left out of a change but not emptied.
    static func writeSchema(_ field: FieldDefinition) -> [String: JSONValue] {
        var s = valueSchema(field)
        let required = field.required
        let types: (String) -> JSONValue = { required ? .string($0) : [.string($0), "null"] }
        switch field.type {
        case .number, .money, .percent:
            s["type"] = types("number")
            (s["exclusiveMinimum"], s["exclusiveMaximum"]) = (-1e15, 1e15)
            if field.type == .money {
                // An exact amount: a JSON number to the fen, or the same as decimal text ("33.33").
                s["type"] = required ? ["number", "string"] : ["number", "string", "null"]
                (s["exclusiveMinimum"], s["exclusiveMaximum"], s["multipleOf"]) = (-1e13, 1e13, 0.01)
                s["pattern"] = .string(moneyText)
            }
            if let maximum = field.maximum {
                s["maximum"] = JSONValue(maximum)
                // As decimal text, fewer digits than the maximum has: every such text is below it.
                if field.type == .money { s["pattern"] = .string(#"^-?[0-9]{1,"# + String(String(Int(maximum)).count - 1) + #"}(\.[0-9]{1,2})?$"#) }
            }
            if field.validator == .taxRate {
                s["type"] = required ? ["number", "string"] : ["number", "string", "null"]
                s["enum"] = .array(TaxRate.allowed.flatMap { [$0.json, .string("\($0)")] } + (required ? [] : [.null]))
            }
            if field.validator == .fraction {
                s["type"] = required ? ["number", "string"] : ["number", "string", "null"]
                (s["minimum"], s["maximum"], s["exclusiveMinimum"], s["exclusiveMaximum"], s["pattern"]) = (0, 1, nil, nil, .string(fractionText))
            }
        case .boolean: s["type"] = types("boolean")
        case .date: (s["type"], s["format"]) = (types("string"), "date")
        case .datetime: (s["type"], s["pattern"]) = (types("string"), .string(dateTime))
        case .email: (s["type"], s["format"]) = (types("string"), "email")
        case .url: (s["type"], s["pattern"]) = (types("string"), .string(webAddress))
        case .phone: (s["type"], s["pattern"]) = (types("string"), .string(phone))
        case .reference:
            s.merge(reference(field.target ?? "", optional: !required).objectValue ?? [:]) { _, new in new }
        // An empty text clears an optional field as null does (a form sends one).
        case .picklist: s["enum"] = .array((field.options ?? []).map(JSONValue.string) + (required ? [] : [.null, ""]))
        case .multiPicklist: s["items"] = ["type": "string", "enum": .array((field.options ?? []).map(JSONValue.string))]
        case .longText: (s["type"], s["pattern"]) = (types("string"), .string(required ? filledText : longText))
        case .text: (s["type"], s["pattern"]) = (types("string"), .string(required ? filledText : plainText))
        }
        // An empty (or blank) text clears an optional field as null does, whatever format a filled one has.
        if !required, [.date, .datetime, .email, .url, .phone].contains(field.type) {
            if let pattern = s["pattern"]?.stringValue { s["pattern"] = .string(blank + "|" + pattern) }
            if let format = s.removeValue(forKey: "format") { s["anyOf"] = [["format": format], ["pattern": .string(blank)]] }
        }
        if required, field.type.storage == .text, field.type != .picklist { s["minLength"] = 1 }
        if let max = field.maxLength, field.type.storage == .text, field.type != .picklist { s["maxLength"] = JSONValue(max) }
        if field.unique { s["x-keel-unique"] = true }
        if field.validator == .emailList { s["pattern"] = .string(emailLines) }
        if field.validator == .phoneList { s["pattern"] = .string(phoneLines) }
        if field.type == .phone || field.validator == .phoneList {
            s["x-keel-check"] = "China's numbering plan: mobile segments in use with 11 digits, area codes in use with the local length behind each, 400/800/95xxx; other countries as + and 8–15 digits; another is a 422 invalid_phone"
            s["examples"] = field.validator == .phoneList ? ["13812345678\n0755-86013388", "021 64668971"]
                : ["13812345678", "0755-86013388转8888", "(021)6587-8888#123", "+1 415 555 2671", "0571-95588"]
        }
        if field.validator == .creditCode {
            s["pattern"] = "^([0-9A-HJ-NPQRTUWXYa-hj-npqrtuwxy]{18})?$"
            s["x-keel-check"] = "GB 32100-2015 check character: the 18th character follows from the first 17; another is a 422 invalid_check_digit"
            s["examples"] = .array(["91440300MA5F00000", "91310000MA1K00001"].map { .string($0 + String(CreditCode.checkCharacter(for: $0)!)) })
        }
        return s
    }

    static func recordSchema(_ object: ObjectDefinition) -> JSONValue {
        var props: [String: JSONValue] = [:]
        for field in ObjectDefinition.systemFieldDefinitions + object.fields { props[field.name] = .object(valueSchema(field)) }
        props["id"] = idSchema
        props["version"] = ["type": "integer"]
        return ["type": "object", "required": ["id", "version"], "properties": .object(props)]
    }

    /// What a create (`creating`) or a change may send: writable fields only; a create must carry every required field
    /// that has no default.
    static func inputSchema(_ object: ObjectDefinition, creating: Bool) -> JSONValue {
        let priced = StandardObjects.kept(object.name)
        let writable = object.fields.filter { $0.formula == nil && !priced.contains($0.name) }
        var props: [String: JSONValue] = [:]
        for field in writable { props[field.name] = .object(writeSchema(field)) }
        // A pipeline's stage moves only where its gates and rules allow; the reason of a move travels with it.
        if let pipelines = PipelineSet.standard(for: object.name), var stage = props[pipelines.field]?.objectValue {
            let free = pipelines.pipelines[0].stages.filter { $0.outcome == .lost || (creating && $0.outcome == .open && $0.gate.isEmpty) }.map(\.name)
            stage["x-keel-check"] = .string("a stage the record may enter under its pipeline (GET /api/v1/metadata/objects/\(object.name)/pipeline): entering a stage needs what its gate and the gates before it ask, a deal may not skip forward where the pipeline forbids it, and a move back needs stage_reason; a refused move is a 422 stage_gate listing every unmet condition")
            stage["examples"] = .array(free.prefix(creating ? 3 : 1).map(JSONValue.string))
            props[pipelines.field] = .object(stage)
            props[StageMove.reasonKey] = ["type": ["string", "null"], "maxLength": JSONValue(StageMove.maxReason), "description": "Why the stage moves (a move back needs one); kept in the stage history"]
        }
        // A required group's fields, needed while a field holds certain values (an activity's type): JSON Schema cannot say
        // it, since the field may be the stored record's. Every violation is a 422 naming the field.
        for group in object.requiredGroups {
            for name in group.fields {
                guard var field = props[name]?.objectValue else { continue }
                field["x-keel-required-when"] = group.condition.map { ["field": .string($0.field), "in": .array($0.values.map(JSONValue.string))] } ?? [:]
                props[name] = .object(field)
            }
        }
        let required = creating ? writable.filter { $0.required && $0.defaultValue == nil }.map { JSONValue.string($0.name) } : []
        return ["type": "object", "additionalProperties": false, "properties": .object(props), "required": .array(required)]
    }
}
