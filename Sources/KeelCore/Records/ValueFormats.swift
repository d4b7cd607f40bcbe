import Foundation

/// Format checks shared by validation and filter parsing.
public enum ValueFormats {
    /// `YYYY-MM-DD` that names a real calendar day.
    public static func isDate(_ s: String) -> Bool {
        let parts = s.split(separator: "-", omittingEmptySubsequences: false)
        guard s.count == 10, parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]), (1...12).contains(m), d >= 1
        else { return false }
        let days = [31, (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return d <= days[m - 1]
    }

    /// Whole days from one day (`YYYY-MM-DD`) to another, negative when it is earlier; nil when either is not a day.
    public static func daysBetween(_ from: String, _ to: String) -> Int? {
        guard isDate(from), isDate(to) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        func day(_ s: String) -> Date? {
            let p = s.split(separator: "-").compactMap { Int($0) }
            return calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2]))
        }
        guard let a = day(from), let b = day(to) else { return nil }
        return calendar.dateComponents([.day], from: a, to: b).day
    }

    /// The day (`YYYY-MM-DD`) `days` after another; nil when it is not a day.
    public static func day(_ day: String, plus days: Int) -> String? {
        guard isDate(day) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let p = day.split(separator: "-").compactMap { Int($0) }
        guard let date = calendar.date(from: DateComponents(year: p[0], month: p[1], day: p[2])),
              let later = calendar.date(byAdding: .day, value: days, to: date) else { return nil }
        let c = calendar.dateComponents([.year, .month, .day], from: later)
        return String(format: "%04d-%02d-%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    static let withFraction = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    static let withoutFraction = Date.ISO8601FormatStyle(timeZone: .gmt)

    /// Parses an ISO 8601 date-time with offset (fractional seconds optional).
    /// The organisation's time zone: `KEEL_TIME_ZONE` (e.g. `Asia/Shanghai`, the default).
    public static func organisationTimeZone(from environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeZone {
        environment["KEEL_TIME_ZONE"].flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Asia/Shanghai")!
    }

    /// An instant as people read it on a page, to the minute in `zone`: `2026-11-30 10:30`.
    public static func formatLocal(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: date)
        return String(format: "%04d-%02d-%02d %02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0)
    }

    public static func parseDateTime(_ s: String) -> Date? {
        if let stored = storedDateTime(s) { return stored }
        // The format styles read a date-time at the start and ignore what follows (`…Z*`): only the date-time's own
        // characters, ending in `Z` or an offset's minutes, are read.
        guard let last = s.last, last == "Z" || last.isASCII && last.isNumber,
              s.unicodeScalars.allSatisfy({ "0123456789-:T.+Z".unicodeScalars.contains($0) }) else { return nil }
        return (try? withFraction.parse(s)) ?? (try? withoutFraction.parse(s))
    }

    /// The form Keel stores (`2026-11-30T02:30:00.000Z`, what `formatDateTime` writes) read directly: a forecast reads a
    /// million of them, and a format style takes microseconds each. Nil for any other form.
    static func storedDateTime(_ s: String) -> Date? {
        s.utf8.withContiguousStorageIfAvailable { b -> Date? in
            guard b.count == 24, b[4] == 45, b[7] == 45, b[10] == 84, b[13] == 58, b[16] == 58, b[19] == 46, b[23] == 90 else { return nil }
            func n(_ from: Int, _ count: Int) -> Int? {
                var v = 0
                for i in from..<from + count {
                    let d = Int(b[i]) - 48
                    guard (0...9).contains(d) else { return nil }
                    v = v * 10 + d
                }
                return v
            }
            guard let y = n(0, 4), let m = n(5, 2), let d = n(8, 2), let h = n(11, 2), let mi = n(14, 2), let sec = n(17, 2), let ms = n(20, 3),
                  (1...12).contains(m), (1...31).contains(d), h < 24, mi < 60, sec < 60 else { return nil }
            // Days from the civil date (Howard Hinnant's days_from_civil).
            let yy: Int = m <= 2 ? y - 1 : y
            let era: Int = yy / 400
            let yoe: Int = yy - era * 400
            let shifted: Int = m > 2 ? m - 3 : m + 9
            let doy: Int = (153 * shifted + 2) / 5 + d - 1
            let days: Int = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468
            let seconds: Int = days * 86_400 + h * 3_600 + mi * 60 + sec
            return Date(timeIntervalSince1970: Double(seconds * 1_000 + ms) / 1_000)
        } ?? nil
    }

    /// UTC, millisecond precision (rounded to the nearest, so that a time read back writes the same text), fixed width,
    /// so text order is time order.
    public static func formatDateTime(_ date: Date) -> String {
        let ms = Int((date.timeIntervalSince1970 * 1_000).rounded())
        let days = ms >= 0 ? ms / 86_400_000 : (ms - 86_399_999) / 86_400_000
        let inDay = ms - days * 86_400_000
        // The civil date of a day number (Howard Hinnant's civil_from_days).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        // Digits written out (String(format:) goes through Foundation's formatter, a measurable cost on every write).
        func digits(_ n: Int, _ width: Int) -> String {
            let text = String(n)
            return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
        }
        return "\(digits(year, 4))-\(digits(month, 2))-\(digits(day, 2))T\(digits(inDay / 3_600_000, 2)):\(digits(inDay / 60_000 % 60, 2)):"
            + "\(digits(inDay / 1_000 % 60, 2)).\(digits(inDay % 1_000, 3))Z"
    }

    /// The first control character in `s` (a NUL, an escape, …), tabs and line breaks allowed only with `lines`: text
    /// that holds one would show differently from what is stored.
    public static func controlCharacter(in s: String, lines: Bool = false) -> Unicode.Scalar? {
        s.unicodeScalars.first { $0.properties.generalCategory == .control && !(lines && ($0 == "\t" || $0 == "\n")) }
    }

    public static func isEmail(_ s: String) -> Bool {
        let parts = s.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty && $0.count <= 63 }) else { return false }
        let localAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "!#$%&'*+/=?^_`{|}~.-"))
        let domainAllowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-."))
        return parts[0].unicodeScalars.allSatisfy(localAllowed.contains)
            && domain.unicodeScalars.allSatisfy(domainAllowed.contains)
            && !domain.hasPrefix("-") && !parts[0].hasPrefix(".") && !parts[0].hasSuffix(".")
    }

    /// Adds `https://` when the scheme is missing; nil unless the result is an http(s) URL with a dotted host.
    public static func normalizeURL(_ s: String) -> String? {
        let candidate = s.contains("://") ? s : "https://" + s
        guard !candidate.contains(where: \.isWhitespace),
              let url = URL(string: candidate), let scheme = url.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = url.host, host.contains("."),
              !host.hasPrefix("."), !host.hasSuffix(".")
        else { return nil }
        return candidate
    }
}
