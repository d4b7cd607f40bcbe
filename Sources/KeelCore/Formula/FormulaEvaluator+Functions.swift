import Foundation
import KeelMatching

extension FormulaEvaluator {
    static func call(_ name: String, _ args: [FormulaExpr], _ c: FormulaContext) -> FormulaValue {
        func arg(_ i: Int) -> FormulaValue { i < args.count ? evaluate(args[i], c) : .null }
        func numbers() -> [Decimal]? {
            var out: [Decimal] = []
            for i in args.indices { guard case .number(let n) = arg(i) else { return nil }; out.append(n) }
            return out
        }
        switch name {
        case "IF":
            if case .boolean(true) = arg(0) { return arg(1) }
            return arg(2)
        case "CASE":
            let subject = arg(0)
            for i in stride(from: 1, to: args.count - 1, by: 2) where compare(subject, arg(i)) == 0 { return arg(i + 1) }
            return arg(args.count - 1)
        case "AND", "OR":
            let decisive = name == "OR"
            var sawNull = false
            for i in args.indices {
                switch arg(i) {
                case .boolean(let b) where b == decisive: return .boolean(decisive)
                case .boolean: continue
                default: sawNull = true
                }
            }
            return sawNull ? .null : .boolean(!decisive)
        case "NOT":
            if case .boolean(let b) = arg(0) { return .boolean(!b) }
            return .null
        case "ISBLANK": return .boolean(arg(0).isBlank)
        case "BLANKVALUE":
            let v = arg(0)
            return v.isBlank ? arg(1) : v
        case "CONTAINS", "BEGINS":
            let (haystack, needle) = (text(arg(0)), text(arg(1)))
            return .boolean(name == "CONTAINS" ? (needle.isEmpty || haystack.contains(needle)) : haystack.hasPrefix(needle))
        case "REGEX_MATCH":
            guard case .text(let s) = arg(0), case .text(let pattern) = arg(1),
                  let regex = try? NSRegularExpression(pattern: "^(?:" + pattern + ")$") else { return .boolean(false) }
            return .boolean(regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil)
        case "LEN": return .number(Decimal(text(arg(0)).count))
        case "UPPER": return .text(text(arg(0)).uppercased())
        case "LOWER": return .text(text(arg(0)).lowercased())
        case "TRIM": return .text(text(arg(0)).trimmingCharacters(in: .whitespacesAndNewlines))
        // A phone as written (`(0755)8601-3388转8888`) read by the numbering plan: its E.164 form and extension.
        case "PHONE_E164": return arg(0).isBlank ? .null : PhoneNumber(text(arg(0))).e164.map(FormulaValue.text) ?? .null
        case "PHONE_EXTENSION": return arg(0).isBlank ? .null : PhoneNumber(text(arg(0))).ext.map(FormulaValue.text) ?? .null
        case "LEFT", "RIGHT":
            guard case .number(let n) = arg(1), !n.isNaN else { return .null }
            let s = text(arg(0))
            let k = Int(max(0, min(Decimal(s.count), n)).double)
            return .text(String(name == "LEFT" ? s.prefix(k) : s.suffix(k)))
        case "TEXT":
            // TEXT(amount, 2): grouped as people write it, 1,924,000.00.
            guard args.count == 2 else { return .text(text(arg(0))) }
            guard case .number(let n) = arg(0), case .number(let places) = arg(1), let p = places.integer, (0...6).contains(p) else { return .null }
            return .text(n.grouped(places: p))
        case "VALUE":
            guard case .text(let s) = arg(0), let n = Decimal(numberText: s.trimmingCharacters(in: .whitespaces)) else { return .null }
            return number(n)
        case "TODAY": return .date(c.today)
        case "NOW": return .datetime(c.now)
        case "DAYS_BETWEEN", "WORKDAYS_BETWEEN":
            guard let a = day(arg(0), c), let b = day(arg(1), c) else { return .null }
            if name == "DAYS_BETWEEN" { return .number(Decimal(b - a)) }
            // Working days after the first date up to and including the second (negative when the second is earlier).
            guard abs(b - a) <= 36_600 else { return .null }
            let (from, to) = (min(a, b), max(a, b))
            let count = (from + 1 ..< to + 1).reduce(0) { $0 + (c.calendar.isWorkday($1) ? 1 : 0) }
            return .number(Decimal(b >= a ? count : -count))
        case "ADD_DAYS": return binary(.add, arg(0), arg(1))
        case "ROUND":
            guard let ns = numbers(), let x = ns.first else { return .null }
            let digits = ns.count > 1 ? max(-15, min(15, ns[1])).rounded(0, .halfUp).integer ?? 0 : 0
            return number(x.rounded(digits, .halfUp))
        case "ABS":
            guard let x = numbers()?.first else { return .null }
            return .number(abs(x))
        case "MIN", "MAX":
            guard let ns = numbers(), !ns.isEmpty else { return .null }
            return .number(name == "MIN" ? ns.min()! : ns.max()!)
        case "ISPICKVAL":
            guard case .text(let v) = arg(0), case .text(let option) = arg(1) else { return .boolean(false) }
            return .boolean(v == option)
        case "INCLUDES":
            guard case .text(let v) = arg(0), case .text(let option) = arg(1) else { return .boolean(false) }
            return .boolean(v.split(separator: ";").contains { $0 == option })
        default:
            return .null
        }
    }

    /// A date or date-time as a day number.
    static func day(_ v: FormulaValue, _ c: FormulaContext) -> Int? {
        switch v {
        case .date(let d): d
        case .datetime(let t): day(of: t, in: c.timeZone)
        default: nil
        }
    }
}
