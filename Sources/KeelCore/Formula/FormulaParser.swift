/// Parses formula text into a `FormulaExpr`: literals, fields, `-x`, `+ - * / & = <> < > <= >=` with the usual
/// precedence, parentheses, and function calls. Problems are reported with their position.
public enum FormulaParser {
    /// Deeper nesting than this is refused (and never overflows the stack).
    static let maxDepth = 64

    public static func parse(_ text: String) throws(FormulaError) -> FormulaExpr {
        var parser = Parser(tokens: try FormulaLexer.tokens(text))
        guard parser.tokens.count > 1 else { throw FormulaError("The formula is empty", at: 1) }
        let expr = try parser.expression(minPrecedence: 1, depth: 0)
        guard case .end = parser.peek.kind else { throw FormulaError("Unexpected \(parser.peek.describe) after the end of the expression", at: parser.peek.position) }
        return expr
    }

    struct Parser {
        let tokens: [FormulaToken]
        var index = 0

        var peek: FormulaToken { tokens[index] }

        mutating func next() -> FormulaToken {
            defer { if index < tokens.count - 1 { index += 1 } }
            return tokens[index]
        }

        mutating func expression(minPrecedence: Int, depth: Int) throws(FormulaError) -> FormulaExpr {
            guard depth < FormulaParser.maxDepth else { throw FormulaError("The formula nests too deeply", at: peek.position) }
            var left = try unary(depth: depth + 1)
            while case .op(let symbol) = peek.kind, let op = BinaryOperator(rawValue: symbol), op.precedence >= minPrecedence {
                let token = next()
                let right = try expression(minPrecedence: op.precedence + 1, depth: depth + 1)
                left = FormulaExpr(.binary(op, left, right), at: token.position)
            }
            return left
        }

        mutating func unary(depth: Int) throws(FormulaError) -> FormulaExpr {
            if case .op("-") = peek.kind {
                let token = next()
                return FormulaExpr(.negate(try unary(depth: depth + 1)), at: token.position)
            }
            if case .op("+") = peek.kind { _ = next() }
            return try primary(depth: depth)
        }

        mutating func primary(depth: Int) throws(FormulaError) -> FormulaExpr {
            guard depth < FormulaParser.maxDepth else { throw FormulaError("The formula nests too deeply", at: peek.position) }
            let token = next()
            switch token.kind {
            case .number(let n): return FormulaExpr(.number(n), at: token.position)
            case .text(let s): return FormulaExpr(.text(s), at: token.position)
            case .openParen:
                let inner = try expression(minPrecedence: 1, depth: depth + 1)
                guard case .closeParen = next().kind else { throw FormulaError("A ( is not closed", at: token.position) }
                return inner
            case .identifier(let name):
                let upper = name.uppercased()
                if case .openParen = peek.kind {
                    _ = next()
                    var args: [FormulaExpr] = []
                    if case .closeParen = peek.kind { _ = next(); return FormulaExpr(.call(upper, args), at: token.position) }
                    while true {
                        args.append(try expression(minPrecedence: 1, depth: depth + 1))
                        let separator = next()
                        if case .closeParen = separator.kind { break }
                        guard case .comma = separator.kind else {
                            throw FormulaError("Expected , or ) in the call of \(upper), found \(separator.describe)", at: separator.position)
                        }
                    }
                    return FormulaExpr(.call(upper, args), at: token.position)
                }
                switch upper {
                case "TRUE": return FormulaExpr(.boolean(true), at: token.position)
                case "FALSE": return FormulaExpr(.boolean(false), at: token.position)
                case "NULL": return FormulaExpr(.null, at: token.position)
                default:
                    let path = name.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                    guard !path.contains(where: \.isEmpty) else { throw FormulaError("\(name) is not a field name", at: token.position) }
                    return FormulaExpr(.field(path), at: token.position)
                }
            default:
                throw FormulaError("Expected a value, a field or a function, found \(token.describe)", at: token.position)
            }
        }
    }
}

extension FormulaToken {
    var describe: String {
        switch kind {
        case .number(let n): "the number \(n)"
        case .text(let s): "the text \"\(s)\""
        case .identifier(let s): s
        case .op(let s): s
        case .openParen: "("
        case .closeParen: ")"
        case .comma: ","
        case .end: "the end of the formula"
        }
    }
}
