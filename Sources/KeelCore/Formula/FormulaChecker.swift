import Foundation

/// Checks a parsed formula against the fields it names and the functions it calls; returns its type.
public enum FormulaChecker {
    public static func check(_ e: FormulaExpr, schema: FormulaSchema) throws(FormulaError) -> FormulaType {
        switch e.kind {
        case .number: return .number
        case .text: return .text
        case .boolean: return .boolean
        case .null: return .null
        case .field(let path):
            guard let field = schema.field(path) else {
                throw FormulaError("\(path.joined(separator: ".")) is not a field of \(schema.object.name)", at: e.position)
            }
            return FormulaType(field)
        case .negate(let inner):
            try expect(inner, [.number], schema, "- needs a number")
            return .number
        case .binary(let op, let l, let r):
            let (lt, rt) = (try check(l, schema: schema), try check(r, schema: schema))
            switch op {
            case .concat: return .text
            case .multiply, .divide:
                guard fits(lt, .number), fits(rt, .number) else { throw FormulaError("\(op.rawValue) needs numbers, not \(lt.rawValue) and \(rt.rawValue)", at: e.position) }
                return .number
            case .add, .subtract:
                if fits(lt, .number), fits(rt, .number) { return .number }
                if [.date, .datetime].contains(lt), fits(rt, .number) { return lt }
                throw FormulaError("\(op.rawValue) needs numbers (or a date and a number of days), not \(lt.rawValue) and \(rt.rawValue)", at: e.position)
            case .equal, .notEqual, .less, .greater, .lessOrEqual, .greaterOrEqual:
                guard lt == rt || lt == .null || rt == .null else { throw FormulaError("Cannot compare \(lt.rawValue) with \(rt.rawValue)", at: e.position) }
                if lt == .boolean, op != .equal, op != .notEqual { throw FormulaError("true/false can only be compared with = or <>", at: e.position) }
                return .boolean
            }
        case .call(let name, let args):
            return try call(name, args, at: e.position, schema)
        }
    }

    static func fits(_ t: FormulaType, _ wanted: FormulaType) -> Bool { t == wanted || t == .null }

    @discardableResult
    static func expect(_ e: FormulaExpr, _ types: [FormulaType], _ schema: FormulaSchema, _ message: String) throws(FormulaError) -> FormulaType {
        let t = try check(e, schema: schema)
        guard t == .null || types.contains(t) else { throw FormulaError("\(message), not \(t.rawValue)", at: e.position) }
        return t
    }

    /// The common type of two branches (IF, CASE, BLANKVALUE).
    static func unify(_ a: FormulaType, _ b: FormulaType, at position: Int, _ what: String) throws(FormulaError) -> FormulaType {
        if a == .null { return b }
        if b == .null || a == b { return a }
        throw FormulaError("The \(what) give \(a.rawValue) and \(b.rawValue); they must be of one type", at: position)
    }

    static func call(_ name: String, _ args: [FormulaExpr], at position: Int, _ schema: FormulaSchema) throws(FormulaError) -> FormulaType {
        func arity(_ range: ClosedRange<Int>) throws(FormulaError) {
            guard range.contains(args.count) else {
                let wanted = range.lowerBound == range.upperBound ? "\(range.lowerBound)" : range.upperBound == Int.max ? "at least \(range.lowerBound)" : "\(range.lowerBound) to \(range.upperBound)"
                throw FormulaError("\(name) takes \(wanted) argument(s), not \(args.count)", at: position)
            }
        }
        let many = Int.max
        switch name {
        case "IF":
            try arity(3...3)
            try expect(args[0], [.boolean], schema, "IF's condition must be true/false")
            return try unify(try check(args[1], schema: schema), try check(args[2], schema: schema), at: position, "two branches of IF")
        case "CASE":
            try arity(4...many)
            guard args.count % 2 == 0 else { throw FormulaError("CASE takes a value, pairs of match and result, and a default", at: position) }
            let subject = try check(args[0], schema: schema)
            var result = try check(args[args.count - 1], schema: schema)
            for i in stride(from: 1, to: args.count - 1, by: 2) {
                _ = try unify(subject, try check(args[i], schema: schema), at: args[i].position, "value and its match in CASE")
                result = try unify(result, try check(args[i + 1], schema: schema), at: args[i + 1].position, "results of CASE")
            }
            return result
        case "AND", "OR":
            try arity(1...many)
            for a in args { try expect(a, [.boolean], schema, "\(name) takes true/false values") }
            return .boolean
        case "NOT":
            try arity(1...1)
            try expect(args[0], [.boolean], schema, "NOT takes a true/false value")
            return .boolean
        case "ISBLANK":
            try arity(1...1)
            _ = try check(args[0], schema: schema)
            return .boolean
        case "BLANKVALUE":
            try arity(2...2)
            return try unify(try check(args[0], schema: schema), try check(args[1], schema: schema), at: position, "value and its replacement in BLANKVALUE")
        case "CONTAINS", "BEGINS":
            try arity(2...2)
            for a in args { try expect(a, [.text], schema, "\(name) takes text") }
            return .boolean
        case "REGEX_MATCH":
            try arity(2...2)
            for a in args { try expect(a, [.text], schema, "REGEX_MATCH takes text") }
            if case .text(let pattern) = args[1].kind, (try? NSRegularExpression(pattern: pattern)) == nil {
                throw FormulaError("\(pattern) is not a valid regular expression", at: args[1].position)
            }
            return .boolean
        case "LEN":
            try arity(1...1)
            try expect(args[0], [.text], schema, "LEN takes text")
            return .number
        case "UPPER", "LOWER", "TRIM", "PHONE_E164", "PHONE_EXTENSION":
            try arity(1...1)
            try expect(args[0], [.text], schema, "\(name) takes text")
            return .text
        case "LEFT", "RIGHT":
            try arity(2...2)
            try expect(args[0], [.text], schema, "\(name) takes text")
            try expect(args[1], [.number], schema, "\(name) takes a number of characters")
            return .text
        case "TEXT":
            try arity(1...2)
            if args.count == 2 {
                try expect(args[0], [.number], schema, "TEXT with decimal places takes a number")
                try expect(args[1], [.number], schema, "TEXT takes a number of decimal places")
            } else {
                _ = try check(args[0], schema: schema)
            }
            return .text
        case "VALUE":
            try arity(1...1)
            try expect(args[0], [.text], schema, "VALUE takes text")
            return .number
        case "TODAY": try arity(0...0); return .date
        case "NOW": try arity(0...0); return .datetime
        case "DAYS_BETWEEN", "WORKDAYS_BETWEEN":
            try arity(2...2)
            for a in args { try expect(a, [.date, .datetime], schema, "\(name) takes dates") }
            return .number
        case "ADD_DAYS":
            try arity(2...2)
            let t = try expect(args[0], [.date, .datetime], schema, "ADD_DAYS takes a date")
            try expect(args[1], [.number], schema, "ADD_DAYS takes a number of days")
            return t == .null ? .date : t
        case "ROUND":
            try arity(1...2)
            for a in args { try expect(a, [.number], schema, "ROUND takes numbers") }
            return .number
        case "ABS":
            try arity(1...1)
            try expect(args[0], [.number], schema, "ABS takes a number")
            return .number
        case "MIN", "MAX":
            try arity(1...many)
            for a in args { try expect(a, [.number], schema, "\(name) takes numbers") }
            return .number
        case "ISPICKVAL", "INCLUDES":
            try arity(2...2)
            guard case .field(let path) = args[0].kind, let field = schema.field(path),
                  field.type == (name == "ISPICKVAL" ? .picklist : .multiPicklist) else {
                throw FormulaError("\(name) takes a \(name == "ISPICKVAL" ? "picklist" : "multi-select picklist") field first", at: args[0].position)
            }
            guard case .text(let option) = args[1].kind else { throw FormulaError("\(name) takes an option in double quotes", at: args[1].position) }
            guard field.options?.contains(option) ?? false else {
                throw FormulaError("\(option) is not an option of \(field.name) (\((field.options ?? []).joined(separator: ", ")))", at: args[1].position)
            }
            return .boolean
        default:
            throw FormulaError("Unknown function \(name)", at: position)
        }
    }
}
