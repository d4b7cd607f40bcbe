import Foundation
import KeelCore

/// Formula evaluation, ns per evaluation, against the same computation written in Swift as baseline; and parse +
/// check time per formula.
struct FormulaBenchmark {
    let iterations: Int

    func run() {
        let schema = FormulaSchema(object: StandardObjects.opportunity, objects: StandardObjects.all)
        let values: [String: FormulaValue] = ["amount": .number(1_200_000), "stage": .text("proposal"), "probability": .number(40),
                                              "expected_close_date": .date(FormulaValue.dayNumber("2026-12-31")!)]
        let context = FormulaContext(now: Date(), timeZone: TimeZone(identifier: "Asia/Shanghai")!) { values[$0.count == 1 ? $0[0] : ""] ?? .null }
        let cases: [(String, String, (Double, Double) -> Double)] = [
            ("tax", "IF(ISBLANK(amount), 0, amount * 1.13)", { a, _ in a * 1.13 }),
            ("weighted", "ROUND(amount * probability / 100, 2)", { a, p in (a * p / 100 * 100).rounded() / 100 }),
            ("stage score", "CASE(stage, \"proposal\", 3, \"negotiation\", 4, 0) + IF(AND(amount > 1000000, probability >= 40), 10, 0)",
             { a, p in 3 + (a > 1_000_000 && p >= 40 ? 10 : 0) }),
            ("days left", "DAYS_BETWEEN(TODAY(), expected_close_date)", { _, _ in 40 }),
        ]
        print("formulas (\(iterations) evaluations per case; baseline: the same arithmetic in Swift)")
        for (name, text, swift) in cases {
            let parse = Stats.seconds(ContinuousClock().measure { for _ in 0..<1_000 { _ = try? Formula(text, schema: schema) } }) / 1_000
            let formula = try! Formula(text, schema: schema)
            var sink = 0.0
            let start = ContinuousClock.now
            for _ in 0..<iterations { if case .number(let n) = formula.evaluate(context) { sink += n.double } }
            let ns = Stats.seconds(ContinuousClock.now - start) / Double(iterations) * 1e9
            var amounts = (0..<1_000).map { Double($0) * 1_000 }
            amounts.shuffle()
            let baseStart = ContinuousClock.now
            for i in 0..<iterations { sink += swift(amounts[i % 1_000], 40) }
            let base = max(0.01, Stats.seconds(ContinuousClock.now - baseStart) / Double(iterations) * 1e9)
            if sink == -1 { print(sink) }
            print("  \(name): \(String(format: "%.0f", ns)) ns per evaluation (\(String(format: "%.0f", ns / base))× Swift's \(String(format: "%.1f", base)) ns); parse + check \(String(format: "%.1f", parse * 1e6)) µs")
        }
    }
}
