/// One record of any object, as read from the store.
public struct Record: Sendable, Hashable {
    public var object: String
    public var id: String
    public var version: Int
    public var createdAt: String
    public var updatedAt: String
    public var createdBy: String?
    public var updatedBy: String?
    /// Field values, standard and custom, keyed by field name. Unset fields are absent or `.null`.
    public var values: [String: JSONValue]
    /// Fields its reader may not see: their values are left out.
    public var masked: Set<String> = []

    public init(object: String, id: String, version: Int, createdAt: String, updatedAt: String,
                createdBy: String?, updatedBy: String?, values: [String: JSONValue]) {
        self.object = object
        self.id = id
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.createdBy = createdBy
        self.updatedBy = updatedBy
        self.values = values
    }

    /// The value of a field or system column.
    public func value(_ name: String) -> JSONValue {
        switch name {
        case "id": .string(id)
        case "version": JSONValue(version)
        case "created_at": .string(createdAt)
        case "updated_at": .string(updatedAt)
        case "created_by": createdBy.map(JSONValue.string) ?? .null
        case "updated_by": updatedBy.map(JSONValue.string) ?? .null
        default: values[name] ?? .null
        }
    }

    /// The API form: every field of the object (null when unset or masked) plus `id` and `version`,
    /// or only `fields` (plus `id` and `version`) when given; masked fields are listed in `_masked`.
    public func json(object definition: ObjectDefinition, fields: [String]? = nil) -> JSONValue {
        let names = fields ?? (ObjectDefinition.systemFields + definition.fields.map(\.name))
        var out: [String: JSONValue] = ["id": .string(id), "version": JSONValue(version)]
        for name in names { out[name] = value(name) }
        if !masked.isEmpty { out["_masked"] = .array(masked.sorted().map(JSONValue.string)) }
        return .object(out)
    }

    /// The record with a value (null when unset) for every field of its object: as it reads back once stored.
    public func withEveryField(_ object: ObjectDefinition) -> Record {
        var r = self
        for field in object.fields where r.values[field.name] == nil { r.values[field.name] = .null }
        return r
    }

    /// The record with every field masked: what a writer sees of a record they may no longer read.
    public func maskingAll(_ object: ObjectDefinition) -> Record {
        var r = self
        r.values = [:]
        r.masked = Set(object.fields.map(\.name))
        return r
    }
}
