/// A named attribute a policy condition reads: `user.role`, `record.owner`, `context.step_up`, `field.sensitivity`.
public struct Attribute: Hashable, Sendable, CustomStringConvertible {
    public enum Scope: String, Sendable, CaseIterable {
        case user, record, context, field
    }

    public var scope: Scope
    public var name: String

    public init(_ scope: Scope, _ name: String) {
        self.scope = scope
        self.name = name
    }

    /// `scope.name`, e.g. `record.owner`; nil when the scope is unknown or the name empty.
    public init?(path: String) {
        let parts = path.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, let scope = Scope(rawValue: parts[0]), !parts[1].isEmpty else { return nil }
        self.init(scope, parts[1])
    }

    public var description: String { "\(scope.rawValue).\(name)" }
}

/// The right-hand side of a comparison: another attribute or a literal value.
public enum Operand: Hashable, Sendable {
    case attribute(Attribute)
    case value(JSONValue)
}

public enum Comparison: String, Sendable, CaseIterable {
    case eq, ne, lt, le, gt, ge
    /// The left value is one of the right list's values.
    case `in`
    /// The left list holds the right value.
    case contains
    /// The left text starts with the right text.
    case startsWith = "starts_with"

    /// The comparison with its sides swapped (`a < b` ⇔ `b > a`), where one exists.
    var swapped: Comparison? {
        switch self {
        case .eq, .ne: self
        case .lt: .gt
        case .le: .ge
        case .gt: .lt
        case .ge: .le
        case .in: .contains
        case .contains: .in
        case .startsWith: nil
        }
    }
}

/// When a policy applies: a tree of comparisons joined by all/any/not. Written in JSON as
/// `{"all": [...]}`, `{"any": [...]}`, `{"not": {...}}`, or `{"attr": "record.amount", "op": "gt", "value": 5000000}`
/// (`"ref": "user.id"` instead of `"value"` compares with another attribute).
public indirect enum Condition: Hashable, Sendable {
    case constant(Bool)
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case compare(Attribute, Comparison, Operand)

    public static let always = Condition.constant(true)
    public static let never = Condition.constant(false)

    /// Every attribute the condition reads.
    public var attributes: [Attribute] {
        switch self {
        case .constant: []
        case .all(let cs), .any(let cs): cs.flatMap(\.attributes)
        case .not(let c): c.attributes
        case .compare(let a, _, .attribute(let b)): [a, b]
        case .compare(let a, _, .value): [a]
        }
    }

    /// `all` with constants folded away.
    public static func and(_ parts: [Condition]) -> Condition {
        var kept: [Condition] = []
        for part in parts {
            switch part {
            case .constant(false): return .never
            case .constant(true): continue
            case .all(let inner): for c in inner where !kept.contains(c) { kept.append(c) }
            default: if !kept.contains(part) { kept.append(part) }
            }
        }
        return kept.isEmpty ? .always : kept.count == 1 ? kept[0] : .all(kept)
    }

    /// `any` with constants folded away.
    public static func or(_ parts: [Condition]) -> Condition {
        var kept: [Condition] = []
        for part in parts {
            switch part {
            case .constant(true): return .always
            case .constant(false): continue
            case .any(let inner): for c in inner where !kept.contains(c) { kept.append(c) }
            default: if !kept.contains(part) { kept.append(part) }
            }
        }
        return kept.isEmpty ? .never : kept.count == 1 ? kept[0] : .any(kept)
    }

    public static func negate(_ c: Condition) -> Condition {
        switch c {
        case .constant(let b): .constant(!b)
        case .not(let inner): inner
        default: .not(c)
        }
    }
}

extension Comparison {
    /// The comparison of two known values. Null compares false, except that `ne` holds when exactly one side is null.
    public func holds(_ left: JSONValue, _ right: JSONValue) -> Bool {
        switch self {
        case .eq: return !left.isNull && left.sameValue(as: right)
        case .ne: return left.isNull != right.isNull || (!left.isNull && !left.sameValue(as: right))
        case .lt, .le, .gt, .ge:
            guard let order = left.order(comparedWith: right) else { return false }
            switch self {
            case .lt: return order < 0
            case .le: return order <= 0
            case .gt: return order > 0
            default: return order >= 0
            }
        case .in: return !left.isNull && (right.arrayValue ?? []).contains { left.sameValue(as: $0) }
        case .contains: return !right.isNull && (left.arrayValue ?? []).contains { right.sameValue(as: $0) }
        case .startsWith:
            guard let l = left.stringValue, let r = right.stringValue else { return false }
            return l.hasPrefix(r)
        }
    }
}

extension JSONValue {
    /// Equality where numbers compare by value (1 == 1.0).
    func sameValue(as other: JSONValue) -> Bool {
        if let a = numberValue, let b = other.numberValue { return a == b }
        return self == other
    }

    /// -1, 0 or 1 for two numbers or two texts; nil otherwise.
    func order(comparedWith other: JSONValue) -> Int? {
        if let a = numberValue, let b = other.numberValue { return a < b ? -1 : a > b ? 1 : 0 }
        if let a = stringValue, let b = other.stringValue { return a < b ? -1 : a > b ? 1 : 0 }
        return nil
    }
}
