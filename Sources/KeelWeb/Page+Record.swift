import KeelCore

/// A record with its fields and its field-history timeline.
public struct RecordPage {
    public var object: ObjectDefinition
    public var record: Record
    public var history: [HistoryEntry]
    /// Display names of users, for owners and history actors.
    public var userNames: [String: String]

    public init(object: ObjectDefinition, record: Record, history: [HistoryEntry], userNames: [String: String]) {
        self.object = object
        self.record = record
        self.history = history
        self.userNames = userNames
    }

    public var title: String {
        record.values["name"]?.stringValue ?? record.values["subject"]?.stringValue ?? record.id
    }

    public func context(_ t: Strings) -> [String: Any] {
        let lang = t.language
        let fields: [[String: Any]] = object.fields.map { f in
            let value = record.value(f.name)
            var item: [String: Any] = ["label": lang.label(f.labels)]
            if f.target == "users", let id = value.stringValue {
                item["value"] = userNames[id] ?? id
            } else {
                item["value"] = ValueDisplay.text(value, f, t)
            }
            if f.type == .reference, let id = value.stringValue, let target = f.target, target != "users", target != "departments",
               target != StandardObjects.anyObject {
                item["href"] = "/o/\(target)/\(id)"
            }
            return item
        }
        let entries: [[String: Any]] = history.reversed().map { e in
            let field = object.field(e.field)
            return [
                "at": e.at, "actor": e.actor.map { userNames[$0] ?? $0 } ?? "—",
                "operation": t[e.operation == "create" ? "created" : e.operation == "delete" ? "deleted" : "updated"],
                "field": field.map { lang.label($0.labels) } ?? e.field,
                "old": ValueDisplay.text(e.oldValue, field, t), "new": ValueDisplay.text(e.newValue, field, t), "source": e.source,
            ]
        }
        return ["title": title, "object": object.name, "id": record.id, "fields": fields, "history": entries]
    }
}
