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

    /// Every problem with an entry as it arrives (from a file row or an ERP's answer), each naming its field.
    public func violations() -> [Violation] {
        var out: [Violation] = []
        func fail(_ field: String, _ code: String, _ message: String) { out.append(Violation(field: field, code: code, message: message)) }
        if document.trimmed.isEmpty || document.count > 100 { fail("document", "required", "A document number of at most 100 characters is required.") }
        if let contractNumber, contractNumber.count > 100 { fail("contract_number", "too_long", "A contract number has at most 100 characters.") }
        if !ValueFormats.isDate(day) { fail("day", "invalid_format", "The day is written YYYY-MM-DD.") }
        if amount.scale > 2 || abs(amount) >= 10_000_000_000_000 { fail("amount", "invalid_amount", "The amount is a number to the fen below ¥10 trillion.") }
        if tax.scale > 2 || abs(tax) > abs(amount) { fail("tax", "invalid_amount", "The tax is a number to the fen, at most the amount.") }
        if currency.count != 3 || !currency.allSatisfy({ $0.isASCII && $0.isUppercase }) { fail("currency", "invalid_format", "The currency is a three-letter ISO 4217 code (CNY).") }
        return out
    }
}
