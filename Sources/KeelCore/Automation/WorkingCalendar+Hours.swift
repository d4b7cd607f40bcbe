import Foundation

/// Working time: the hours between `opens` and `closes` on working days, in the organisation's time zone. What a
/// response deadline "on the working calendar" counts.
extension WorkingCalendar {
    /// The moment `minutes` of working time after `start`; nil when the calendar has no working time in sight.
    public func adding(workingMinutes minutes: Int, to start: Date, in zone: TimeZone) -> Date? {
        guard closes > opens else { return nil }
        var left = Double(max(minutes, 0) * 60)
        var (day, into) = Self.split(start, zone)
        for _ in 0..<800 {
            if isWorkday(day) {
                let from = max(into, Double(opens * 60)), to = Double(closes * 60)
                if from < to {
                    if left <= to - from { return Self.moment(day, from + left, zone) }
                    left -= to - from
                }
            }
            (day, into) = (day + 1, 0)
        }
        return nil
    }

    /// Working seconds from `start` to `end` (0 when `end` is not later).
    public func workingSeconds(from start: Date, to end: Date, in zone: TimeZone) -> TimeInterval {
        guard end > start, closes > opens else { return 0 }
        var total = 0.0
        var (day, into) = Self.split(start, zone)
        let (lastDay, lastInto) = Self.split(end, zone)
        while day <= lastDay, day - Self.split(start, zone).day < 800 {
            if isWorkday(day) {
                let from = max(into, Double(opens * 60)), to = min(day == lastDay ? lastInto : 86_400, Double(closes * 60))
                if from < to { total += to - from }
            }
            (day, into) = (day + 1, 0)
        }
        return total
    }

    /// The latest working day's opening at or before `date`, and the opening of the working day before that (the
    /// morning digest's day and the span it covers); nil when the calendar has no working day in sight.
    public func openings(before date: Date, in zone: TimeZone) -> (latest: Date, previous: Date)? {
        let (today, into) = Self.split(date, zone)
        var day = into >= Double(opens * 60) ? today : today - 1
        while !isWorkday(day), today - day < 400 { day -= 1 }
        var before = day - 1
        while !isWorkday(before), today - before < 800 { before -= 1 }
        guard isWorkday(day), isWorkday(before) else { return nil }
        return (Self.moment(day, Double(opens * 60), zone), Self.moment(before, Double(opens * 60), zone))
    }

    /// The same time of day `count` working days before `date` (a customer silent since then is dormant).
    public func moment(workingDays count: Int, before date: Date, in zone: TimeZone) -> Date {
        let today = Self.split(date, zone).day
        var day = today, left = count
        while left > 0, today - day < 3_650 {
            day -= 1
            if isWorkday(day) { left -= 1 }
        }
        return date.addingTimeInterval(-Double(today - day) * 86_400)
    }

    /// The day number and the seconds into that day of a moment, in `zone`.
    static func split(_ date: Date, _ zone: TimeZone) -> (day: Int, into: Double) {
        let local = date.timeIntervalSince1970 + Double(zone.secondsFromGMT(for: date))
        let day = Int((local / 86_400).rounded(.down))
        return (day, local - Double(day) * 86_400)
    }

    static func moment(_ day: Int, _ seconds: Double, _ zone: TimeZone) -> Date {
        let local = Double(day) * 86_400 + seconds
        let guess = Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT()))
        return Date(timeIntervalSince1970: local - Double(zone.secondsFromGMT(for: guess)))
    }
}
