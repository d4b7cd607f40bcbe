import KeelCore

/// A record with its fields by section, its related lists and its field-history timeline.
public struct RecordPage {
    /// Records of another object that point at this one through `field`.
    public struct RelatedList {
        public var object: ObjectDefinition
        public var field: FieldDefinition
        public var records: [Record]
        public var count: Int

        public init(object: ObjectDefinition, field: FieldDefinition, records: [Record], count: Int) {
            self.object = object
            self.field = field
            self.records = records
            self.count = count
        }
    }

    public var object: ObjectDefinition
    public var record: Record
    public var history: [HistoryEntry]
    public var related: [RelatedList]
    /// Display names of users, for owners and history actors.
    public var userNames: [String: String]
    /// Roles the record's required groups suggest, with the contacts in each (empty: none suggested).
    public var roles: [(role: String, people: [Record])] = []
    /// Records that may be this one, offered for merging when the reader may merge.
    public var possibleDuplicates: [FormPage.Duplicate] = []
    public var canMerge = false
    /// Merges into this record, newest first: who the merged records were, and whether the merge was undone.
    public var merges: [(id: String, mergedAt: String, undoneAt: String?, identities: [String])] = []

    public init(object: ObjectDefinition, record: Record, history: [HistoryEntry], related: [RelatedList] = [], userNames: [String: String]) {
        self.object = object
        self.record = record
        self.history = history
        self.related = related
        self.userNames = userNames
    }

    public var title: String { Self.title(of: record) }

    /// What names a record on pages: its name, else its subject, else its id.
    public static func title(of record: Record) -> String {
        record.values["name"]?.stringValue ?? record.values["subject"]?.stringValue ?? record.id
    }

    /// The (object, field) pairs whose records may point at a record of `object`: the related lists it shows.
    public static func relations(of object: ObjectDefinition, in objects: [ObjectDefinition]) -> [(ObjectDefinition, FieldDefinition)] {
        objects.flatMap { other in
            other.fields.filter { $0.type == .reference && ($0.target == object.name || $0.target == StandardObjects.anyObject) }
                .map { (other, $0) }
        }
    }

    func item(_ f: FieldDefinition, of r: Record, _ t: Strings) -> [String: Any] {
        let value = r.value(f.name)
        var item: [String: Any] = ["label": t.language.label(f.labels)]
        if r.masked.contains(f.name) {
            item["value"] = t["masked"]
            item["masked"] = true
        } else if f.target == "users", let id = value.stringValue {
            item["value"] = userNames[id] ?? id
        } else {
            item["value"] = ValueDisplay.text(value, f, t)
        }
        if f.type == .reference, let id = value.stringValue, let target = f.target, !StandardObjects.directoryTargets.contains(target),
           target != StandardObjects.anyObject {
            item["href"] = "/o/\(target)/\(id)"
        }
        return item
    }

    public func context(_ t: Strings) -> [String: Any] {
        let lang = t.language
        var sections: [[String: Any]] = PageLayout.sections(object).map { s in
            ["title": t[s.key], "fields": s.fields.map { item($0, of: record, t) }]
        }
        let system = ObjectDefinition.systemFieldDefinitions.filter { ["created_at", "created_by", "updated_at", "updated_by"].contains($0.name) }
        sections.append(["title": t["section_system"], "fields": system.map { item($0, of: record, t) }])
        let related: [[String: Any]] = related.map { list in
            let columns = Array(list.object.fields.filter { $0.name != list.field.name }.prefix(4))
            return [
                "title": lang.label(list.object.labels) + (list.field.target == StandardObjects.anyObject ? "" : " · " + lang.label(list.field.labels)),
                "count": list.count, "hasRows": !list.records.isEmpty,
                "columns": columns.map { ["label": lang.label($0.labels)] },
                "rows": list.records.map { r in
                    ["cells": columns.enumerated().map { i, f -> [String: Any] in
                        var cell = item(f, of: r, t)
                        if i == 0 { cell["href"] = "/o/\(list.object.name)/\(r.id)" }
                        return cell
                    }]
                },
                "allHref": "/o/\(list.object.name)?ff=\(list.field.name)&fo=eq&fv=\(record.id)",
                "newHref": "/o/\(list.object.name)/new?\(list.field.name)=\(record.id)",
            ]
        }
        let entries: [[String: Any]] = history.reversed().map { e in
            let field = object.field(e.field)
            return [
                "at": e.at, "actor": e.actor.map { userNames[$0] ?? $0 } ?? "—",
                "operation": t[e.operation == "create" ? "created" : e.operation == "delete" ? "deleted" : "updated"],
                "field": field.map { lang.label($0.labels) } ?? e.field,
                "old": ValueDisplay.change(e, field, t).old, "new": ValueDisplay.change(e, field, t).new, "source": e.source,
            ]
        }
        let contacts = StandardObjects.contact
        let link = contacts.fields.first { $0.type == .reference && $0.target == object.name }?.name ?? ""
        let roles: [[String: Any]] = roles.map { role, people in
            ["role": role, "people": people.map { ["name": $0.value("name").stringValue ?? $0.id, "href": "/o/\(contacts.name)/\($0.id)"] },
             "vacant": people.isEmpty,
             "addHref": "/o/\(contacts.name)/new?\(link)=\(record.id)&role=\(URLQuery.escape(role))"]
        }
        let duplicates: [[String: Any]] = possibleDuplicates.compactMap { d in
            d.id.map { id in
                var item = ["text": "\(d.name ?? id) (\(t["match_score"]) \(Int((d.score * 100).rounded(.down)))%)", "href": "/o/\(object.name)/\(id)"]
                if canMerge { item["mergeHref"] = "/o/\(object.name)/\(record.id)/merge?with=\(id)" }
                return item
            }
        }
        let merges: [[String: Any]] = merges.map { m in
            ["id": m.id, "date": String(m.mergedAt.prefix(10)), "undone": m.undoneAt.map { String($0.prefix(10)) } ?? "",
             "active": m.undoneAt == nil, "identities": m.identities, "undoAction": "/o/\(object.name)/merges/\(m.id)/undo"]
        }
        var context: [String: Any] = [
            "title": title, "object": object.name, "id": record.id, "sections": sections, "related": related, "history": entries,
            "roles": roles, "hasRoles": !roles.isEmpty, "duplicates": duplicates, "hasDuplicates": !duplicates.isEmpty,
            "merges": merges, "hasMerges": !merges.isEmpty,
        ]
        if object.name == StandardObjects.account.name {
            context["relationshipsHref"] = "/o/\(object.name)/\(record.id)/relationships"
            context["registryAction"] = "/o/\(object.name)/\(record.id)/registry-check"
            if let status = record.value("registry_status").stringValue, RegistryStatus.closed.contains(status) { context["closedStatus"] = status }
        }
        return context
    }
}
