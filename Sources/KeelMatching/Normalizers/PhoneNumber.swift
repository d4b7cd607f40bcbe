import Foundation

/// A phone number as entered, and — when it can be read — its E.164 form and extension. Chinese numbers are read
/// as written in China: mobiles (`138 1234 5678`), landlines with an area code (`021-6587-8888#123`,
/// `(0755)86013388转8888`, `0755-86013388-8888`, `… ext. 12`), with or without `+86` / `0086`; other countries'
/// numbers in international form (`+1 415 555 2671`) are kept in E.164 without per-country checks. A number that
/// cannot be read (masked `138****1234`, too short, unknown segment) keeps what was entered and says why.
public struct PhoneNumber: Hashable, Sendable {
    public enum Kind: String, Sendable { case mobile, landline, service, international }

    public var entered: String
    public var e164: String?
    public var ext: String?
    public var kind: Kind?
    /// Why the number could not be read; nil when it was.
    public var problem: String?

    public var isValid: Bool { problem == nil }

    public init(_ text: String) {
        entered = text
        var s = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        if s.contains("*") {
            problem = "masked"
            return
        }
        // An extension written out: #123, 转123, 分机123, ext. 123, x123.
        for marker in ["分机", "转", "#", "ext.", "ext", "x"] {
            guard let range = s.range(of: marker, options: [.backwards, .caseInsensitive]) else { continue }
            let tail = s[range.upperBound...].trimmingCharacters(in: .whitespaces)
            guard (1...6).contains(tail.count), tail.allSatisfy(\.isASCIIDigit) else { continue }
            ext = tail
            s = String(s[..<range.lowerBound])
            break
        }
        let international = s.hasPrefix("+") || s.hasPrefix("00")
        let groups = s.split(whereSeparator: { " -./()\u{3000}".contains($0) }).map(String.init)
        guard !groups.isEmpty, groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) || $0.hasPrefix("+") && $0.dropFirst().allSatisfy(\.isASCIIDigit) }) else {
            problem = "not a phone number"
            return
        }
        var digits = groups.joined().filter(\.isASCIIDigit)
        if international {
            if digits.hasPrefix("00") { digits.removeFirst(2) }
            guard digits.hasPrefix("86") else {
                guard (8...15).contains(digits.count), digits.first != "0" else {
                    problem = "not an international number"
                    return
                }
                (e164, kind) = ("+" + digits, .international)
                return
            }
            digits.removeFirst(2)
        } else if digits.hasPrefix("86"), digits.count == 13, digits.dropFirst(2).first == "1" {
            digits.removeFirst(2)   // 86 13812345678 written without the +
        }
        // A landline's extension after a third group: 0755-86013388-8888.
        if ext == nil, groups.count >= 3, let last = groups.last, (1...5).contains(last.count),
           Self.national(String(digits.dropLast(last.count))) != nil, Self.national(digits) == nil {
            ext = last
            digits.removeLast(last.count)
        }
        guard let (national, kind) = Self.national(digits) else {
            problem = "not a valid Chinese number"
            return
        }
        (e164, self.kind) = ("+86" + national, kind)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
