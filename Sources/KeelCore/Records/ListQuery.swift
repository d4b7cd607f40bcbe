import Foundation

public enum FilterOperator: String, Sendable, CaseIterable {
    case eq, neq, gt, gte, lt, lte, `in`, contains, startsWith, isNull
}

/// One condition of a list request: `filter[<field>][<op>]=<value>`.
public struct Filter: Sendable, Hashable {
    public var field: FieldDefinition
    public var op: FilterOperator
    /// Typed operands: one for most operators, several for `in`, a boolean for `isNull`.
    public var values: [JSONValue]

    public init(field: FieldDefinition, op: FilterOperator, values: [JSONValue]) {
        self.field = field
        self.op = op
        self.values = values
    }
}

public struct SortKey: Sendable, Hashable {
    public var field: FieldDefinition
    public var descending: Bool

    public init(field: FieldDefinition, descending: Bool) {
        (self.field, self.descending) = (field, descending)
    }

    /// The request spelling: `name` or `-name`.
    public var spec: String { (descending ? "-" : "") + field.name }
}

/// Where a page ended: the last row's sort value and id. Opaque to clients.
public struct Cursor: Sendable, Hashable {
    public var sort: String
    public var value: JSONValue
    public var id: String

    public init(sort: String, value: JSONValue, id: String) {
        self.sort = sort
        self.value = value
        self.id = id
    }

    public func encoded() -> String {
        let json = JSONValue.object(["s": .string(sort), "v": value, "id": .string(id)]).canonicalText()
        return Data(json.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    public static func decode(_ text: String) -> Cursor? {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard let data = Data(base64Encoded: b64), let json = try? JSONValue.parse(data),
              let s = json["s"]?.stringValue, let v = json["v"], let id = json["id"]?.stringValue
        else { return nil }
        return Cursor(sort: s, value: v, id: id)
    }
}

/// A validated list request against one object.
public struct ListQuery: Sendable {
    public var filters: [Filter] = []
    public var sort: SortKey
    /// Fields to return; nil means all.
    public var fields: [String]?
    public var limit: Int = 50
    public var cursor: Cursor?

    public static let maxLimit = 500
    public static let maxInValues = 200

    public init(object: ObjectDefinition) {
        sort = SortKey(field: object.queryableField("id")!, descending: false)
    }
}

extension ObjectDefinition {
    /// System columns seen as fields, so they can be filtered, sorted and selected like any other.
    public static let systemFieldDefinitions: [FieldDefinition] = [
        FieldDefinition("id", .reference, zh: "编号", en: "ID"),
        FieldDefinition("version", .number, zh: "版本", en: "Version"),
        FieldDefinition("created_at", .datetime, zh: "创建时间", en: "Created at"),
        FieldDefinition("updated_at", .datetime, zh: "更新时间", en: "Updated at"),
        FieldDefinition("created_by", .reference, zh: "创建人", en: "Created by", target: "users"),
        FieldDefinition("updated_by", .reference, zh: "更新人", en: "Updated by", target: "users"),
    ]

    /// System columns that always have a value.
    public static let nonNullSystemFields: Set<String> = ["id", "version", "created_at", "updated_at"]

    /// A field or system column by name.
    public func queryableField(_ name: String) -> FieldDefinition? {
        field(name) ?? Self.systemFieldDefinitions.first { $0.name == name }
    }
}
