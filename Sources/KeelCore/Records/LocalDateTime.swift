import Foundation

/// A date-time as people type it, read in the organisation's zone: `2026-11-30 10:30`, `2026/11/30 10:30`, the
/// browser picker's `2026-11-30T10:30`, `11月30日 10:30` or `11-30 10:30` (this year), `今天 10:30`, `明天 下午3点`,
/// `后天 9点半`, `tomorrow 10:30`; an ISO 8601 instant with an offset as it is. Nil for anything else.
public enum LocalDateTime {
    public static func parse(_ text: String, in zone: TimeZone, now: Date) -> Date? {
        let s = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if let exact = ValueFormats.parseDateTime(s) { return exact }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let today = calendar.dateComponents([.year, .month, .day], from: now)
        var rest = Substring(s.lowercased())
        var day: DateComponents?
        for (word, offset) in relativeDays where rest.hasPrefix(word) {
            guard let date = calendar.date(byAdding: .day, value: offset, to: calendar.date(from: today)!) else { return nil }
            day = calendar.dateComponents([.year, .month, .day], from: date)
            rest = rest.dropFirst(word.count)
            break
        }
        if day == nil {
            guard let (date, after) = Self.date(rest, year: today.year!) else { return nil }
            (day, rest) = (date, after)
        }
        guard var components = day, let (hour, minute) = Self.time(rest.drop { " t".contains($0) }) else { return nil }
        components.hour = hour
        components.minute = minute
        guard let date = calendar.date(from: components), calendar.dateComponents([.year, .month, .day], from: date) == day else { return nil }
        return date
    }

    static let relativeDays: [(String, Int)] = [("大后天", 3), ("前天", -2), ("昨天", -1), ("今天", 0), ("明天", 1), ("后天", 2),
                                                ("yesterday", -1), ("today", 0), ("tomorrow", 1)]

    /// `2026-11-30`, `2026/11/30`, `2026年11月30日`, or without the year (`11-30`, `11月30日`), and what follows it.
    static func date(_ s: Substring, year: Int) -> (DateComponents, Substring)? {
        var numbers: [Int] = [], rest = s
        while numbers.count < 3 {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, digits.count <= 4, let n = Int(digits) else { break }
            numbers.append(n)
            rest = rest.dropFirst(digits.count)
            guard let separator = rest.first, "-/.年月".contains(separator) else {
                if rest.first == "日" || rest.first == "号" { rest = rest.dropFirst() }
                break
            }
            rest = rest.dropFirst()
        }
        if rest.first == "日" || rest.first == "号" { rest = rest.dropFirst() }
        let (y, m, d): (Int, Int, Int)
        switch numbers.count {
        case 3 where numbers[0] >= 1000: (y, m, d) = (numbers[0], numbers[1], numbers[2])
        case 2: (y, m, d) = (year, numbers[0], numbers[1])
        default: return nil
        }
        guard (1...12).contains(m), (1...31).contains(d) else { return nil }
        return (DateComponents(year: y, month: m, day: d), rest)
    }

    /// `10:30`, `10:30:00`, `10点`, `10点半`, `10点15分`, each perhaps after 上午/中午/下午/晚上/am/pm.
    static func time(_ s: Substring) -> (Int, Int)? {
        var rest = s.trimmingCharacters(in: .whitespaces)[...]
        var afternoon = false
        for (word, pm) in [("上午", false), ("早上", false), ("中午", true), ("下午", true), ("晚上", true)] where rest.hasPrefix(word) {
            afternoon = pm
            rest = rest.dropFirst(word.count).drop { $0 == " " }
        }
        for (word, pm) in [("pm", true), ("am", false)] where rest.hasSuffix(word) {
            afternoon = pm
            rest = rest.dropLast(word.count).trimmingCharacters(in: .whitespaces)[...]
        }
        let hourDigits = rest.prefix { $0.isASCII && $0.isNumber }
        guard (1...2).contains(hourDigits.count), var hour = Int(hourDigits) else { return nil }
        rest = rest.dropFirst(hourDigits.count)
        var minute = 0
        if rest.first == ":" || rest.first == "：" {
            let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            guard digits.count == 2, let m = Int(digits) else { return nil }
            minute = m
            rest = rest.dropFirst(1 + digits.count)
            if rest.hasPrefix(":") {  // seconds, dropped
                let seconds = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard seconds.count == 2 else { return nil }
                rest = rest.dropFirst(3)
            }
        } else if rest.first == "点" || rest.first == "时" {
            rest = rest.dropFirst()
            if rest.first == "半" {
                (minute, rest) = (30, rest.dropFirst())
            } else {
                let digits = rest.prefix { $0.isASCII && $0.isNumber }
                if !digits.isEmpty {
                    guard let m = Int(digits) else { return nil }
                    minute = m
                    rest = rest.dropFirst(digits.count)
                    if rest.first == "分" { rest = rest.dropFirst() }
                }
            }
        } else {
            return nil
        }
        guard rest.trimmingCharacters(in: .whitespaces).isEmpty, (0...59).contains(minute) else { return nil }
        if afternoon, hour < 12 { hour += 12 }
        guard (0...23).contains(hour) else { return nil }
        return (hour, minute)
    }
}
