import KeelCore

/// Merging duplicates: the records side by side, one choice per field (preset by the survivorship rule), and a
/// record's former identities with a way to undo each merge.
public struct MergePage {
    public var object: ObjectDefinition
    /// The survivor first.
    public var records: [Record]
    /// Field → the record whose value the rule picked (absent: the survivor's).
    public var sources: [String: String]

    public init(object: ObjectDefinition, records: [Record], sources: [String: String]) {
        self.object = object
        self.records = records
        self.sources = sources
    }

    struct Column {
        var label, id: String
        var version: Int
        var merged: Bool
        var href: String
    }

    struct Row {
        struct Cell {
            var name, value, text: String
            var checked: Bool
            var inputID: String
        }

        var label: String
        var cells: [Cell]
    }

    public struct Context: PageContext {
        public static let template = Template.merge

        var title, csrf, action, cancelHref: String
        var records: [Column]
        /// A field per row where the records differ, a choice per record.
        var rows: [Row]
        /// Whether the records agree on every field.
        var same: Bool
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let lang = t.language
        let survivor = records[0]
        // Fields where the records differ are chosen here; phones and e-mails are all kept anyway.
        let fields = object.fields.filter { f in
            f.formula == nil && f.name != StandardObjects.otherPhones.name && f.name != StandardObjects.otherEmails.name
                && Set(records.map { $0.value(f.name) }).count > 1
        }
        return Context(
            title: t["merge_title"], csrf: csrf, action: "/o/\(object.name)/\(survivor.id)/merge", cancelHref: "/o/\(object.name)/\(survivor.id)",
            records: records.enumerated().map { i, r in
                Column(label: (r.value("name").stringValue ?? r.id) + (i == 0 ? " (\(t["merge_survivor"]))" : ""), id: r.id, version: r.version,
                       merged: i > 0, href: "/o/\(object.name)/\(r.id)")
            },
            rows: fields.map { f in
                let chosen = sources[f.name] ?? survivor.id
                return Row(label: lang.label(f.labels), cells: records.map { r in
                    Row.Cell(name: "choose_" + f.name, value: r.id, text: ValueDisplay.text(r.value(f.name), f, t), checked: r.id == chosen,
                             inputID: "c-\(f.name)-\(r.id)")
                })
            },
            same: fields.isEmpty)
    }

    /// "2025-08-12 · 王伟 · 采购专员 · 139 8765 4321 · wangwei@example.cn": who a merged record was.
    public static func identity(_ record: JSONValue, object: ObjectDefinition) -> String {
        let date = record["created_at"]?.stringValue.map { String($0.prefix(10)) }
        let parts = [date] + ["name", "title", "role", "mobile", "phone", "email", "credit_code"]
            .filter { object.field($0) != nil }.map { record[$0]?.stringValue }
        return parts.compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " · ")
    }
}
