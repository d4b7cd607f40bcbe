import Foundation
import KeelCore
import Testing

@Suite struct FormulaTests {
    static let schema = FormulaSchema(object: StandardObjects.opportunity, objects: StandardObjects.all)
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    /// 2026-11-20T10:00 in Shanghai, a Friday.
    static let now = ISO8601DateFormatter().date(from: "2026-11-20T02:00:00Z")!

    static func run(_ text: String, _ values: [String: FormulaValue] = [:], calendar: WorkingCalendar = WorkingCalendar()) throws -> FormulaValue {
        let formula = try Formula(text, schema: schema)
        return formula.evaluate(FormulaContext(now: now, timeZone: shanghai, calendar: calendar) { values[$0.joined(separator: ".")] ?? .null })
    }

    static func error(_ text: String) -> FormulaError? {
        do { _ = try Formula(text, schema: schema); return nil } catch { return error }
    }

    /// Formulas compute in decimals: what a spreadsheet in binary gets wrong, they get right.
    @Test func arithmeticIsExactDecimal() throws {
        func d(_ s: String) -> FormulaValue { .number(Decimal(string: s)!) }
        #expect(try Self.run("0.1 + 0.2 = 0.3") == .boolean(true))
        #expect(try Self.run("amount * 0.13", ["amount": d("33.33")]) == d("4.3329"))
        #expect(try Self.run("ROUND(amount * 1.13, 2)", ["amount": d("1.15")]) == d("1.3"))
        // 2.675 is 2.67499999999999982236431605997495353221893310546875 as a double, so binary rounding gives 2.67.
        #expect(try Self.run("ROUND(2.675, 2)") == d("2.68"))
        #expect(try Self.run("ROUND(amount, -2)", ["amount": d("1250")]) == d("1300"))
        #expect(try Self.run("amount * 3 - 0.3", ["amount": d("0.1")]) == .number(0))
        #expect(try Self.run("VALUE(\"1,200\") + VALUE(\" 0.07 \")") == .null)
        #expect(try Self.run("VALUE(\" 0.07 \") + VALUE(\"1e3\")") == d("1000.07"))
        #expect(try Self.run("TEXT(amount, 2)", ["amount": d("9999999999999.995")]) == .text("10,000,000,000,000.00"))
        // A result with more digits than a number field keeps is stored as the field would read it back.
        let third = try Self.run("1 / 3")
        #expect(third == d("0.33333333333333333333333333333333333333") && third.json == .number(Decimal(string: "0.3333333333333333")!))
        #expect(try Self.run("amount * 10", ["amount": d("1e127")]) == .null)
    }

    @Test func arithmeticTextLogicAndPrecedence() throws {
        #expect(try Self.run("IF(ISBLANK(amount), 0, amount * 1.13)", ["amount": .number(100)]) == .number(113))
        #expect(try Self.run("IF(ISBLANK(amount), 0, amount * 1.13)") == .number(0))
        #expect(try Self.run("1 + 2 * 3 - 4 / 2") == .number(5))
        #expect(try Self.run("-(2 + 3) * 2") == .number(-10))
        #expect(try Self.run(#""阶段: " & stage & " / " & amount"#, ["stage": .text("proposal"), "amount": .number(5)]) == .text("阶段: proposal / 5"))
        #expect(try Self.run("AND(amount > 10, OR(stage = \"proposal\", FALSE), NOT(amount >= 1000))", ["amount": .number(20), "stage": .text("proposal")]) == .boolean(true))
        #expect(try Self.run("CASE(stage, \"proposal\", 1, \"negotiation\", 2, 0)", ["stage": .text("negotiation")]) == .number(2))
        #expect(try Self.run("ROUND(MAX(1.234, amount, 0.5), 2)", ["amount": .number(Decimal(string: "2.345")!)]) == .number(Decimal(string: "2.35")!))
        #expect(try Self.run("MIN(3, 1, 2) + ABS(-4)") == .number(5))
        #expect(try Self.run("LEN(UPPER(LEFT(name, 3))) & RIGHT(name, 2)", ["name": .text("abcdef")]) == .text("3ef"))
        #expect(try Self.run("TEXT(amount, 2)", ["amount": .number(1_924_000)]) == .text("1,924,000.00"))
        #expect(try Self.run("TEXT(amount, 0)", ["amount": .number(Decimal(string: "-1234.5")!)]) == .text("-1,235"))
        #expect(try Self.run("TEXT(amount, 9)", ["amount": .number(1)]) == .null)
        #expect(try Self.run("TEXT(amount)", ["amount": .number(1_924_000)]) == .text("1924000"))
        #expect(try Self.run(#"CONTAINS(name, "采购")"#, ["name": .text("CT 采购项目")]) == .boolean(true))
        #expect(try Self.run(#"REGEX_MATCH(currency, "[A-Z]{3}")"#, ["currency": .text("CNY")]) == .boolean(true))
        #expect(try Self.run(#"REGEX_MATCH(currency, "[A-Z]{3}")"#, ["currency": .text("CNYX")]) == .boolean(false))
        #expect(try Self.run(#"ISPICKVAL(stage, "closed_won")"#, ["stage": .text("closed_won")]) == .boolean(true))
        #expect(try Self.run("account.industry", ["account.industry": .text("医疗")]) == .text("医疗"))
    }

    @Test func datesFollowTheTimeZoneAndTheWorkingCalendar() throws {
        #expect(try Self.run("TODAY()") == .date(FormulaValue.dayNumber("2026-11-20")!))
        #expect(try Self.run("DAYS_BETWEEN(TODAY(), expected_close_date)", ["expected_close_date": .date(FormulaValue.dayNumber("2026-12-01")!)]) == .number(11))
        #expect(try Self.run("ADD_DAYS(expected_close_date, 3)", ["expected_close_date": .date(FormulaValue.dayNumber("2026-12-30")!)])
            == .date(FormulaValue.dayNumber("2027-01-02")!))
        // Friday 2026-11-20 to Friday 2026-11-27: five working days, one fewer with a holiday on the Wednesday.
        let friday = FormulaValue.date(FormulaValue.dayNumber("2026-11-27")!)
        #expect(try Self.run("WORKDAYS_BETWEEN(TODAY(), expected_close_date)", ["expected_close_date": friday]) == .number(5))
        let calendar = WorkingCalendar(holidays: ["2026-11-25"], workingWeekends: ["2026-11-22"])
        #expect(try Self.run("WORKDAYS_BETWEEN(TODAY(), expected_close_date)", ["expected_close_date": friday], calendar: calendar) == .number(5))
        #expect(try Self.run("WORKDAYS_BETWEEN(expected_close_date, TODAY())", ["expected_close_date": friday]) == .number(-5))
    }

    @Test func nullsNeverCrashAndFollowTheDocumentedRules() throws {
        #expect(try Self.run("amount * 2") == .null)
        #expect(try Self.run("amount / 0", ["amount": .number(5)]) == .null)
        #expect(try Self.run("amount / probability", ["amount": .number(5), "probability": .number(0)]) == .null)
        #expect(try Self.run("name & \"!\"") == .text("!"))
        #expect(try Self.run("LEN(name)") == .number(0))
        #expect(try Self.run("amount > 5") == .null)
        #expect(try Self.run("IF(amount > 5, \"big\", \"small\")") == .text("small"))
        #expect(try Self.run("AND(amount > 5, FALSE)") == .boolean(false))
        #expect(try Self.run("AND(amount > 5, TRUE)") == .null)
        #expect(try Self.run("OR(amount > 5, TRUE)") == .boolean(true))
        #expect(try Self.run("NOT(amount > 5)") == .null)
        #expect(try Self.run("BLANKVALUE(name, \"未命名\")", ["name": .text("")]) == .text("未命名"))
        #expect(try Self.run("CASE(stage, \"proposal\", 1, 0)") == .number(0))
        #expect(try Self.run("DAYS_BETWEEN(TODAY(), expected_close_date)") == .null)
        #expect(try Self.run("ROUND(amount, 2)") == .null)
        #expect(try Self.run("ISBLANK(account.industry)") == .boolean(true))
        #expect(try Self.run("VALUE(\"12a\")") == .null)
        #expect(try Self.run("amount * amount", ["amount": .number(Decimal(string: "1e100")!)]) == .null)
    }

    @Test func errorsNameTheProblemAndItsPosition() {
        let cases: [(String, String, Int)] = [
            ("amount * ", "Expected a value", 10),
            ("IF(amount > 1, 1)", "IF takes 3 argument(s), not 2", 1),
            ("IF(amount, 1, 2)", "IF's condition must be true/false, not number", 4),
            ("amout + 1", "amout is not a field of opportunities", 1),
            ("account.nope", "account.nope is not a field", 1),
            ("amount + \"x\"", "+ needs numbers", 8),
            ("IF(TRUE, 1, \"a\")", "two branches of IF give number and text", 1),
            ("FOO(1)", "Unknown function FOO", 1),
            ("\"open", "no closing \"", 1),
            ("(1 + 2", "( is not closed", 1),
            ("1 2", "Unexpected the number 2", 3),
            ("ISPICKVAL(stage, \"won\")", "won is not an option of stage", 18),
            ("REGEX_MATCH(name, \"[\")", "is not a valid regular expression", 19),
            ("amount # 2", "Unexpected character #", 8),
            ("stage < amount", "Cannot compare text with number", 7),
        ]
        for (text, message, position) in cases {
            let e = Self.error(text)
            #expect(e?.message.contains(message) == true && e?.position == position, "\(text): \(String(describing: e))")
        }
        #expect(Self.error(String(repeating: "(", count: 200) + "1" + String(repeating: ")", count: 200))?.message.contains("nests too deeply") == true)
    }

    @Test func dependenciesAreTheFieldPathsRead() throws {
        let f = try Formula("IF(ISBLANK(account.industry), amount, probability * amount)", schema: Self.schema)
        #expect(f.dependencies == [["account", "industry"], ["amount"], ["probability"]])
        #expect(f.type == .number)
    }

    /// Random text and random token soup: the parser and checker answer with a value or an error, never a crash, and
    /// whatever checks also evaluates. The seed is printed first (a crash ends the process before any report);
    /// `KEEL_FUZZ_SEED=N swift test --filter fuzzNeverCrashes` replays a run.
    @Test func fuzzNeverCrashes() {
        let seed = ProcessInfo.processInfo.environment["KEEL_FUZZ_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 0...UInt64.max)
        print("formula fuzz seed: \(seed) (replay with KEEL_FUZZ_SEED=\(seed))")
        var rng = SeededGenerator(seed: seed)
        let pieces = ["IF(", "AND(", "OR(", "NOT(", "CASE(", "ISBLANK(", "BLANKVALUE(", "LEN(", "LEFT(", "ROUND(", "MIN(", "MAX(",
                      "DAYS_BETWEEN(", "WORKDAYS_BETWEEN(", "ADD_DAYS(", "TODAY()", "NOW()", "REGEX_MATCH(", "VALUE(", "TEXT(",
                      "amount", "probability", "name", "stage", "expected_close_date", "account.industry", "account.name",
                      "1", "0", "-3.5", "1e309", "-3.2e37", "1e300", "\"x\"", "\"\"", "\"[\"", "TRUE", "NULL", ",", ")", "(", "+", "-", "*", "/", "&", "=", "<>", "<", ">=", " "]
        let alphabet = Array("()\",+-*/&=<>.0123456789aAzZ_ 采购\u{0}\\")
        var checked = 0
        for round in 0..<20_000 {
            let text = round % 2 == 0
                ? (0..<Int.random(in: 1...14, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined()
                : String((0..<Int.random(in: 0...30, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            guard let formula = try? Formula(text, schema: Self.schema) else { continue }
            checked += 1
            _ = formula.evaluate(FormulaContext(now: Self.now, timeZone: Self.shanghai) { path in
                path == ["amount"] ? .number(Decimal(Int.random(in: -100_000...100_000, using: &rng)) / 10_000) : .null
            })
        }
        #expect(checked > 100, "seed \(seed)")
    }
}

@Suite struct FormulaGraphTests {
    @Test func cyclesAcrossFieldsAndReferencesAreFound() {
        var deals = StandardObjects.opportunity
        deals.fields += [FieldDefinition("a", .number, zh: "a", en: "a", isCustom: true, formula: "b + 1"),
                         FieldDefinition("b", .number, zh: "b", en: "b", isCustom: true, formula: "amount * 2")]
        var accounts = StandardObjects.account
        accounts.fields.append(FieldDefinition("main_deal", .reference, zh: "主商机", en: "Main deal", target: "opportunities", isCustom: true))
        accounts.fields.append(FieldDefinition("deal_total", .number, zh: "d", en: "d", isCustom: true, formula: "main_deal.a"))
        #expect(FormulaGraph.cycle(in: [deals, accounts]) == nil)
        deals.fields[deals.fields.count - 1].formula = "a * 2"
        #expect(FormulaGraph.cycle(in: [deals, accounts]) == ["opportunities.a", "opportunities.b", "opportunities.a"])
        deals.fields[deals.fields.count - 1].formula = "account.deal_total"
        deals.fields.removeAll { $0.name == "a" }
        deals.fields.append(FieldDefinition("a", .number, zh: "a", en: "a", isCustom: true, formula: "b + 1"))
        #expect(FormulaGraph.cycle(in: [deals, accounts])?.count == 4)
    }
}
