import Foundation
import KeelCore

/// How a stored value reads on a page.
public enum ValueDisplay {
    /// `currency`: the ISO code of a money value's currency (the record's `currency`), CNY when not known.
    public static func text(_ value: JSONValue, _ field: FieldDefinition?, _ t: Strings, currency: String? = nil) -> String {
        switch value {
        case .null: return "—"
        case .bool(let b): return b ? t["yes"] : t["no"]
        case .number(let n):
            if field?.type == .money { return money(n, currency: currency) }
            if field?.type == .percent { return "\(n)%" }
            // A rate or a share kept as a fraction (0.13) reads as a percentage (13%).
            if field?.validator == .taxRate || field?.validator == .fraction { return "\(n * 100)%" }
            // Up to six decimals: a computed value (1/3) does not fill the page.
            return "\(n.rounded(6, .halfUp))"
        case .string(let s) where field?.type == .datetime: return t.time(s)
        case .string(let s) where field?.name == ScoreCard.breakdownField: return ScoreCard.describe(s, language: t.language.rawValue) ?? s
        case .string(let s) where field?.name == "plan_breaches" && field?.isCustom == false: return PaymentPlanCard.breaches(s, t).joined(separator: t["list_separator"])
        case .string(let s): return field?.type == .picklist ? t.option(s, of: field) : s
        case .array(let items): return items.map { $0.stringValue.map { t.option($0, of: field) } ?? text($0, nil, t) }.joined(separator: "、")
        case .object: return value.canonicalText()
        }
    }

    /// A field of a record as its reader may see it: masked fields say so instead of showing a value.
    public static func text(of record: Record, _ field: FieldDefinition, _ t: Strings) -> String {
        record.masked.contains(field.name) ? t["masked"] : text(record.value(field.name), field, t, currency: record.value("currency").stringValue)
    }

    /// An amount as people write it: `¥1,924,000.00`, `US$12.50`, `-¥3.00`; a currency without a sign of its own by
    /// its code (`CHF 80.00`).
    public static func money(_ amount: Decimal, currency: String?) -> String {
        let code = (currency ?? "").uppercased()
        let sign = ["", "CNY", "RMB"].contains(code) ? "¥" : Self.currencySigns[code] ?? code + " "
        return (amount < 0 ? "-" : "") + sign + abs(amount).grouped(places: 2)
    }

    static let currencySigns = ["USD": "US$", "EUR": "€", "HKD": "HK$", "GBP": "£", "JPY": "JP¥", "TWD": "NT$", "SGD": "S$", "AUD": "A$", "CAD": "C$"]

    /// A history entry's old and new values, or "masked" twice.
    public static func change(_ entry: HistoryEntry, _ field: FieldDefinition?, _ t: Strings) -> (old: String, new: String) {
        entry.masked ? (t["masked"], t["masked"]) : (text(entry.oldValue, field, t), text(entry.newValue, field, t))
    }

    /// The value as an HTML form control holds it (no formatting, no dashes).
    public static func formValue(_ value: JSONValue) -> String {
        switch value {
        case .null: return ""
        case .bool(let b): return b ? "true" : "false"
        case .number(let n): return n.description
        case .string(let s): return s
        case .array, .object: return value.canonicalText()
        }
    }
}
