import KeelCore

/// How a stored value reads on a page.
public enum ValueDisplay {
    public static func text(_ value: JSONValue, _ field: FieldDefinition?, _ t: Strings) -> String {
        switch value {
        case .null: return "—"
        case .bool(let b): return b ? t["yes"] : t["no"]
        case .number(let n):
            if field?.type == .money { return n.formatted(.number.precision(.fractionLength(2))) }
            if field?.type == .percent { return (n.rounded() == n ? String(Int(n)) : String(n)) + "%" }
            return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return field?.type == .picklist ? t.option(s, of: field) : s
        case .array(let items): return items.map { $0.stringValue.map { t.option($0, of: field) } ?? text($0, nil, t) }.joined(separator: "、")
        case .object: return value.canonicalText()
        }
    }

    /// The value as an HTML form control holds it (no formatting, no dashes).
    public static func formValue(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
        case .string(let s): return s
        case .array, .object: return value.canonicalText()
        }
    }
}
