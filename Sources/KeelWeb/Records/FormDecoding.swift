import Foundation
import KeelCore

/// Turns `application/x-www-form-urlencoded` pairs into the JSON values the record service expects.
/// Values that do not convert are passed on as text so that validation names the problem next to the field.
public enum FormDecoding {
    /// With `editing`, an empty control clears its field; otherwise (a new record) it is left out so that
    /// defaults apply (owner, stage, currency…). Date-times are read as people type them, in `zone` (`LocalDateTime`).
    public static func values(_ pairs: [(String, String)], object: ObjectDefinition, editing: Bool,
                              zone: TimeZone = ValueFormats.organisationTimeZone(), now: Date = Date()) -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for field in object.fields {
            let sent = pairs.filter { $0.0 == field.name }.map(\.1)
            if field.type == .multiPicklist {
                // Unchecked boxes send nothing; the form's `_multi` marker says the field was on it.
                if !sent.isEmpty {
                    out[field.name] = .array(sent.map(JSONValue.string))
                } else if editing, pairs.contains(where: { $0.0 == "_multi" && $0.1 == field.name }) {
                    out[field.name] = .null
                }
                continue
            }
            guard let raw = sent.last else { continue }
            let text = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if text.isEmpty {
                if editing { out[field.name] = .null }
                continue
            }
            switch field.type.storage {
            case .number: out[field.name] = Decimal(numberText: text).map(JSONValue.number) ?? .string(text)
            case .boolean: out[field.name] = text == "true" ? .bool(true) : text == "false" ? .bool(false) : .string(text)
            case _ where field.type == .datetime:
                out[field.name] = .string(LocalDateTime.parse(text, in: zone, now: now).map(ValueFormats.formatDateTime) ?? text)
            default: out[field.name] = .string(field.type == .longText ? raw : text)
            }
        }
        return out
    }
}
