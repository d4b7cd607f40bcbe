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
    public var problem: Problem?

    /// What rules a number out, in terms a person can act on.
    public enum Problem: Hashable, Sendable, CustomStringConvertible {
        /// Digits hidden behind `*` (`138****1234`).
        case masked
        /// Letters or signs that are no part of a phone number.
        case notANumber
        /// `+…` or `00…` of another country, but not 8–15 digits.
        case notInternational
        /// A mobile (starting 1) with the wrong number of digits.
        case mobileLength(digits: Int)
        /// Eleven digits starting 1, in a segment not used for voice (146, 148, 149, most of 174).
        case mobileSegment(String)
        /// An area code that is not in use.
        case unknownArea(String)
        /// The right area code, the wrong length behind it (area with its trunk 0).
        case localLength(area: String, expected: ClosedRange<Int>, digits: Int)
        /// Too short to be anything but a short service number, which needs its area code.
        case tooShort(digits: Int)
        /// Anything else the plan rules out (Beijing's and Shanghai's 100…/800… and so on).
        case notInPlan

        public var description: String {
            switch self {
            case .masked: "masked"
            case .notANumber: "not a phone number"
            case .notInternational: "not an international number"
            case .mobileLength(let n): "a mobile number has 11 digits (this one has \(n))"
            case .mobileSegment(let s): "\(s) is not a mobile segment in use"
            case .unknownArea(let a): "area code \(a) is not in use"
            case .localLength(let a, let e, let n): "behind area code \(a) come \(e.lowerBound == e.upperBound ? "\(e.lowerBound)" : "\(e.lowerBound)–\(e.upperBound)") digits (this one has \(n))"
            case .tooShort(let n): "\(n) digits are too few for a phone number; write a landline with its area code"
            case .notInPlan: "not a valid Chinese number"
            }
        }
    }

    public var isValid: Bool { problem == nil }

    /// What separates a number's groups of digits.
    static let separators = " -./()\u{3000}"

    public init(_ text: String) {
        entered = text
        // NFKC changes no ASCII: most numbers skip it.
        var s = (text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCompatibilityMapping).trimmed
        if s.contains("*") {
            problem = .masked
            return
        }
        // An extension written out: #123, 转123, 分机123, ext. 123, x123 (none in a number of digits and separators).
        let plain = s.utf8.allSatisfy { (0x30...0x39).contains($0) || " -./()+".utf8.contains($0) }
        for marker in ["分机", "转", "#", "ext.", "ext", "x"] where !plain {
            guard let range = s.range(of: marker, options: [.backwards, .caseInsensitive]) else { continue }
            let tail = s[range.upperBound...].trimmed
            guard (1...6).contains(tail.count), tail.allSatisfy(\.isASCIIDigit) else { continue }
            ext = tail
            s = String(s[..<range.lowerBound])
            break
        }
        let international = s.hasPrefix("+") || s.hasPrefix("00")
        let groups = s.split(whereSeparator: { Self.separators.contains($0) }).map(String.init)
        guard !groups.isEmpty, groups.allSatisfy({ $0.allSatisfy(\.isASCIIDigit) || $0.hasPrefix("+") && $0.dropFirst().allSatisfy(\.isASCIIDigit) }) else {
            problem = .notANumber
            return
        }
        var digits = groups.joined().filter(\.isASCIIDigit)
        if international {
            if digits.hasPrefix("00") { digits.removeFirst(2) }
            guard digits.hasPrefix("86") else {
                guard (8...15).contains(digits.count), digits.first != "0" else {
                    problem = .notInternational
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
            problem = Self.diagnose(digits)
            return
        }
        (e164, self.kind) = ("+86" + national, kind)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
