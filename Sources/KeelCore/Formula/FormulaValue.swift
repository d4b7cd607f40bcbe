import Foundation

/// A value while a formula runs. Dates are whole days since 1970-01-01 in the organisation's time zone.
public enum FormulaValue: Hashable, Sendable {
    case number(Decimal)
    case text(String)
    case boolean(Bool)
    case date(Int)
    case datetime(Date)
    case null

    /// A stored field value as a formula sees it.
    public init(_ value: JSONValue, type: FieldType) {
        switch (value, type) {
        case (.null, _): self = .null
        case (.number(let n), _): self = .number(n)
        case (.bool(let b), _): self = .boolean(b)
        case (.string(let s), .date): self = FormulaValue.day(s).map(FormulaValue.date) ?? .null
        case (.string(let s), .datetime): self = ValueFormats.parseDateTime(s).map(FormulaValue.datetime) ?? .null
        case (.string(let s), _): self = .text(s)
        case (.array(let items), _): self = .text(items.compactMap(\.stringValue).joined(separator: ";"))
        case (.object, _): self = .text(value.canonicalText())
        }
    }

    /// The value to store in a field of the formula's result type.
    public var json: JSONValue {
        switch self {
        // A result a number column cannot keep exactly (1/3 to 38 digits) is kept as the column would read it back.
        case .number(let n): n.isNaN ? .null : n.fitsDouble ? .number(n) : JSONValue(n.double)
        case .text(let s): .string(s)
        case .boolean(let b): .bool(b)
        case .date(let d): .string(Self.dayText(d))
        case .datetime(let t): .string(ValueFormats.formatDateTime(t))
        case .null: .null
        }
    }

    public var isBlank: Bool {
        switch self {
        case .null: true
        case .text(let s): s.isEmpty
        default: false
        }
    }

    /// `YYYY-MM-DD` (or the date part of a longer text) as a day number.
    public static func dayNumber(_ text: String) -> Int? { day(text) }

    static func day(_ text: String) -> Int? {
        let parts = text.prefix(10).split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        var c = DateComponents()
        (c.year, c.month, c.day) = (parts[0], parts[1], parts[2])
        guard let date = utc.date(from: c) else { return nil }
        return Int((date.timeIntervalSince1970 / 86_400).rounded(.down))
    }

    public static func dayText(_ day: Int) -> String {
        let c = utc.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
        return String(format: "%04d-%02d-%02d", c.year ?? 1970, c.month ?? 1, c.day ?? 1)
    }

    static let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()
}

/// The organisation's working days: which weekdays are worked, and holidays and make-up working days (调休).
public struct WorkingCalendar: Hashable, Sendable {
    /// ISO weekdays worked (Monday 1 … Sunday 7).
    public var workingWeekdays: Set<Int>
    public var holidays: Set<String>
    /// Weekend days that are worked (e.g. the Saturday before National Day).
    public var workingWeekends: Set<String>
    /// Working hours of a working day, in minutes after midnight (09:00–18:00 unless set).
    public var opens: Int
    public var closes: Int

    public init(workingWeekdays: Set<Int> = [1, 2, 3, 4, 5], holidays: Set<String> = [], workingWeekends: Set<String> = [],
                opens: Int = 9 * 60, closes: Int = 18 * 60) {
        self.workingWeekdays = workingWeekdays
        self.holidays = holidays
        self.workingWeekends = workingWeekends
        self.opens = opens
        self.closes = closes
    }

    public func isWorkday(_ day: Int) -> Bool {
        let text = FormulaValue.dayText(day)
        if holidays.contains(text) { return false }
        if workingWeekends.contains(text) { return true }
        // 1970-01-01 was a Thursday (ISO 4).
        return workingWeekdays.contains(((day % 7) + 7 + 3) % 7 + 1)
    }

    /// The day `count` working days after `day` (0: the day itself). A calendar with no working day gives nil.
    public func adding(workdays count: Int, to day: Int) -> Int? {
        guard !workingWeekdays.isEmpty || !workingWeekends.isEmpty else { return nil }
        var current = day
        var left = count
        while left > 0 {
            current += 1
            if isWorkday(current) { left -= 1 }
            if current - day > count * 7 + 400 { return nil }
        }
        return current
    }
}
