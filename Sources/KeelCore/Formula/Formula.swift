/// A formula ready to run: parsed, checked against the metadata, with its result type.
public struct Formula: Sendable {
    public let text: String
    public let expr: FormulaExpr
    public let type: FormulaType

    /// Parses and checks `text` on `schema`'s object; the error names the problem and its position.
    public init(_ text: String, schema: FormulaSchema) throws(FormulaError) {
        self.text = text
        self.expr = try FormulaParser.parse(text)
        self.type = try FormulaChecker.check(expr, schema: schema)
    }

    public func evaluate(_ context: FormulaContext) -> FormulaValue {
        FormulaEvaluator.evaluate(expr, context)
    }

    /// The field paths the formula reads (`amount`, `account.industry`): what it must be recomputed after.
    public var dependencies: Set<[String]> { expr.fieldPaths }
}

extension FormulaExpr {
    var fieldPaths: Set<[String]> {
        switch kind {
        case .number, .text, .boolean, .null: []
        case .field(let path): [path]
        case .negate(let e): e.fieldPaths
        case .binary(_, let l, let r): l.fieldPaths.union(r.fieldPaths)
        case .call(_, let args): args.reduce(into: Set<[String]>()) { $0.formUnion($1.fieldPaths) }
        }
    }
}
