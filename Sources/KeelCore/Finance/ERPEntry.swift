import Foundation
import KeelMatching

/// One document the ERP keeps about a contract: a receivable (应收单, revenue booked), a receipt (收款单, money in) or a
/// cost (成本). Keel mirrors them from a connector or a CSV file and reconciles its contracts and payments with them.
public struct ERPEntry: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case receivable, receipt, cost
    }

    /// Which ERP (or file) it came from: `kingdee`, `yonbip`, `csv`.
    public var source: String
    public var kind: Kind
    /// The ERP's own document number; with the source and kind it names the entry (a later pull replaces it).
    public var document: String
    /// The CRM contract number the ERP document carries; nil when the ERP has none.
    public var contractNumber: String?
    /// The business day, YYYY-MM-DD.
    public var day: String
    /// The amount with tax (价税合计) and its tax, exact.
    public var amount: Decimal
    public var tax: Decimal
    /// ISO 4217, e.g. CNY.
    public var currency: String

    public init(source: String, kind: Kind, document: String, contractNumber: String?, day: String, amount: Decimal, tax: Decimal = 0,
                currency: String = "CNY") {
        (self.source, self.kind, self.document, self.contractNumber) = (source, kind, document, contractNumber)
        (self.day, self.amount, self.tax, self.currency) = (day, amount, tax, currency)
    }

    /// The amount without tax: the revenue a receivable books.
    public var net: Decimal { amount - tax }

    /// The month the entry falls in, YYYY-MM.
    public var period: String { String(day.prefix(7)) }

    /// A batch as an integrator sends it: `{"source"?, "entries": […]}`; the source names the ERP (`api` when left out).
    public static func parse(body: [String: JSONValue]) throws(KeelError) -> [ERPEntry] {
        if let unknown = body.keys.sorted().first(where: { !["source", "entries"].contains($0) }) {
            throw KeelError.validation([Violation(field: unknown, code: "unknown_field", message: "Send {\"source\"?, \"entries\": […]}.")])
        }
        let source = body["source"].map { $0.isNull ? "api" : $0.stringValue ?? "" } ?? "api"
        guard (1...30).contains(source.count), source.allSatisfy({ $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_" || $0 == "-") }) else {
            throw KeelError.validation([Violation(field: "source", code: "invalid_format", message: "The source is 1 to 30 of a-z, 0-9, _ and -.")])
        }
        return try parse(body["entries"], source: source)
    }

    /// Entries as an integrator sends them: `[{"kind", "document", "contract_number"?, "day", "amount", "tax"?, "currency"?}]`,
    /// amounts as exact decimals (numbers or text). All of them, or every problem (`entries[3].amount`).
    public static func parse(_ json: JSONValue?, source: String) throws(KeelError) -> [ERPEntry] {
        guard let items = json?.arrayValue, (1...maxBatch).contains(items.count) else {
            throw KeelError.validation([Violation(field: "entries", code: "invalid_type", message: "Entries are an array of 1 to \(maxBatch) documents.")])
        }
        let fields: Set<String> = ["kind", "document", "contract_number", "day", "amount", "tax", "currency"]
        var entries: [ERPEntry] = [], violations: [Violation] = []
        for (i, item) in items.enumerated() {
            var problems: [Violation] = []
            guard let o = item.objectValue else {
                violations.append(Violation(field: "entries[\(i)]", code: "invalid_type", message: "An entry is an object."))
                continue
            }
            for key in o.keys.sorted() where !fields.contains(key) {
                problems.append(Violation(field: key, code: "unknown_field", message: "An ERP entry has no field \(key)."))
            }
            let kind = o["kind"]?.stringValue.flatMap(Kind.init(rawValue:))
            if kind == nil { problems.append(Violation(field: "kind", code: "invalid_option", message: "The kind is receivable, receipt or cost.")) }
            func text(_ key: String) -> String? { o[key]?.stringValue }
            let amount = o["amount"].flatMap { Decimal(exactly: $0) }, tax = o["tax"].map { $0.isNull ? 0 : Decimal(exactly: $0) } ?? 0
            if amount == nil { problems.append(Violation(field: "amount", code: "invalid_amount", message: "The amount is an exact decimal.")) }
            if tax == nil { problems.append(Violation(field: "tax", code: "invalid_amount", message: "The tax is an exact decimal.")) }
            for key in ["document", "day"] where text(key) == nil {
                problems.append(Violation(field: key, code: "required", message: "\(key) is text and required."))
            }
            if let number = o["contract_number"], !number.isNull, number.stringValue == nil {
                problems.append(Violation(field: "contract_number", code: "invalid_type", message: "The contract number is text."))
            }
            let entry = ERPEntry(source: source, kind: kind ?? .receivable, document: text("document") ?? "x",
                                 contractNumber: text("contract_number"), day: text("day") ?? "2000-01-01",
                                 amount: amount ?? 0, tax: tax ?? 0, currency: o["currency"].map { $0.isNull ? "CNY" : $0.stringValue ?? "" } ?? "CNY")
            problems += entry.violations().filter { v in !problems.contains { $0.field == v.field } }
            violations += problems.map { Violation(field: "entries[\(i)].\($0.field)", code: $0.code, message: $0.message) }
            entries.append(entry)
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return entries
    }

    /// At most this many entries a call.
    public static let maxBatch = 1000

    /// Every problem with an entry as it arrives (from a file row or an ERP's answer), each naming its field.
    public func violations() -> [Violation] {
        var out: [Violation] = []
        func fail(_ field: String, _ code: String, _ message: String) { out.append(Violation(field: field, code: code, message: message)) }
        if document.trimmed != document || document.isEmpty || document.unicodeScalars.count > 100 || ValueFormats.controlCharacter(in: document, lines: false) != nil {
            fail("document", "invalid_format", "A document number is 1 to 100 characters of text, without spaces at either end.")
        }
        if let contractNumber, contractNumber.isEmpty || contractNumber.trimmed != contractNumber || contractNumber.unicodeScalars.count > 100
            || ValueFormats.controlCharacter(in: contractNumber, lines: false) != nil {
            fail("contract_number", "invalid_format", "A contract number is 1 to 100 characters of text, without spaces at either end (null: none).")
        }
        if !ValueFormats.isDate(day) { fail("day", "invalid_format", "The day is written YYYY-MM-DD.") }
        if amount.scale > 2 || abs(amount) >= 10_000_000_000_000 { fail("amount", "invalid_amount", "The amount is a number to the fen below ¥10 trillion.") }
        if tax.scale > 2 || abs(tax) > abs(amount) { fail("tax", "invalid_amount", "The tax is a number to the fen, at most the amount.") }
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) { fail("currency", "invalid_format", "The currency is a three-letter ISO 4217 code (CNY).") }
        return out
    }
}
