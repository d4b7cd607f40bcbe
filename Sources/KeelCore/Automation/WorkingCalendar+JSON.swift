/// The working calendar as data: `{"workingWeekdays": [1, 2, 3, 4, 5], "holidays": ["2026-10-01", …],
/// "workingWeekends": ["2026-09-27"]}` (ISO weekdays, Monday 1 … Sunday 7; days as YYYY-MM-DD).
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
        let calendar = WorkingCalendar(workingWeekdays: Set(weekdays), holidays: days("holidays"), workingWeekends: days("workingWeekends"))
        if weekdays.isEmpty && calendar.workingWeekends.isEmpty {
            violations.append(Violation(field: "workingWeekdays", code: "required", message: "A calendar needs working days."))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return calendar
    }

    public var json: JSONValue {
        ["workingWeekdays": .array(workingWeekdays.sorted().map { .number(Double($0)) }),
         "holidays": .array(holidays.sorted().map(JSONValue.string)), "workingWeekends": .array(workingWeekends.sorted().map(JSONValue.string))]
    }
}
