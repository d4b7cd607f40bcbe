import Foundation
import KeelCore
import Testing

@Suite struct JSONValueTests {
    /// The canonical text is hashed into the field history, so it must stay byte for byte what `JSONEncoder` wrote
    /// when those hashes were made (sorted keys, slashes unescaped): 5,000 random values — Chinese, emoji, control
    /// characters, quotes and slashes in keys and strings; whole, fractional, huge and negative numbers; nesting.
    @Test func canonicalTextIsWhatJSONEncoderWrites() throws {
        var rng = SeededGenerator(seed: 20_261_201)
        let pieces = ["a", "Z", "_", "名称", "客户", "😀", "\"", "\\", "/", "\n", "\t", "\r", "\u{08}", "\u{0C}", "\u{01}", "\u{1F}", "\u{7F}",
                      "\u{2028}", "é", "e\u{301}", " ", "10", "9", "B", "b", "ａ"]
        func text() -> String { (0..<Int.random(in: 0...6, using: &rng)).map { _ in pieces.randomElement(using: &rng)! }.joined() }
        func number() -> Double {
            switch Int.random(in: 0...5, using: &rng) {
            case 0: Double(Int.random(in: -1_000_000...1_000_000, using: &rng))
            case 1: Double.random(in: -1e6...1e6, using: &rng)
            case 2: Double(Int.random(in: 0...99_999, using: &rng)) / 100
            case 3: [1e15, -1e15, 1e21, 123_456_789_012_345_678, 0.1, -0.0, 5e-324][Int.random(in: 0...6, using: &rng)]
            default: Double(Int.random(in: 0...20, using: &rng))
            }
        }
        func value(_ depth: Int) -> JSONValue {
            switch Int.random(in: 0...(depth < 3 ? 6 : 4), using: &rng) {
            case 0: .null
            case 1: .bool(Bool.random(using: &rng))
            case 2: JSONValue(number())
            case 3, 4: .string(text())
            case 5: .array((0..<Int.random(in: 0...4, using: &rng)).map { _ in value(depth + 1) })
            default: .object(Dictionary((0..<Int.random(in: 0...5, using: &rng)).map { _ in (text(), value(depth + 1)) }, uniquingKeysWith: { a, _ in a }))
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        for _ in 0..<5_000 {
            let v = value(0)
            let expected = String(decoding: try encoder.encode(v), as: UTF8.self)
            #expect(v.canonicalText() == expected)
        }
    }

    /// Numbers are read digit for digit as decimals, and written back as read.
    @Test func numbersAreExactDecimals() throws {
        let v = try JSONValue.parse(text: "[0.1, 33.33, 12345678901234567.89, 1.50, 1e-7, -0, 1e-200, 3]")
        #expect(v.canonicalText() == "[0.1,33.33,12345678901234567.89,1.5,0.0000001,0,0,3]")
        #expect(v.arrayValue?[1] == .number(Decimal(string: "33.33")!) && v.arrayValue?[1] == 33.33)
        #expect(JSONValue(0.1 + 0.2) == .number(Decimal(string: "0.30000000000000004")!))
        #expect(JSONValue(Double.nan) == .null && JSONValue(7) == .number(7))
        #expect(try JSONValue.parse(text: "[2.0]").arrayValue?.first?.intValue == 2 && JSONValue.number(Decimal(string: "2.5")!).intValue == nil)
        #expect(JSONValue.number(Decimal(string: "1e30")!).intValue == nil)
        // Beyond what a decimal holds (about 10^165) a number saturates, as a double would: no field takes it.
        #expect(try JSONValue.parse(text: "[1e300, -1.7976931348623157e308]") == [.number(.greatestFiniteMagnitude), .number(-.greatestFiniteMagnitude)])
    }

    @Test func canonicalTextOfKnownValues() {
        let v: JSONValue = ["b": [1, 2.5, "x/y"], "a": ["名": "张\"三\"\n"], "B": nil, "a10": true, "a9": -0.0]
        #expect(v.canonicalText() == #"{"B":null,"a":{"名":"张\"三\"\n"},"a10":true,"a9":0,"b":[1,2.5,"x/y"]}"#)
    }
}
