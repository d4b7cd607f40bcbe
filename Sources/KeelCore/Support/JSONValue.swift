import Foundation

/// A JSON value. Records, metadata and API bodies are exchanged as `JSONValue` so that
/// objects defined at runtime need no Swift type of their own.
///
/// A number is a `Decimal`, read from the JSON text digit for digit: `33.33` is 33.33, not the binary fraction nearest
/// it, so money is exact from the request through formulas and storage to the response (see the guide's "Money").
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Decimal)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public var isNull: Bool { if case .null = self { true } else { false } }
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    public var numberValue: Decimal? { if case .number(let n) = self { n } else { nil } }
    /// The number as a double, for measures that are not money (scores, probabilities, shares, statistics).
    public var doubleValue: Double? { numberValue?.double }
    /// The value as a whole number: nil for anything else, a fraction, or a number no `Int` holds (`-3.2e37`) —
    /// never a trap. Every number read from a request or from stored data is turned into an `Int` through this.
    public var intValue: Int? { numberValue?.integer }
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { o } else { nil } }

    public subscript(key: String) -> JSONValue? { objectValue?[key] }

    /// The name of the JSON type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Most values are text, then numbers: try them first, since every failed attempt throws.
        if container.decodeNil() {
            self = .null
        } else if let s = try? container.decode(String.self) {
            self = .string(s)
        } else if let n = try? container.decode(Decimal.self) {
            self = .number(n)
        } else if let n = try? container.decode(Double.self) {
            // A number a double holds but a decimal does not (38 digits, exponents −128…127) saturates, as a double's own
            // underflow and overflow do: below that range it is zero; above it the largest decimal, which every field
            // Keel keeps refuses as too large (and a member nobody reads may carry).
            self = .number(abs(n) < 1 ? 0 : n < 0 ? -Decimal.greatestFiniteMagnitude : .greatestFiniteMagnitude)
        } else if let b = try? container.decode(Bool.self) {
            self = .bool(b)
        } else if let a = try? container.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let b): try container.encode(b)
        case .number(let n): try container.encode(n)
        case .string(let s): try container.encode(s)
        case .array(let a): try container.encode(a)
        case .object(let o): try container.encode(o)
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .number(Decimal(value)) }
    /// `0.13` written in Swift is the decimal 0.13 (through its shortest text), not the double's binary expansion.
    public init(floatLiteral value: Double) { self.init(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension JSONValue {
    /// A measure that is not money (a score, a share, a mean) as a JSON number: the decimal of the double's shortest
    /// text (`0.1` is 0.1); null for infinity or NaN, which JSON has no number for.
    public init(_ value: Double) {
        guard value.isFinite, let d = Decimal(string: "\(value)", locale: Decimal.posix), !d.isNaN else { self = .null; return }
        self = .number(d)
    }

    public init(_ value: some BinaryInteger) { self = .number(Decimal(Int(value))) }

    /// Canonical JSON text: keys sorted by their UTF-8 bytes, no whitespace, slashes unescaped. Used for storage and
    /// for hashing, so it is byte for byte what `JSONEncoder` writes with `.sortedKeys` and `.withoutEscapingSlashes`
    /// (stored hashes were computed over that text); written directly, since every write hashes its history.
    public func canonicalText() -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        writeCanonical(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private func writeCanonical(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .number(let n): out.append(contentsOf: n.description.utf8)
        case .string(let s): Self.writeCanonical(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, element) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                element.writeCanonical(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let o): Self.writeCanonical(members: Array(o), to: &out)
        }
    }

    /// The canonical text of an object with these members, without building it (a hash input written per change).
    public static func canonicalText(members: [(key: String, value: JSONValue)]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        writeCanonical(members: members, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    private static func writeCanonical(members: [(key: String, value: JSONValue)], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "{"))
        for (i, (key, value)) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }).enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            writeCanonical(key, to: &out)
            out.append(UInt8(ascii: ":"))
            value.writeCanonical(to: &out)
        }
        out.append(UInt8(ascii: "}"))
    }

    /// A JSON string: quotes, backslashes and control characters escaped (\b \f \n \r \t, else \u00XX), the rest as is.
    private static let hexDigits = Array("0123456789abcdef".utf8)

    private static func writeCanonical(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), byte])
            case 0x08: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x00..<0x20: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hexDigits[Int(byte >> 4)], hexDigits[Int(byte & 0xF)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Indented JSON text with sorted keys, for people to read and edit.
    public func prettyText() -> String { text([.sortedKeys, .withoutEscapingSlashes, .prettyPrinted]) }

    func text(_ formatting: JSONEncoder.OutputFormatting) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = formatting
        // Encoding a JSONValue cannot fail: every case maps to a JSON value.
        let data = (try? encoder.encode(self)) ?? Data("null".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Parses JSON text. Throws `KeelError.badRequest` for invalid UTF-8 or malformed JSON.
    public static func parse(_ data: some Collection<UInt8>) throws(KeelError) -> JSONValue {
        let bytes = Data(data)
        guard String(data: bytes, encoding: .utf8) != nil else {
            throw KeelError(.badRequest, code: "invalid_utf8", message: "The request body is not valid UTF-8.")
        }
        do {
            return try JSONDecoder().decode(JSONValue.self, from: bytes)
        } catch {
            throw KeelError(.badRequest, code: "malformed_json", message: "The request body is not valid JSON.")
        }
    }

    public static func parse(text: String) throws(KeelError) -> JSONValue {
        try parse(Array(text.utf8))
    }
}

extension [String: JSONValue] {
    /// The whole number at `key`, `fallback` when it is absent or null; anything else — text, a fraction, a number
    /// outside `range` — is a 422 naming the field and the range.
    public func integer(_ key: String, in range: ClosedRange<Int>, default fallback: Int) throws(KeelError) -> Int {
        guard let value = self[key], !value.isNull else { return fallback }
        guard let n = value.intValue, range.contains(n) else {
            throw KeelError.validation([Violation(field: key, code: "out_of_range",
                                                  message: "\(key) is a whole number from \(range.lowerBound) to \(range.upperBound).")])
        }
        return n
    }

    /// A violation for each member present (not null) whose JSON type is not the one expected (`typeName`: "string",
    /// "number", "array", …): a member of the wrong type is never read as "not sent".
    public func wrongTypes(_ expected: [String: String]) -> [Violation] {
        expected.keys.sorted().compactMap { key in
            guard let value = self[key], !value.isNull, value.typeName != expected[key] else { return nil }
            return Violation(field: key, code: "invalid_type", message: "\(key) must be of JSON type \(expected[key]!), not \(value.typeName).")
        }
    }

    /// The text at `key`; nil when it is absent or null; anything else is a 422 naming the field.
    public func text(_ key: String) throws(KeelError) -> String? {
        let wrong = wrongTypes([key: "string"])
        guard wrong.isEmpty else { throw KeelError.validation(wrong) }
        return self[key]?.stringValue
    }
}
