import Foundation
import KeelCore
import Testing

@Suite struct QuotePricingTests {
    static func d(_ s: String) -> Decimal { Decimal(string: s)! }

    @Test func decimalsAreReadExactlyAsWritten() throws {
        #expect(Decimal(exactText: "33.33") == Self.d("33.33") && Decimal(exactText: "-0.5") == Self.d("-0.5") && Decimal(exactText: "1200") == 1200)
        for bad in ["1e5", "12abc", " 1", ".5", "5.", "1,200", "¥12", "", "-", "1.2.3"] { #expect(Decimal(exactText: bad) == nil, "\(bad)") }
        // A JSON number is read digit for digit: 0.1 and 33.33 are what was written, not their binary neighbours.
        for text in ["0.1", "33.33", "9999999999999.99", "12345678901234567.89"] {
            #expect(Decimal(exactly: try JSONValue.parse(text: "[\(text)]").arrayValue?.first ?? .null) == Self.d(text))
        }
        #expect(Self.d("1924000").yuan == "¥1,924,000.00" && Self.d("-3").yuan == "-¥3.00" && Self.d("999.995").yuan == "¥1,000.00" && Self.d("0.5").yuan == "¥0.50")
        #expect(Self.d("1.50").scale == 1 && Self.d("0.0001").scale == 4 && Decimal(12).scale == 0)
    }

    @Test func aLineWithoutTaxInItsPrice() {
        // 3 × 33.33 = 99.99; 13 % of it is 12.9987 → 13.00.
        let r = QuotePricing.price([.init(unitPrice: Self.d("33.33"), quantity: 3, taxRate: Self.d("0.13"), taxIncluded: false)], rule: RoundingRule())
        #expect(r.total == QuotePricing.Amounts(excl: Self.d("99.99"), tax: Self.d("13")))
        #expect(r.total.incl == Self.d("112.99"))
        #expect(r.taxByRate == [QuotePricing.RateTax(rate: Self.d("0.13"), tax: 13)])
    }

    @Test func aLineWithTaxInItsPrice() {
        // ¥113 with 13 % VAT in it: 100.00 + 13.00.
        let r = QuotePricing.price([.init(unitPrice: 113, quantity: 1, taxRate: Self.d("0.13"), taxIncluded: true)], rule: RoundingRule())
        #expect(r.lines == [QuotePricing.Amounts(excl: 100, tax: 13)])
    }

    /// The textbook difference between the levels: three lines of 0.05 tax-free amounts each carrying 0.005 tax.
    @Test func levelsRoundDifferently() {
        let line = QuotePricing.Line(unitPrice: Self.d("0.05"), quantity: 1, taxRate: Self.d("0.13"), taxIncluded: false)
        let perLine = QuotePricing.price([line, line, line], rule: RoundingRule(level: .line))
        let perDocument = QuotePricing.price([line, line, line], rule: RoundingRule(level: .document))
        // 0.0065 rounds to 0.01 on each line (0.03 in all); on the document 0.0195 rounds to 0.02.
        #expect(perLine.total.tax == Self.d("0.03"))
        #expect(perDocument.total.tax == Self.d("0.02"))
        #expect(perDocument.lines.map(\.tax).reduce(0, +) == Self.d("0.02"))
    }

    @Test func halfEvenRoundsHalvesToTheEvenFen() {
        // 0.125 → 0.12 half-even, 0.13 half-up.
        let line = QuotePricing.Line(unitPrice: Self.d("0.125"), quantity: 1, taxRate: 0, taxIncluded: false)
        #expect(QuotePricing.price([line], rule: RoundingRule(mode: .halfEven)).total.excl == Self.d("0.12"))
        #expect(QuotePricing.price([line], rule: RoundingRule(mode: .halfUp)).total.excl == Self.d("0.13"))
    }

    /// 10,000 random quotes in each rounding level and mode: the totals are the sums of the lines, each line's amount
    /// with tax is its amount without plus its tax, and the totals are what exact integer arithmetic in fen says.
    @Test(arguments: RoundingRule.Level.allCases)
    func tenThousandRandomQuotes(_ level: RoundingRule.Level) {
        var random = SeededGenerator(seed: level == .line ? 7 : 11)
        var mismatches = 0
        for n in 0..<10_000 {
            let mode: RoundingRule.Mode = n % 2 == 0 ? .halfUp : .halfEven
            let lines = (0..<Int.random(in: 1...12, using: &random)).map { _ in Oracle.Line.random(using: &random) }
            let result = QuotePricing.price(lines.map(\.pricing), rule: RoundingRule(mode: mode, level: level))
            let expected = Oracle(lines: lines, mode: mode, level: level)
            let sums = result.lines.reduce(QuotePricing.Amounts.zero) { QuotePricing.Amounts(excl: $0.excl + $1.excl, tax: $0.tax + $1.tax) }
            let fenTotal = QuotePricing.Amounts(excl: Decimal(Int(expected.excl)) / 100, tax: Decimal(Int(expected.tax)) / 100)
            if sums != result.total || result.total != fenTotal || result.lines.contains(where: { $0.excl.scale > 2 || $0.tax.scale > 2 })
                || (level == .line && result.lines != expected.lines.map { QuotePricing.Amounts(excl: Decimal(Int($0.excl)) / 100, tax: Decimal(Int($0.tax)) / 100) }) {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }
}

/// Amounts in whole fen, by integer arithmetic over exact fractions: what the pricing must agree with.
struct Oracle {
    struct Line {
        // Quantity and discount in 1/10,000.
        var priceFen: Int128, quantity: Int128, discount: Int128, ratePercent: Int128, included: Bool

        static func random(using g: inout SeededGenerator) -> Line {
            Line(priceFen: Int128(Int.random(in: 0...2_000_000, using: &g)),
                 quantity: Int128([10_000, 20_000, 5_000, Int.random(in: 1...500_000, using: &g)][Int.random(in: 0...3, using: &g)]),
                 discount: Int128([0, 0, 1_000, Int.random(in: 0...10_000, using: &g)][Int.random(in: 0...3, using: &g)]),
                 ratePercent: [13, 9, 6, 3, 0][Int.random(in: 0...4, using: &g)], included: Bool.random(using: &g))
        }

        var pricing: QuotePricing.Line {
            QuotePricing.Line(unitPrice: Decimal(Int(priceFen)) / 100, quantity: Decimal(Int(quantity)) / 10_000,
                              discount: Decimal(Int(discount)) / 10_000, taxRate: Decimal(Int(ratePercent)) / 100, taxIncluded: included)
        }

        /// What the customer pays for the line, in fen × 10⁸ (exact).
        var gross: Int128 { priceFen * quantity * (10_000 - discount) }
    }

    var lines: [(excl: Int128, tax: Int128)] = []
    var excl: Int128 = 0, tax: Int128 = 0

    static func round(_ a: Int128, _ b: Int128, _ mode: RoundingRule.Mode) -> Int128 {
        let q = a / b, r = a % b
        if 2 * r > b { return q + 1 }
        if 2 * r == b { return mode == .halfUp || q % 2 == 1 ? q + 1 : q }
        return q
    }

    init(lines input: [Line], mode: RoundingRule.Mode, level: RoundingRule.Level) {
        let e8: Int128 = 100_000_000
        switch level {
        case .line:
            for l in input {
                if l.included {
                    let incl = Self.round(l.gross, e8, mode), net = Self.round(incl * 100, 100 + l.ratePercent, mode)
                    lines.append((net, incl - net))
                } else {
                    let net = Self.round(l.gross, e8, mode)
                    lines.append((net, Self.round(net * l.ratePercent, 100, mode)))
                }
            }
            (excl, tax) = (lines.map(\.excl).reduce(0, +), lines.map(\.tax).reduce(0, +))
        case .document:
            for rate in Set(input.map(\.ratePercent)) {
                let group = input.filter { $0.ratePercent == rate }
                if group.allSatisfy(\.included) {
                    let incl = Self.round(group.map(\.gross).reduce(0, +), e8, mode), net = Self.round(incl * 100, 100 + rate, mode)
                    (excl, tax) = (excl + net, tax + incl - net)
                } else {
                    // Without tax: gross, or gross / (1 + rate) when the price has it; tax: gross × rate, or gross × rate / (1 + rate).
                    let net = group.map { $0.gross * ($0.included ? 100 : 100 + rate) }.reduce(0, +)
                    let taxes = group.map { $0.gross * rate * ($0.included ? 100 : 100 + rate) }.reduce(0, +)
                    excl += Self.round(net, e8 * (100 + rate), mode)
                    tax += Self.round(taxes, e8 * 100 * (100 + rate), mode)
                }
            }
        }
    }
}
