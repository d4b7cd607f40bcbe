import Foundation

/// A formula as written, parsed: spreadsheet-style expressions over a record's fields
/// (`IF(ISBLANK(amount), 0, amount * 1.13)`). Every node knows where it starts (1-based character position).
public struct FormulaExpr: Hashable, Sendable {
    public indirect enum Kind: Hashable, Sendable {
        case number(Decimal)
        case text(String)
        case boolean(Bool)
        case null
        /// A field by API name, or a path through references (`account.industry`).
        case field([String])
        /// `-x`
        case negate(FormulaExpr)
        case binary(BinaryOperator, FormulaExpr, FormulaExpr)
        /// A function call, name in upper case.
        case call(String, [FormulaExpr])
    }

    public var kind: Kind
    public var position: Int

    public init(_ kind: Kind, at position: Int) {
        self.kind = kind
        self.position = position
    }
}

public enum BinaryOperator: String, Hashable, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", concat = "&"
    case equal = "=", notEqual = "<>", less = "<", greater = ">", lessOrEqual = "<=", greaterOrEqual = ">="

    /// Binding strength: comparison < concatenation < addition < multiplication.
    var precedence: Int {
        switch self {
        case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual: 1
        case .concat: 2
        case .add, .subtract: 3
        case .multiply, .divide: 4
        }
    }
}

/// A problem with a formula, and where it is.
public struct FormulaError: Error, Hashable, Sendable {
    public var message: String
    /// 1-based character position in the formula text.
    public var position: Int

    public init(_ message: String, at position: Int) {
        self.message = message
        self.position = position
    }

    /// "… at position 12", as violations report it.
    public var description: String { "\(message) (at position \(position))" }
}

/// The tokens of a formula.
struct FormulaToken: Hashable {
    enum Kind: Hashable {
        case number(Decimal), text(String), identifier(String), op(String), openParen, closeParen, comma, end
    }
    var kind: Kind
    var position: Int
}

/// Splits formula text into tokens.
enum FormulaLexer {
    /// Formulas longer than this are refused: configuration, not programs.
    static let maxLength = 4_000

    static func tokens(_ text: String) throws(FormulaError) -> [FormulaToken] {
        let chars = Array(text)
        guard chars.count <= maxLength else { throw FormulaError("A formula has at most \(maxLength) characters", at: maxLength) }
        var out: [FormulaToken] = []
        var i = 0
        while i < chars.count {
            let c = chars[i]
            let start = i + 1
            if c.isWhitespace {
                i += 1
            } else if c.isASCII && c.isNumber || (c == "." && i + 1 < chars.count && chars[i + 1].isASCII && chars[i + 1].isNumber) {
                var j = i
                while j < chars.count, chars[j].isASCII && (chars[j].isNumber || chars[j] == ".") { j += 1 }
                let literal = String(chars[i..<j])
                guard let n = Decimal(exactText: literal.hasPrefix(".") ? "0" + literal : literal) else { throw FormulaError("\(String(chars[i..<j])) is not a number", at: start) }
                out.append(FormulaToken(kind: .number(n), position: start))
                i = j
            } else if c == "\"" {
                var j = i + 1
                var s = ""
                while j < chars.count, chars[j] != "\"" {
                    if chars[j] == "\\", j + 1 < chars.count { j += 1 }
                    s.append(chars[j])
                    j += 1
                }
                guard j < chars.count else { throw FormulaError("This text has no closing \"", at: start) }
                out.append(FormulaToken(kind: .text(s), position: start))
                i = j + 1
            } else if c.isLetter || c == "_" {
                var j = i
                while j < chars.count, chars[j].isLetter || chars[j].isNumber || chars[j] == "_" || chars[j] == "." { j += 1 }
                out.append(FormulaToken(kind: .identifier(String(chars[i..<j])), position: start))
                i = j
            } else if c == "(" {
                out.append(FormulaToken(kind: .openParen, position: start)); i += 1
            } else if c == ")" {
                out.append(FormulaToken(kind: .closeParen, position: start)); i += 1
            } else if c == "," {
                out.append(FormulaToken(kind: .comma, position: start)); i += 1
            } else if "<>".contains(c), i + 1 < chars.count, ["<=", ">=", "<>"].contains(String([c, chars[i + 1]])) {
                out.append(FormulaToken(kind: .op(String([c, chars[i + 1]])), position: start)); i += 2
            } else if "+-*/&=<>".contains(c) {
                out.append(FormulaToken(kind: .op(String(c)), position: start)); i += 1
            } else {
                throw FormulaError("Unexpected character \(c)", at: start)
            }
        }
        out.append(FormulaToken(kind: .end, position: chars.count + 1))
        return out
    }
}
