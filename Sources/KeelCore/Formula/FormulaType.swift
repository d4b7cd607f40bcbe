/// The type of a formula's value, checked against the metadata when the formula is saved.
public enum FormulaType: String, Hashable, Sendable, CaseIterable {
    case number, text, boolean, date, datetime
    /// The type of `NULL`: fits anywhere.
    case null

    /// How a field's values look in a formula.
    public init(_ field: FieldDefinition) {
        switch field.type {
        case .number, .money, .percent: self = .number
        case .boolean: self = .boolean
        case .date: self = .date
        case .datetime: self = .datetime
        default: self = .text
        }
    }

    /// The result type of a field of this type, for `resultType` when a formula field is defined.
    public var fieldType: FieldType {
        switch self {
        case .number, .null: .number
        case .text: .text
        case .boolean: .boolean
        case .date: .date
        case .datetime: .datetime
        }
    }
}

/// The fields a formula on one object can reach: its own, and through reference fields those of related objects.
public struct FormulaSchema: Sendable {
    public var object: ObjectDefinition
    public var objects: [ObjectDefinition]

    public init(object: ObjectDefinition, objects: [ObjectDefinition]) {
        self.object = object
        self.objects = objects
    }

    /// The field at the end of a path (`amount`, `account.industry`: one step through a reference at most), or nil.
    public func field(_ path: [String]) -> FieldDefinition? {
        guard (1...2).contains(path.count) else { return nil }
        var current = object
        for (i, name) in path.enumerated() {
            guard let field = current.queryableField(name) else { return nil }
            if i == path.count - 1 { return field }
            guard field.type == .reference, let target = field.target, let next = objects.first(where: { $0.name == target }) else { return nil }
            current = next
        }
        return nil
    }
}
