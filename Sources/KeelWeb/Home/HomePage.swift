import Foundation
import KeelCore

/// "Today": what a salesperson should do first — tasks due, leads waiting, open deals, what changed.
public struct HomePage {
    /// One edit of one of my records: the history entries of one change.
    public struct Change {
        public var entries: [HistoryEntry]
        public var object: ObjectDefinition
        public var title: String

        public init(entries: [HistoryEntry], object: ObjectDefinition, title: String) {
            self.entries = entries
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
    /// Users, and the records the changes' references point at.
    public var names: ReferenceNames
    /// My open deals expected to close by the end of this month (earlier ones too: overdue).
    public var closing: [Record] = []
    public var now = Date()

    public init(today: String, tasks: [Record], leads: [Record], newLeadCount: Int, deals: [AggregateRow], changes: [Change],
                names: ReferenceNames) {
        self.today = today
        self.tasks = tasks
        self.leads = leads
        self.newLeadCount = newLeadCount
        self.deals = deals
        self.changes = changes
        self.names = names
    }

    struct Task {
        var href, subject, due, when: String
        var overdue: Bool
    }

    struct Lead {
        var href, name, company, channel, since, ago: String
    }

    struct Deal {
        var href, name, amount, close, when, stage: String
        var overdue: Bool
    }

    struct Stage {
        var stage: String
        var count: Int
        var amount, href: String
    }

    /// What the template shows.
    public struct Context: PageContext {
        public static let template = Template.home

        var today: String
        var tasks: [Task]
        var leads: [Lead]
        var newLeadCount: Int
        var stages: [Stage]
        var closing: [Deal]
        var changes: [TimelineEntry]
        var quickLog: QuickLog
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let lang = t.language
        let stageField = StandardObjects.opportunity.field("stage")!
        let byStage = Dictionary(deals.map { ($0.keys.first?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        return Context(
            today: today,
            tasks: tasks.map { r in
                let due = r.values["due"]?.stringValue ?? ""
                return Task(href: "/o/tasks/\(r.id)", subject: r.values["subject"]?.stringValue ?? "—", due: due, when: t.day(due, today: today),
                            overdue: !due.isEmpty && due < today)
            },
            leads: leads.map { r in
                Lead(href: "/o/leads/\(r.id)", name: r.values["name"]?.stringValue ?? "—", company: r.values["company"]?.stringValue ?? "",
                     channel: ValueDisplay.text(r.value("channel"), StandardObjects.lead.field("channel"), t), since: r.createdAt,
                     ago: t.ago(r.createdAt, now: now))
            },
            newLeadCount: newLeadCount,
            stages: StandardObjects.openStages.compactMap { stage in
                byStage[stage].map { row in
                    Stage(stage: t.option(stage, of: stageField), count: row.count,
                          amount: ValueDisplay.text(.number(row.sum ?? 0), StandardObjects.opportunity.field("amount"), t),
                          href: "/o/opportunities?ff=stage&fo=eq&fv=\(stage)")
                }
            },
            closing: closing.map { r in
                let close = r.values["expected_close_date"]?.stringValue ?? ""
                return Deal(href: "/o/opportunities/\(r.id)", name: r.values["name"]?.stringValue ?? "—",
                            amount: ValueDisplay.text(of: r, StandardObjects.opportunity.field("amount")!, t), close: close,
                            when: t.day(close, today: today), stage: ValueDisplay.text(of: r, stageField, t), overdue: close < today)
            },
            changes: changes.map { c in
                var line = TimelineEntry(edit: c.entries, of: c.object, names: names, t)
                (line.subject, line.href, line.object) = (c.title, "/o/\(c.object.name)/\(c.entries[0].recordID)", lang.label(c.object.labels))
                line.when = t.ago(line.at, now: now)
                // A new record is one line here; what it was created with is on its page.
                if c.entries[0].operation != "update" { (line.items, line.hasItems) = ([], false) }
                return line
            },
            quickLog: QuickLog(t, csrf: csrf, next: "/"))
    }
}
