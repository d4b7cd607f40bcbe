import Foundation

/// The watermark printed on sensitive (L3+) records and on exports: who is looking, and when.
public enum Watermark {
    public static func text(for principal: Principal, timeZone: TimeZone, at date: Date = Date()) -> String {
        "\(principal.email) | \(date.formatted(Date.ISO8601FormatStyle(timeZone: timeZone)))"
    }
}
