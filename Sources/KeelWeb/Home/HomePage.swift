import KeelCore

/// "Today": what a salesperson should do first — tasks due, leads waiting, open deals, what changed.
public struct HomePage {
    public struct Change {
        public var entry: HistoryEntry
        public var object: ObjectDefinition
        public var title: String

        public init(entry: HistoryEntry, object: ObjectDefinition, title: String) {
            self.entry = entry
            self.object = object
            self.title = title
        }
    }

    public var today: String
    public var tasks: [Record]
    public var leads: [Record]
    public var newLeadCount: Int
    public var deals: [AggregateRow]
    public var changes: [Change]
    public var userNames: [String: String]

    public init(today: String, tasks: [Record], leads: [Record], newLeadCount: Int, deals: [AggregateRow], changes: [Change],
                userNames: [String: String]) {
        self.today = today
        self.tasks = tasks
        self.leads = leads
        self.newLeadCount = newLeadCount
        self.deals = deals
        self.changes = changes
        self.userNames = userNames
    }

    public func context(_ t: Strings) -> [String: Any] {
        let lang = t.language
        let tasks: [[String: Any]] = tasks.map { r in
            let due = r.values["due"]?.stringValue ?? ""
            return ["href": "/o/tasks/\(r.id)", "subject": r.values["subject"]?.stringValue ?? r.id, "due": due,
                    "overdue": !due.isEmpty && due < today]
        }
        let leads: [[String: Any]] = leads.map { r in
            ["href": "/o/leads/\(r.id)", "name": r.values["name"]?.stringValue ?? r.id,
             "company": r.values["company"]?.stringValue ?? "", "channel": r.values["channel"]?.stringValue ?? "",
             "since": String(r.createdAt.prefix(10))]
        }
        let stageField = StandardObjects.opportunity.field("stage")!
        let byStage = Dictionary(deals.map { ($0.keys.first?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let stages: [[String: Any]] = StandardObjects.openStages.compactMap { stage in
            guard let row = byStage[stage] else { return nil }
            return ["stage": t.option(stage, of: stageField), "count": row.count,
                    "amount": ValueDisplay.text(.number(row.sum ?? 0), StandardObjects.opportunity.field("amount"), t),
                    "href": "/o/opportunities?ff=stage&fo=eq&fv=\(stage)"]
        }
        let changes: [[String: Any]] = changes.map { c in
            let field = c.object.field(c.entry.field)
            return ["href": "/o/\(c.object.name)/\(c.entry.recordID)", "title": c.title, "object": lang.label(c.object.labels),
                    "at": c.entry.at, "actor": c.entry.actor.map { userNames[$0] ?? $0 } ?? "—",
                    "field": field.map { lang.label($0.labels) } ?? c.entry.field,
                    "old": ValueDisplay.change(c.entry, field, t).old, "new": ValueDisplay.change(c.entry, field, t).new]
        }
        return ["today": today, "tasks": tasks, "leads": leads, "newLeadCount": newLeadCount, "stages": stages, "changes": changes]
    }
}
