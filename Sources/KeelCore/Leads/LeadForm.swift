import Foundation

/// A public web form that creates leads without a login (`POST /api/v1/forms/{key}/submissions`): which of the
/// visitor's fields it takes into which lead fields, the sites allowed to post it (CORS), a honeypot field only bots
/// fill, and how many submissions one address may send per hour.
public struct LeadForm: Sendable, Equatable {
    public var id: String
    public var label: String
    /// The public key in the form's URL: random, unguessable, replaced by publishing with `rotateKey`.
    public var key: String
    /// Origins (`https://www.example.com`) whose pages may post the form from a browser; empty: only same-site pages
    /// and plain HTML posts without an Origin.
    public var origins: [String]
    /// Visitor field → lead field (`{"公司": "company"}`); a lead field named as itself needs no entry.
    public var fields: [String: String]
    /// Lead fields a submission must fill.
    public var required: [String]
    /// A field hidden from people: a submission that fills it is spam.
    public var honeypot: String
    public var perHour: Int
    /// The channel new leads carry (default `web_form`).
    public var channel: String

    public static let maxBody = 16 * 1024

    /// Lead fields a visitor may fill: not the owner, status, score or anything intake, routing or conversion decides.
    public static func visitorFields(of leads: ObjectDefinition) -> Set<String> {
        let decided: Set<String> = ["owner", "status", "score", "assigned_at", "assignment_reason", "disqualify_reason", "converted_account",
                                    "converted_contact", "converted_opportunity", "form", "channel", "pooled_at", "score_breakdown"]
        return Set(leads.fields.filter { $0.formula == nil && !decided.contains($0.name) }.map(\.name))
    }
    /// Context fields the snippet sends besides the visitor's own.
    public static let contextFields = ["utm_source", "utm_medium", "utm_campaign", "utm_term", "utm_content", "referrer", "landing_page", "time_on_page"]

    public init(id: String, label: String, key: String, origins: [String] = [], fields: [String: String] = [:], required: [String] = ["name"],
                honeypot: String = "website_url", perHour: Int = 20, channel: String = "web_form") {
        (self.id, self.label, self.key, self.origins, self.fields, self.required) = (id, label, key, origins, fields, required)
        (self.honeypot, self.perHour, self.channel) = (honeypot, perHour, channel)
    }

    /// Reads a form definition, every problem with its path. `leadFields` are the fields a visitor may fill (not
    /// owner, status, score… which intake decides); `channels` the channel options.
    public static func parse(_ json: JSONValue, key: String, leadFields: Set<String>, channels: [String]) throws(KeelError) -> LeadForm {
        guard let object = json.objectValue else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"id\", \"label\", \"origins\", \"fields\", \"required\", \"honeypot\", \"perHour\", \"channel\"}.")
        }
        var violations = object.wrongTypes(["id": "string", "label": "string", "origins": "array", "fields": "object", "required": "array",
                                            "honeypot": "string", "channel": "string", "rotateKey": "boolean", "key": "string"])
        for key in object.keys.sorted() where !["id", "label", "origins", "fields", "required", "honeypot", "perHour", "channel", "key", "rotateKey"].contains(key) {
            violations.append(Violation(field: key, code: "unknown_key", message: "\(key) is not part of a form."))
        }
        let id = object["id"]?.stringValue ?? ""
        if id.range(of: #"^[a-z][a-z0-9_-]{0,63}$"#, options: .regularExpression) == nil {
            violations.append(Violation(field: "id", code: "invalid_name", message: "id starts with a lowercase letter; a-z, 0-9, _ and -; at most 64 characters."))
        }
        var form = LeadForm(id: id, label: object["label"]?.stringValue ?? id, key: key)
        if form.label.count > 100 { violations.append(Violation(field: "label", code: "too_long", message: "A label has at most 100 characters.")) }
        for (i, origin) in (object["origins"]?.arrayValue ?? []).enumerated() {
            guard let text = origin.stringValue, let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                  url.path.isEmpty, url.query == nil else {
                violations.append(Violation(field: "origins[\(i)]", code: "invalid_format", message: "An origin is scheme://host[:port], e.g. https://www.example.com."))
                continue
            }
            form.origins.append(text.lowercased())
        }
        for (visitor, target) in (object["fields"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let name = target.stringValue, leadFields.contains(name) else {
                violations.append(Violation(field: "fields.\(visitor)", code: "unknown_field", message: "\(target.stringValue ?? target.typeName) is not a lead field a form may fill."))
                continue
            }
            form.fields[visitor] = name
        }
        if let required = object["required"]?.arrayValue {
            form.required = []
            for (i, name) in required.enumerated() {
                guard let field = name.stringValue, leadFields.contains(field) else {
                    violations.append(Violation(field: "required[\(i)]", code: "unknown_field", message: "\(name.stringValue ?? name.typeName) is not a lead field a form may fill."))
                    continue
                }
                form.required.append(field)
            }
        }
        if let honeypot = object["honeypot"]?.stringValue {
            if honeypot.isEmpty || leadFields.contains(honeypot) || form.fields[honeypot] != nil {
                violations.append(Violation(field: "honeypot", code: "invalid_name", message: "The honeypot is a field name no person fills: not a lead field."))
            }
            form.honeypot = honeypot
        }
        if let perHour = object["perHour"], !perHour.isNull {
            if let n = perHour.intValue, (1...10_000).contains(n) { form.perHour = n } else {
                violations.append(Violation(field: "perHour", code: "out_of_range", message: "perHour is a whole number from 1 to 10000."))
            }
        }
        if let channel = object["channel"]?.stringValue {
            if channels.contains(channel) { form.channel = channel } else {
                violations.append(Violation(field: "channel", code: "invalid_option", message: "channel is one of \(channels.joined(separator: ", ")).", args: []))
            }
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return form
    }

    public var json: JSONValue {
        ["id": .string(id), "label": .string(label), "key": .string(key), "origins": .array(origins.map(JSONValue.string)),
         "fields": .object(fields.mapValues(JSONValue.string)), "required": .array(required.map(JSONValue.string)), "honeypot": .string(honeypot),
         "perHour": JSONValue(perHour), "channel": .string(channel)]
    }

    /// The lead a submission asks for: the visitor's fields mapped (unknown ones left out), the context the snippet
    /// sent, and the channel; or every problem (a required field left empty, the honeypot filled).
    public func lead(from submitted: [String: String], leadFields: Set<String>) -> Result<[String: JSONValue], KeelError> {
        if let trap = submitted[honeypot], !trap.isEmpty {
            return .failure(KeelError(.unprocessable, code: "spam", message: "The submission was refused."))
        }
        var values: [String: JSONValue] = [:]
        for (name, raw) in submitted {
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !text.isEmpty else { continue }
            let target = fields[name] ?? name
            guard leadFields.contains(target) || Self.contextFields.contains(target) else { continue }
            values[target] = target == "time_on_page" ? Double(text).map { JSONValue(max(0, $0.rounded())) } ?? nil : .string(text)
        }
        values["channel"] = .string(channel)
        let missing = required.filter { values[$0] == nil }
        guard missing.isEmpty else {
            return .failure(KeelError.validation(missing.map { Violation(field: $0, code: "required", message: "\($0) is required.") }))
        }
        return .success(values)
    }
}
