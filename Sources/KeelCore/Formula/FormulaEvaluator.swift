import Foundation

/// What a formula reads while it runs: field values (through references too), today and now, the working calendar.
public struct FormulaContext {
    public var value: (_ path: [String]) -> FormulaValue
    public var today: Int
    public var now: Date
    public var calendar: WorkingCalendar
    /// The organisation's time zone: which day a date-time falls on.
    public var timeZone: TimeZone

    public init(now: Date, timeZone: TimeZone, calendar: WorkingCalendar = WorkingCalendar(), value: @escaping (_ path: [String]) -> FormulaValue) {
        self.value = value
        self.now = now
        self.timeZone = timeZone
        self.today = FormulaEvaluator.day(of: now, in: timeZone)
        self.calendar = calendar
    }
}

/// Runs a checked formula. It never fails: what cannot be computed is null. The rules for null (blank) values:
/// - arithmetic with null gives null; division by zero gives null; so does any result that is not a finite number;
/// - `&` and text functions treat null as empty text (LEN(null) = 0, CONTAINS(null, "a") = false);
/// - a comparison with null gives null, and IF treats a null condition as false (the else branch);
/// - AND is false if any part is false, else null if any part is null; OR is true if any part is true, else null if any
///   part is null; NOT(null) is null;
/// - date and number functions (DAYS_BETWEEN, ADD_DAYS, ROUND, MIN, MAX, ABS, VALUE) give null when an input is null;
/// - ISBLANK is true for null and empty text; BLANKVALUE replaces exactly those; CASE with a null value takes the default.
public enum FormulaEvaluator {
    public static func evaluate(_ e: FormulaExpr, _ context: FormulaContext) -> FormulaValue {
        switch e.kind {
        case .number(let n): return .number(n)
        case .text(let s): return .text(s)
        case .boolean(let b): return .boolean(b)
        case .null: return .null
        case .field(let path): return context.value(path)
        case .negate(let inner):
            if case .number(let n) = evaluate(inner, context) { return .number(-n) }
            return .null
        case .binary(let op, let l, let r): return binary(op, evaluate(l, context), evaluate(r, context))
        case .call(let name, let args): return call(name, args, context)
        }
    }

    /// A result, or null when it left what a decimal holds (38 digits, exponents to ±127).
    static func number(_ n: Decimal) -> FormulaValue { n.isNaN ? .null : .number(n) }

    /// The day number of a moment in a time zone.
    public static func day(of t: Date, in zone: TimeZone) -> Int {
        Int(((t.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: t))) / 86_400).rounded(.down))
    }

    public static func text(_ v: FormulaValue) -> String {
        switch v {
        case .null: ""
        case .text(let s): s
        case .number(let n): n.description
        case .boolean(let b): b ? "true" : "false"
        case .date(let d): FormulaValue.dayText(d)
        case .datetime(let t): ValueFormats.formatDateTime(t)
        }
    }

    static func binary(_ op: BinaryOperator, _ l: FormulaValue, _ r: FormulaValue) -> FormulaValue {
        switch op {
        case .concat: return .text(text(l) + text(r))
        case .add, .subtract, .multiply, .divide:
            switch (l, r) {
            case let (.number(a), .number(b)):
                switch op {
                case .add: return number(a + b)
                case .subtract: return number(a - b)
                case .multiply: return number(a * b)
                default: return b == 0 ? .null : number(a / b)
                }
            case let (.date(d), .number(n)) where op == .add || op == .subtract:
                guard abs(n) < 1e7 else { return .null }
                return .date(d + (op == .add ? 1 : -1) * (n.rounded(0, .halfUp).integer ?? 0))
            case let (.datetime(t), .number(n)) where op == .add || op == .subtract:
                guard abs(n) < 1e7 else { return .null }
                return .datetime(t + (op == .add ? 1 : -1) * n.double * 86_400)
            default: return .null
            }
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard let order = compare(l, r) else { return .null }
            switch op {
            case .equal: return .boolean(order == 0)
            case .notEqual: return .boolean(order != 0)
            case .less: return .boolean(order < 0)
            case .greater: return .boolean(order > 0)
            case .lessOrEqual: return .boolean(order <= 0)
            default: return .boolean(order >= 0)
            }
        }
    }

    /// -1, 0, 1 for two values of one type; nil when either is null or they differ in type.
    static func compare(_ l: FormulaValue, _ r: FormulaValue) -> Int? {
        func order<T: Comparable>(_ a: T, _ b: T) -> Int { a < b ? -1 : a > b ? 1 : 0 }
        switch (l, r) {
        case let (.number(a), .number(b)): return order(a, b)
        case let (.text(a), .text(b)): return order(a, b)
        case let (.date(a), .date(b)): return order(a, b)
        case let (.datetime(a), .datetime(b)): return order(a, b)
        case let (.boolean(a), .boolean(b)): return a == b ? 0 : 1
        default: return nil
        }
    }
}
