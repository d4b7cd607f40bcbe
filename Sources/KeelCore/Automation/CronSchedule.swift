import Foundation

/// A five-field cron expression (`minute hour day-of-month month day-of-week`), read in a time zone. Each field is
/// `*`, a number, a range `a-b`, a step `*/n` or `a-b/n`, or a comma list of those; day-of-week 0 and 7 are Sunday.
/// When both day fields are restricted a day matching either runs (as in Vixie cron).
public struct CronSchedule: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    let minutes: Set<Int>
    let hours: Set<Int>
    let daysOfMonth: Set<Int>
    let months: Set<Int>
    let weekdays: Set<Int>
    let anyDayOfMonth: Bool
    let anyWeekday: Bool

    public init(_ text: String) throws(KeelError) {
        let fields = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard fields.count == 5 else {
            throw KeelError.validation([Violation(field: "cron", code: "invalid_cron",
                                                  message: "A schedule has five fields: minute hour day-of-month month day-of-week (e.g. \"0 9 * * 1-5\").")])
        }
        self.text = fields.joined(separator: " ")
        minutes = try Self.field(fields[0], name: "minute", range: 0...59)
        hours = try Self.field(fields[1], name: "hour", range: 0...23)
        daysOfMonth = try Self.field(fields[2], name: "day of month", range: 1...31)
        months = try Self.field(fields[3], name: "month", range: 1...12)
        weekdays = Set(try Self.field(fields[4], name: "day of week", range: 0...7).map { $0 % 7 })
        anyDayOfMonth = fields[2] == "*"
        anyWeekday = fields[4] == "*"
    }

    public var description: String { text }

    static func field(_ text: String, name: String, range: ClosedRange<Int>) throws(KeelError) -> Set<Int> {
        var out: Set<Int> = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pieces = part.split(separator: "/", omittingEmptySubsequences: false)
            let step = pieces.count == 2 ? Int(pieces[1]) : 1
            var bounds: ClosedRange<Int>?
            if pieces[0] == "*" {
                bounds = range
            } else {
                let ends = pieces[0].split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
                if ends.count == 1, let a = ends[0] { bounds = a...(pieces.count == 2 ? range.upperBound : a) }
                if ends.count == 2, let a = ends[0], let b = ends[1], a <= b { bounds = a...b }
            }
            guard pieces.count <= 2, let step, step > 0, let bounds, range.contains(bounds.lowerBound), range.contains(bounds.upperBound) else {
                throw KeelError.validation([Violation(field: "cron", code: "invalid_cron",
                                                      message: "\"\(part)\" is not a valid \(name) (\(range.lowerBound)–\(range.upperBound), *, a-b, */n, lists).")])
            }
            out.formUnion(stride(from: bounds.lowerBound, through: bounds.upperBound, by: step))
        }
        return out
    }

    /// The first run strictly after `date`, in `timeZone`; nil when none falls within five years (e.g. `0 0 31 2 *`).
    public func next(after date: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        var day = calendar.startOfDay(for: date)
        for _ in 0..<(366 * 5) {
            let c = calendar.dateComponents([.year, .month, .day, .weekday], from: day)
            if months.contains(c.month!), dayMatches(dayOfMonth: c.day!, weekday: c.weekday! - 1) {
                for hour in hours.sorted() {
                    for minute in minutes.sorted() {
                        var parts = DateComponents(year: c.year, month: c.month, day: c.day, hour: hour, minute: minute)
                        parts.timeZone = timeZone
                        // A local time that does not exist (a daylight-saving gap) runs at the first instant after it.
                        if let run = calendar.date(from: parts), run > date { return run }
                    }
                }
            }
            guard let following = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = following
        }
        return nil
    }

    func dayMatches(dayOfMonth: Int, weekday: Int) -> Bool {
        switch (anyDayOfMonth, anyWeekday) {
        case (true, true): true
        case (false, true): daysOfMonth.contains(dayOfMonth)
        case (true, false): weekdays.contains(weekday)
        case (false, false): daysOfMonth.contains(dayOfMonth) || weekdays.contains(weekday)
        }
    }
}
