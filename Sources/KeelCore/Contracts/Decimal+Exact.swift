import Foundation

/// Money and rates are `Decimal`s from the request to the column: never a binary fraction in a calculation.
extension Decimal {
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
        guard digits > 0, bytes.last != UInt8(ascii: "."), digits <= 30, let value = Decimal(string: String(text), locale: Locale(identifier: "en_US_POSIX")) else { return nil }
        self = value
    }

    /// A JSON value as an exact decimal: a decimal string, or a number. A JSON number reaches Keel as a double; its
    /// shortest decimal text is the number as it was written whenever that had at most 15 significant digits, which
    /// every amount Keel accepts has (below 10¹³, to the fen), so nothing is lost on the way.
    public init?(exactly value: JSONValue) {
        switch value {
        case .string(let s): self.init(exactText: s)
        case .number(let n) where n.isFinite:
            // Swift writes the shortest text that reads back as the same double ("33.33", "1e-07").
            guard let d = Decimal(string: "\(n)", locale: Locale(identifier: "en_US_POSIX")) else { return nil }
            self = d
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

    /// The value as JSON carries it inside Keel's records (see `init(exactly:)`).
    /// Read from its text, so the double is the one nearest the decimal (the one `init(exactly:)` reads back).
    public var jsonNumber: JSONValue { .number(Double("\(self)") ?? 0) }

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
    public var yuan: String {
        let text = (self < 0 ? -self : self).text(places: 2)
        let parts = text.split(separator: ".")
        var whole = String(parts[0]), grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole = String(whole.dropLast(3))
        }
        return (self < 0 ? "-¥" : "¥") + whole + grouped + "." + parts[1]
    }
}
