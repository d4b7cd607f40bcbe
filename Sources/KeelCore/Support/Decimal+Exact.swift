import Foundation

/// Every number in Keel is a `Decimal` (see `JSONValue.number`): money and rates never pass through a binary fraction.
extension Decimal {
    /// Decimal text is read with a point, whatever the machine's locale; made once (it is read for every number stored).
    static let posix = Locale(identifier: "en_US_POSIX")

    /// A decimal as written in JSON or a form: `-12.5`, `0.13`, `1200` — digits, one optional point, an optional
    /// leading minus; nothing else (no exponent, no grouping, no sign of a currency). Nil for anything else.
    public init?(exactText text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var i = bytes.first == UInt8(ascii: "-") ? 1 : 0
        var digits = 0, point = false
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits += 1
            case UInt8(ascii: ".") where !point && digits > 0: point = true
            default: return nil
            }
            i += 1
        }
        guard digits > 0, bytes.last != UInt8(ascii: "."), digits <= 30, let value = Decimal(string: String(text), locale: Self.posix) else { return nil }
        self = value
    }

    /// A JSON value as an exact decimal: a decimal string, or a number (which is a decimal already).
    public init?(exactly value: JSONValue) {
        switch value {
        case .string(let s): self.init(exactText: s)
        case .number(let n) where !n.isNaN: self = n
        default: return nil
        }
    }

    /// The number of digits after the point as written (`1.50` has one: trailing zeros do not count).
    public var scale: Int {
        var places = 0
        while places < 38, rounded(places, .halfUp) != self { places += 1 }
        return places
    }

    /// The value rounded to `places` digits after the point by `mode`.
    public func rounded(_ places: Int, _ mode: RoundingRule.Mode) -> Decimal {
        var value = self, result = Decimal()
        NSDecimalRound(&result, &value, places, mode == .halfEven ? .bankers : .plain)
        return result
    }

    /// The whole number this is, if it is one and an `Int` holds it; never a trap.
    public var integer: Int? {
        guard !isNaN, rounded(0, .halfUp) == self, abs(self) < 9_000_000_000_000_000_000 else { return nil }
        return Int(description)
    }

    /// The nearest double, for what is measured rather than counted in money (seconds, a chart's scale).
    public var double: Double { Double(description) ?? .nan }

    /// The decimal a number written as a double reads (`1e3`, `+5`, `.5`, `-0.25`), taken from its text, not through
    /// the double; nil for anything a double does not read or that is not finite.
    public init?(numberText text: String) {
        guard let d = Double(text), d.isFinite,
              let n = Decimal(string: text.hasPrefix("+") ? String(text.dropFirst()) : text, locale: Self.posix), !n.isNaN else { return nil }
        self = n
    }

    /// Whether a double column (a number field that is not money) keeps this decimal unchanged: up to 15 significant
    /// digits it does, since a double's shortest text reads back as the decimal it was made from.
    public var fitsDouble: Bool { JSONValue(double).numberValue == self }

    /// The decimal as a JSON number.
    public var json: JSONValue { .number(self) }

    /// Plain decimal text with `places` digits after the point: `1130.00`.
    public func text(places: Int) -> String {
        let rounded = rounded(places, .halfUp)
        let negative = rounded < 0
        var text = "\(negative ? -rounded : rounded)"
        if places > 0 {
            if !text.contains(".") { text += "." }
            let have = text.split(separator: ".", omittingEmptySubsequences: false)[1].count
            text += String(repeating: "0", count: max(0, places - have))
        }
        return (negative ? "-" : "") + text
    }

    /// An amount in yuan as people write it: `¥1,924,000.00`, `-¥3.00`.
    public var yuan: String { (self < 0 ? "-¥" : "¥") + (self < 0 ? -self : self).grouped(places: 2) }

    /// Rounded half-up to `places` and grouped by thousands as people write it: `-1,924,000.00`.
    public func grouped(places: Int) -> String {
        let text = (self < 0 ? -self : self).text(places: places)
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        var whole = String(parts[0]), grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        return (self < 0 && text.contains(where: { $0 != "0" && $0 != "." }) ? "-" : "") + whole + grouped + (parts.count > 1 ? "." + parts[1] : "")
    }
}
