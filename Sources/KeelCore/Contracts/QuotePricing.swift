import Foundation

/// A quote's or contract's amounts from its lines: each line's amount without tax, its tax and its amount with tax,
/// and the totals, which are always the sums of the lines' amounts, to the fen, under either rounding level.
public enum QuotePricing {
    /// What a line is priced from.
    public struct Line: Hashable, Sendable {
        public var unitPrice: Decimal
        public var quantity: Decimal
        /// A fraction of the price taken off: 0.1 for 10 %.
        public var discount: Decimal
        public var taxRate: Decimal
        /// Whether the unit price includes the tax (含税价).
        public var taxIncluded: Bool

        public init(unitPrice: Decimal, quantity: Decimal, discount: Decimal = 0, taxRate: Decimal, taxIncluded: Bool) {
            (self.unitPrice, self.quantity, self.discount, self.taxRate, self.taxIncluded) = (unitPrice, quantity, discount, taxRate, taxIncluded)
        }

        /// What the customer pays for the line before any rounding: with tax when the price includes it, else without.
        var gross: Decimal { unitPrice * quantity * (1 - discount) }
        /// The line's amount without tax and its tax, unrounded.
        var exact: (excl: Decimal, tax: Decimal) {
            if taxIncluded {
                let excl = gross / (1 + taxRate)
                return (excl, gross - excl)
            }
            return (gross, gross * taxRate)
        }
    }

    /// A line's amounts, or a document's, to the fen.
    public struct Amounts: Hashable, Sendable {
        public var excl: Decimal
        public var tax: Decimal
        public var incl: Decimal { excl + tax }

        public init(excl: Decimal, tax: Decimal) { (self.excl, self.tax) = (excl, tax) }
        public static let zero = Amounts(excl: 0, tax: 0)
    }

    /// One tax rate's tax on a document (an invoice states the tax per rate).
    public struct RateTax: Hashable, Sendable {
        public var rate: Decimal
        public var tax: Decimal

        public init(rate: Decimal, tax: Decimal) { (self.rate, self.tax) = (rate, tax) }

        /// The lines' taxes added up per rate, highest rate first.
        public static func sums(_ lines: [(rate: Decimal, tax: Decimal)]) -> [RateTax] {
            Dictionary(grouping: lines, by: \.rate).map { RateTax(rate: $0.key, tax: $0.value.reduce(0) { $0 + $1.tax }) }.sorted { $0.rate > $1.rate }
        }

        /// The same for stored lines (a quote's, a contract's): their `tax_rate` and `tax`.
        public static func sums(of lines: [Record]) -> [RateTax] {
            sums(lines.compactMap { line in
                Decimal(exactly: line.value("tax_rate")).flatMap { rate in Decimal(exactly: line.value("tax")).map { (rate: rate, tax: $0) } }
            })
        }
    }

    public struct Result: Hashable, Sendable {
        public var lines: [Amounts]
        public var total: Amounts
        /// Highest rate first.
        public var taxByRate: [RateTax]
    }

    public static func price(_ lines: [Line], rule: RoundingRule) -> Result {
        var amounts = [Amounts](repeating: .zero, count: lines.count)
        switch rule.level {
        case .line:
            // Tax on the rounded amount without tax, as a VAT invoice states it; a price with tax keeps its rounded total.
            for (i, line) in lines.enumerated() {
                if line.taxIncluded {
                    let incl = rule.fen(line.gross), excl = rule.fen(incl / (1 + line.taxRate))
                    amounts[i] = Amounts(excl: excl, tax: incl - excl)
                } else {
                    let excl = rule.fen(line.gross)
                    amounts[i] = Amounts(excl: excl, tax: rule.fen(excl * line.taxRate))
                }
            }
        case .document:
            // Each rate's amounts are rounded once; the fens are then shared out over its lines.
            for rate in Set(lines.map(\.taxRate)) {
                let group = lines.indices.filter { lines[$0].taxRate == rate }
                let exact = group.map { lines[$0].exact }
                let total: Amounts
                if group.allSatisfy({ lines[$0].taxIncluded }) {
                    let incl = rule.fen(group.reduce(0) { $0 + lines[$1].gross }), excl = rule.fen(incl / (1 + rate))
                    total = Amounts(excl: excl, tax: incl - excl)
                } else {
                    // One division last, so that an exact half fen stays exact: (Σ without tax × (1 + rate) + Σ with tax) / (1 + rate).
                    let without = group.filter { !lines[$0].taxIncluded }.reduce(Decimal(0)) { $0 + lines[$1].gross }
                    let with = group.filter { lines[$0].taxIncluded }.reduce(Decimal(0)) { $0 + lines[$1].gross }
                    let scaled = without * (1 + rate) + with
                    total = Amounts(excl: rule.fen(scaled / (1 + rate)), tax: rule.fen(scaled * rate / (1 + rate)))
                }
                let excl = share(total.excl, exact.map(\.excl)), tax = share(total.tax, exact.map(\.tax))
                for (k, i) in group.enumerated() { amounts[i] = Amounts(excl: excl[k], tax: tax[k]) }
            }
        }
        let total = amounts.reduce(Amounts.zero) { Amounts(excl: $0.excl + $1.excl, tax: $0.tax + $1.tax) }
        return Result(lines: amounts, total: total, taxByRate: RateTax.sums(lines.indices.map { (lines[$0].taxRate, amounts[$0].tax) }))
    }

    /// Shares `total` (to the fen) over parts in proportion to their exact values: each part gets its value cut to the
    /// fen, and the fens left over go one each to the parts with the largest remainders (taken from the smallest when
    /// the total is below the cut parts' sum).
    public static func share(_ total: Decimal, _ exact: [Decimal]) -> [Decimal] {
        let fen = Decimal(string: "0.01")!
        var parts = exact.map { value -> Decimal in
            var v = value, cut = Decimal()
            NSDecimalRound(&cut, &v, 2, .down)
            return cut
        }
        var left = NSDecimalNumber(decimal: (total - parts.reduce(0, +)) / fen).intValue
        guard left != 0, !parts.isEmpty else { return parts }
        let order = parts.indices.sorted { a, b in
            let (ra, rb) = (exact[a] - parts[a], exact[b] - parts[b])
            return ra != rb ? (left > 0 ? ra > rb : ra < rb) : a < b
        }
        var k = 0
        while left != 0 {
            let i = order[k % order.count]
            parts[i] += left > 0 ? fen : -fen
            left += left > 0 ? -1 : 1
            k += 1
        }
        return parts
    }
}
