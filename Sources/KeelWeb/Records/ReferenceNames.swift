import KeelCore

/// What the ids in references stand for, as far as the reader may know: users' names, and the names of the records
/// the reader may read with the object each belongs to (a reference to any object, such as an activity's
/// `related_to`, needs it for its link).
public struct ReferenceNames: Sendable {
    public struct Target: Sendable, Equatable {
        public var object: String
        public var name: String

        public init(object: String, name: String) { (self.object, self.name) = (object, name) }
    }

    public var users: [String: String]
    public var records: [String: Target]

    public init(users: [String: String] = [:], records: [String: Target] = [:]) { (self.users, self.records) = (users, records) }

    /// The (target object, id) pairs that the reference fields among `fields` hold, given each field's values: what a
    /// page needs named.
    public static func references(_ fields: [FieldDefinition], _ values: (FieldDefinition) -> [JSONValue]) -> [(target: String, id: String)] {
        fields.filter { $0.type == .reference }.flatMap { f in values(f).compactMap { v in v.stringValue.map { (f.target ?? "", $0) } } }
    }

    public static func references(_ fields: [FieldDefinition], in records: [Record]) -> [(target: String, id: String)] {
        references(fields) { f in records.map { $0.value(f.name) } }
    }

    /// A reference as people read it: the user's or record's name, "—" when empty, and a record the reader may not
    /// open as such — never its id.
    public func text(_ value: JSONValue, _ t: Strings) -> String {
        guard let id = value.stringValue else { return "—" }
        return users[id] ?? records[id]?.name ?? t["hidden_record"]
    }

    /// The page of the record a reference names (none for users and for records the reader may not open).
    public func href(_ value: JSONValue) -> String? {
        value.stringValue.flatMap { id in records[id].map { "/o/\($0.object)/\(id)" } }
    }

    /// A field of a record as its reader may see it, with the page it links to when it names a record.
    public func display(_ record: Record, _ field: FieldDefinition, _ t: Strings) -> (text: String, href: String?) {
        guard field.type == .reference, !record.masked.contains(field.name) else { return (ValueDisplay.text(of: record, field, t), nil) }
        let value = record.value(field.name)
        return (text(value, t), href(value))
    }

    /// A history entry's old and new values as people read them: references by name, masked ones as such.
    public func change(_ entry: HistoryEntry, _ field: FieldDefinition?, _ t: Strings) -> (old: String, new: String) {
        field?.type == .reference && !entry.masked ? (text(entry.oldValue, t), text(entry.newValue, t)) : ValueDisplay.change(entry, field, t)
    }

    /// A user's name by id ("—" for none, "another user" for one the reader does not know).
    public func user(_ id: String?, _ t: Strings) -> String { id.map { users[$0] ?? t["another_user"] } ?? "—" }
}
