import Foundation

/// The 18-character resident identity number (GB 11643-1999): six digits of region, eight of birth date, three of
/// sequence, one check character (`0`–`9` or `X`).
public enum ResidentID {
    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checks = Array("10X98765432")

    /// The number as stored: folded to half-width, upper-case X, no spaces; nil when it is not a valid number.
    public static func normalize(_ text: String) -> String? {
        let id = text.precomposedStringWithCompatibilityMapping.uppercased().filter { !$0.isWhitespace }
        guard id.count == 18 else { return nil }
        let chars = Array(id)
        let digits = chars.prefix(17).compactMap(\.wholeNumberValue)
        guard digits.count == 17, chars[17] == checks[zip(digits, weights).map(*).reduce(0, +) % 11] else { return nil }
        guard birthDate(of: id) != nil else { return nil }
        return id
    }

    public static func isValid(_ text: String) -> Bool { normalize(text) != nil }

    /// The birth date in the number (`YYYYMMDD` at 7–14), when it is a real day between 1900 and today.
    public static func birthDate(of id: String) -> DateComponents? {
        let chars = Array(id)
        guard chars.count == 18, let y = Int(String(chars[6..<10])), let m = Int(String(chars[10..<12])), let d = Int(String(chars[12..<14])) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai")!
        let parts = DateComponents(year: y, month: m, day: d)
        guard y >= 1900, let date = calendar.date(from: parts), date <= Date(),
              calendar.dateComponents([.year, .month, .day], from: date) == parts else { return nil }
        return parts
    }
}
