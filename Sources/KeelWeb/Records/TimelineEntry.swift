import KeelCore

/// One line of a timeline: an edit (who changed which fields from what to what), an activity, a task, or an approval's
/// submission or decision.
struct TimelineEntry {
    struct Item {
        /// `old` is nil for a field a record was created with, and for a change the reader may not see (`new` says so).
        var field: String
        var old: String?
        var new: String
    }

    /// `at` as stored (for the `<time>` element), and as people read it.
    var at, when, actor, operation: String
    var source: String?
    var items: [Item]
    /// An activity's or a task's subject, linked, and what it says (its body, next step, due date and status); for an
    /// edit listed away from its record, the record.
    var subject: String? = nil
    var href: String? = nil
    var detail: String? = nil
    /// The record's kind, for an edit listed away from its record (商机).
    var object: String? = nil
    var kind = "edit"
    var hasItems = false
}

extension TimelineEntry {
    /// One edit: the history entries of one change, their fields in the order the record shows them.
    init(edit entries: [HistoryEntry], of object: ObjectDefinition, names: ReferenceNames, _ t: Strings) {
        let lang = t.language
        let order = Dictionary(object.fields.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let items = entries.sorted { order[$0.field, default: .max] < order[$1.field, default: .max] }.compactMap { e -> Item? in
            if e.operation == "attach" { return Item(field: t["attachment"], old: nil, new: e.newValue["filename"]?.stringValue ?? "") }
            let field = object.field(e.field), label = field.map { lang.label($0.labels) } ?? e.field
            if e.masked { return e.operation == "update" ? Item(field: label, old: nil, new: t["masked"]) : nil }
            // What a record was created with is what someone typed; computed fields follow from it.
            if e.operation == "create", field?.formula != nil { return nil }
            let change = names.change(e, field, t)
            return e.operation == "update" ? Item(field: label, old: change.old, new: change.new)
                : Item(field: label, old: nil, new: e.operation == "delete" ? change.old : change.new)
        }
        let e = entries[0]
        self.init(at: e.at, when: t.time(e.at), actor: names.user(e.actor, t),
                  operation: t[["create": "edit_created", "delete": "edit_deleted", "attach": "edit_attached"][e.operation] ?? "edit_updated"],
                  source: t.source(e.source), items: items, hasItems: !items.isEmpty)
    }
}
