/// The working calendar as data: `{"workingWeekdays": [1, 2, 3, 4, 5], "holidays": ["2026-10-01", …],
/// "workingWeekends": ["2026-09-27"], "workingHours": {"opens": "09:00", "closes": "18:00"}}` (ISO weekdays, Monday 1 …
/// Sunday 7; days as YYYY-MM-DD; hours as HH:MM).
extension WorkingCalendar {
    public static func parse(_ json: JSONValue) throws(KeelError) -> WorkingCalendar {
        var violations = (json.objectValue ?? [:]).wrongTypes(["workingWeekdays": "array", "holidays": "array", "workingWeekends": "array"])
        let weekdays = (json["workingWeekdays"]?.arrayValue ?? [1, 2, 3, 4, 5]).map { $0.intValue ?? 0 }
        if weekdays.contains(where: { !(1...7).contains($0) }) {
            violations.append(Violation(field: "workingWeekdays", code: "out_of_range", message: "Working weekdays are 1 (Monday) to 7 (Sunday)."))
        }
        func days(_ key: String) -> Set<String> {
            let list = json[key]?.arrayValue ?? []
            let texts = list.compactMap(\.stringValue)
            for text in texts where text.count != 10 || FormulaValue.dayNumber(text).map(FormulaValue.dayText) != text {
                violations.append(Violation(field: key, code: "invalid_format", message: "\(text) is not a day written YYYY-MM-DD."))
            }
            if texts.count != list.count { violations.append(Violation(field: key, code: "invalid_type", message: "\(key) is a list of days (YYYY-MM-DD).")) }
            return Set(texts)
        }
        var calendar = WorkingCalendar(workingWeekdays: Set(weekdays), holidays: days("holidays"), workingWeekends: days("workingWeekends"))
        if let hours = json["workingHours"], !hours.isNull {
            let opens = hours["opens"]?.stringValue.flatMap(Self.minutes), closes = hours["closes"]?.stringValue.flatMap(Self.minutes)
            if let opens, let closes, opens < closes, Set(hours.objectValue?.keys ?? [:].keys) == ["opens", "closes"] {
                (calendar.opens, calendar.closes) = (opens, closes)
            } else {
                violations.append(Violation(field: "workingHours", code: "invalid_format",
                                            message: "workingHours is {\"opens\": \"09:00\", \"closes\": \"18:00\"}, opening before closing."))
            }
        }
        if weekdays.isEmpty && calendar.workingWeekends.isEmpty {
            violations.append(Violation(field: "workingWeekdays", code: "required", message: "A calendar needs working days."))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return calendar
    }

    public var json: JSONValue {
        ["workingWeekdays": .array(workingWeekdays.sorted().map { JSONValue($0) }),
         "holidays": .array(holidays.sorted().map(JSONValue.string)), "workingWeekends": .array(workingWeekends.sorted().map(JSONValue.string)),
         "workingHours": ["opens": .string(Self.clock(opens)), "closes": .string(Self.clock(closes))]]
    }

    /// Minutes after midnight of `HH:MM` (00:00 … 24:00).
    static func minutes(_ text: String) -> Int? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard text.count == 5, parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0...59).contains(m),
              h * 60 + m <= 1440 else { return nil }
        return h * 60 + m
    }

    static func clock(_ minutes: Int) -> String { String(format: "%02d:%02d", minutes / 60, minutes % 60) }
}
