import Foundation
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
    /// Users (owners, history actors) and the records this one, its history and its related lists point at.
    public var names: ReferenceNames
    /// Roles the record's required groups suggest, with the contacts in each (empty: none suggested).
    public var roles: [(role: String, people: [Record])] = []
    /// Records that may be this one, offered for merging when the reader may merge.
    public var possibleDuplicates: [FormPage.Duplicate] = []
    public var canMerge = false
    /// Merges into this record, newest first: who the merged records were, and whether the merge was undone.
    public var merges: [(id: String, mergedAt: String, undoneAt: String?, identities: [String])] = []
    /// The activities and tasks about this record (newest first), shown with its edits in one timeline; `timelineFilter`
    /// keeps one kind (`activities`, `tasks`, `edits`) or all (nil).
    public var activities: [Record] = [], tasks: [Record] = []
    public var timelineFilter: String?
    /// Whether the record is in an approval (locked), and the approval processes it may be submitted to.
    /// What the timeline can be narrowed to (`?tl=`).
    public static let timelineFilters = ["activities", "tasks", "approvals", "edits"]

    public var locked = false
    /// The approval requests on the record, with their decisions (named after `processes`).
    public var approvals: [ApprovalRequest] = []
    /// A lead's response timers (nil for other records).
    public var responseTimers: [SLATimer]?
    /// The edit the reader just saved, and the version it made: offered for undo.
    public var undo: (change: String, version: Int)?
    public var processes: [(id: String, label: String)] = []
    /// The pipeline the record follows, its stage moves oldest first, and the seconds in a working day.
    public var pipeline: Pipeline?
    public var stages: [StageTransition] = []
    /// Files on the record, newest first.
    public var attachments: [Attachment] = []
    /// An activity's credibility, with its reasons.
    public var credibility: Credibility?
    /// A quote's or a contract's lines and totals; a contract's payment plan.
    public var documentLines: DocumentLinesCard?
    public var paymentPlan: PaymentPlanCard?
    public var signing: SigningCard?
    public var workingDay: Double = 9 * 3_600

    public init(object: ObjectDefinition, record: Record, history: [HistoryEntry], related: [RelatedList] = [], names: ReferenceNames) {
        self.object = object
        self.record = record
        self.history = history
        self.related = related
        self.names = names
    }

    public var title: String { Self.title(of: record) }

    /// What names a record on pages: its name, else its subject, else its id.
    public static func title(of record: Record) -> String {
        if let title = record.values["name"]?.stringValue ?? record.values["subject"]?.stringValue { return title }
        // A record without a name (a payment, an instalment of a plan): its amount and its day, never its id.
        let parts = [Decimal(exactly: record.value("amount")).map(\.yuan), record.value("received_on").stringValue ?? record.value("due_date").stringValue]
        return parts.compactMap { $0 }.isEmpty ? record.id : parts.compactMap { $0 }.joined(separator: " · ")
    }

    /// The (object, field) pairs whose records may point at a record of `object`: the related lists it shows.
    public static func relations(of object: ObjectDefinition, in objects: [ObjectDefinition]) -> [(ObjectDefinition, FieldDefinition)] {
        objects.flatMap { other in
            other.fields.filter { $0.type == .reference && ($0.target == object.name || $0.target == StandardObjects.anyObject) }
                .map { (other, $0) }
        }
    }

    /// A field's label and value as the reader may see it, linked when it names another record.
    struct Item {
        var label, value: String
        var href: String?
    }

    struct Section {
        var title: String
        var fields: [Item]
    }

    struct Related {
        struct Column {
            var label: String
        }

        struct Row {
            var cells: [Item]
        }

        var title: String
        var count: Int
        var hasRows: Bool
        var columns: [Column]
        var rows: [Row]
        var allHref: String
        /// Nil for records written only through this one's page (a quote's lines).
        var newHref: String?
    }

    /// One moment in the record's life: an edit with every field it changed, an activity logged, a task set.
    struct Undo {
        var change: String
        var version: Int
    }

    struct RoleCoverage {
        struct Person {
            var name, href: String
        }

        var role: String
        var people: [Person]
        var vacant: Bool
        var addHref: String
    }

    struct DuplicateLink {
        var text, href: String
        var mergeHref: String?
    }

    struct Merge {
        var id, date, undone: String
        var active: Bool
        var identities: [String]
        var undoAction: String
    }

    struct Process {
        var id, label: String
    }

    struct File {
        var name, href, kind, size, by, when, at: String
    }

    struct Upload {
        var action: String
        var kinds: [Option]
    }

    /// One stage move: "提交方案 → 商务谈判", when, by whom, why, and how long the deal had been in the stage it left.
    struct StageRow {
        var move, when, at, by: String
        var spent, reason, flag: String?
    }

    public struct Context: PageContext {
        public static let template = Template.record

        var title, object, id, csrf: String
        var sections: [Section]
        var related: [Related]
        var history: [TimelineEntry]
        var timelineTabs: [Link]
        var roles: [RoleCoverage]
        var hasRoles: Bool
        var duplicates: [DuplicateLink]
        var hasDuplicates: Bool
        var merges: [Merge]
        var hasMerges: Bool
        var relationshipsHref, registryAction, closedStatus: String?
        /// In an approval: no edits, no new submission.
        var locked: Bool
        var undo: Undo?
        var processes: [Process]
        var hasProcesses: Bool
        /// "记一次电话" on the record (not on activities and tasks themselves).
        var quickLog: QuickLog?
        /// A lead still open: convert it, or disqualify it with a reason.
        var openLead: Bool
        /// A lead's response SLA.
        var sla: SLACard?
        /// The stage history, newest first.
        var stageRows: [StageRow]
        var hasStages: Bool
        var files: [File]
        var hasFiles: Bool
        var upload: Upload?
        var credibility: CredibilityCard?
        var documentLines: DocumentLinesCard?
        var paymentPlan: PaymentPlanCard?
        var signing: SigningCard?
        /// Written only through another's page (a quote's lines): no edit here.
        var writtenThrough: Bool
    }

    /// "可信度 85 分" and why: each reason with the points it gave.
    struct CredibilityCard {
        var score: String
        var reasons: [Reason]
        struct Reason {
            var text, points: String
        }
    }

    func stageRows(_ t: Strings) -> [StageRow] {
        func label(_ stage: String?) -> String {
            stage.map { name in pipeline?.stage(name).map { t.language.label($0.labels) } ?? t.option(name, of: object.field("stage")) } ?? "—"
        }
        return stages.reversed().map { s in
            let spent = s.secondsInStage.map { seconds in
                t["stage_spent"].replacingOccurrences(of: "{1}", with: String(format: "%.1f", Double(s.workingSecondsInStage ?? 0) / max(1, workingDay)))
                    .replacingOccurrences(of: "{2}", with: String(format: "%.1f", Double(seconds) / 86_400))
            }
            return StageRow(move: s.from == nil ? t["stage_entered"].replacingOccurrences(of: "{1}", with: label(s.to)) : "\(label(s.from)) → \(label(s.to))",
                            when: t.time(s.at), at: s.at, by: names.user(s.actor, t), spent: spent, reason: s.reason,
                            flag: s.back ? t["stage_back"] : s.firstTime ? nil : t["stage_second_try"])
        }
    }

    func item(_ f: FieldDefinition, of r: Record, _ t: Strings) -> Item {
        let (text, href) = names.display(r, f, t)
        return Item(label: t.language.label(f.labels), value: text, href: href)
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let lang = t.language
        let system = ObjectDefinition.systemFieldDefinitions.filter { ["created_at", "created_by", "updated_at", "updated_by"].contains($0.name) }
        let sections = PageLayout.sections(object).map { s in Section(title: t[s.key], fields: s.fields.map { item($0, of: record, t) }) }
            + [Section(title: t["section_system"], fields: system.map { item($0, of: record, t) })]
        let related = related.map { list in
            let columns = Array(list.object.fields.filter { $0.name != list.field.name }.prefix(4))
            return Related(
                title: lang.label(list.object.labels) + (list.field.target == StandardObjects.anyObject ? "" : " · " + lang.label(list.field.labels)),
                count: list.count, hasRows: !list.records.isEmpty,
                columns: columns.map { Related.Column(label: lang.label($0.labels)) },
                rows: list.records.map { r in
                    Related.Row(cells: columns.enumerated().map { i, f in
                        var cell = item(f, of: r, t)
                        if i == 0 { cell.href = "/o/\(list.object.name)/\(r.id)" }
                        return cell
                    })
                },
                allHref: "/o/\(list.object.name)?ff=\(list.field.name)&fo=eq&fv=\(record.id)",
                newHref: StandardObjects.writtenThrough[list.object.name] == nil ? "/o/\(list.object.name)/new?\(list.field.name)=\(record.id)" : nil)
        }
        // One entry per edit, newest first.
        let history = Dictionary(grouping: history, by: \.changeID).values.sorted { $0[0].seq > $1[0].seq }
            .map { TimelineEntry(edit: $0, of: object, names: names, t) }
        // The activities and tasks join the edits in one stream, newest first; a filter keeps one kind.
        let activityType = StandardObjects.activity.field("type"), taskStatus = StandardObjects.task.field("status")
        let logged = activities.map { a in
            let at = a.value("occurred_at").stringValue ?? a.createdAt
            return TimelineEntry(at: at, when: t.time(at), actor: names.user(a.value("owner").stringValue, t),
                          operation: t.option(a.value("type").stringValue ?? "", of: activityType), items: [],
                          subject: RecordPage.title(of: a), href: "/o/activities/\(a.id)",
                          detail: [a.value("body").stringValue, a.value("next_step").stringValue.map { t["next_step_label"] + $0 }]
                            .compactMap { $0 }.joined(separator: " · "), kind: "activity")
        }
        let set = tasks.map { task in
            let due = task.value("due").stringValue
            return TimelineEntry(at: task.createdAt, when: t.time(task.createdAt), actor: names.user(task.value("assignee").stringValue, t),
                          operation: t["timeline_task"], items: [], subject: RecordPage.title(of: task), href: "/o/tasks/\(task.id)",
                          detail: [due.map { t["due_label"] + $0 }, task.value("status").stringValue.map { t.option($0, of: taskStatus) }]
                            .compactMap { $0 }.joined(separator: " · "), kind: "task")
        }
        // Each approval: its submission, then each decision taken (with the comment).
        let labels = Dictionary(processes.map { ($0.id, $0.label) }, uniquingKeysWith: { a, _ in a })
        let asked = approvals.flatMap { r in
            let process = labels[r.processID] ?? r.processID
            return [TimelineEntry(at: r.createdAt, when: t.time(r.createdAt), actor: names.user(r.submittedBy, t), operation: t["timeline_submitted"],
                                  items: [], subject: process, href: "/approvals", kind: "approval")]
                + r.decisions.filter { $0.decision != "skipped" }.map { d in
                    TimelineEntry(at: d.at, when: t.time(d.at), actor: names.user(d.actor, t), operation: t["approval_" + d.decision],
                                  items: [], subject: process + " · " + d.stepName, href: "/approvals", detail: d.comment.isEmpty ? nil : d.comment,
                                  kind: "approval")
                }
        }
        func shown(_ kind: String) -> Bool { timelineFilter == nil || timelineFilter == kind }
        let stream = (shown("activities") ? logged : []) + (shown("tasks") ? set : []) + (shown("approvals") ? asked : []) + (shown("edits") ? history : [])
        let base = "/o/\(object.name)/\(record.id)"
        let tabs = ([(nil, "timeline_all")] + Self.timelineFilters.map { ($0, "timeline_" + $0) }).map { key, label in
            Link(base + (key.map { "?tl=" + $0 } ?? "") + "#h-history", t[label], current: key == timelineFilter)
        }
        let contacts = StandardObjects.contact
        let link = contacts.fields.first { $0.type == .reference && $0.target == object.name }?.name ?? ""
        let roles = roles.map { role, people in
            RoleCoverage(role: role, people: people.map { RoleCoverage.Person(name: $0.value("name").stringValue ?? $0.id, href: "/o/\(contacts.name)/\($0.id)") },
                 vacant: people.isEmpty, addHref: "/o/\(contacts.name)/new?\(link)=\(record.id)&role=\(URLQuery.escape(role))")
        }
        // Records the reader may not see are left out here: the record page lists what can be opened or merged.
        let duplicates = possibleDuplicates.compactMap { d -> DuplicateLink? in
            guard let id = d.id, let name = d.name, let score = d.score else { return nil }
            return DuplicateLink(text: "\(name) (\(t["match_score"]) \(Int((score * 100).rounded(.down)))%)", href: "/o/\(object.name)/\(id)",
                                 mergeHref: canMerge ? "/o/\(object.name)/\(record.id)/merge?with=\(id)" : nil)
        }
        let merges = merges.map { m in
            Merge(id: m.id, date: t.time(m.mergedAt), undone: m.undoneAt.map(t.time) ?? "",
                  active: m.undoneAt == nil, identities: m.identities, undoAction: "/o/\(object.name)/merges/\(m.id)/undo")
        }
        let isAccount = object.name == StandardObjects.account.name
        return Context(
            title: title, object: object.name, id: record.id, csrf: csrf, sections: sections, related: related,
            history: stream.sorted { $0.at > $1.at }, timelineTabs: tabs,
            roles: roles, hasRoles: !roles.isEmpty, duplicates: duplicates, hasDuplicates: !duplicates.isEmpty,
            merges: merges, hasMerges: !merges.isEmpty,
            relationshipsHref: isAccount ? "/o/\(object.name)/\(record.id)/relationships" : nil,
            registryAction: isAccount ? "/o/\(object.name)/\(record.id)/registry-check" : nil,
            closedStatus: isAccount ? record.value("registry_status").stringValue.flatMap { RegistryStatus.closed.contains($0) ? $0 : nil } : nil,
            locked: locked, undo: undo.map { Undo(change: $0.change, version: $0.version) }, processes: processes.map { Process(id: $0.id, label: $0.label) }, hasProcesses: !processes.isEmpty,
            quickLog: ["activities", "tasks"].contains(object.name) ? nil
                : QuickLog(t, csrf: csrf, next: "/o/\(object.name)/\(record.id)", relatedTo: record.id),
            openLead: object.name == "leads" && !["converted", "unqualified"].contains(record.value("status").stringValue ?? ""),
            sla: responseTimers.flatMap { SLACard($0, now: Date(), t) }, stageRows: stageRows(t), hasStages: !stages.isEmpty,
            files: attachments.map { a in
                File(name: a.filename, href: "/o/\(object.name)/\(record.id)/attachments/\(a.id)", kind: t["kind_" + a.kind],
                     size: a.size >= 1_048_576 ? String(format: "%.1f MB", Double(a.size) / 1_048_576) : String(format: "%.0f KB", max(1, Double(a.size) / 1_024)),
                     by: names.user(a.uploadedBy, t), when: t.time(a.at), at: a.at)
            }, hasFiles: !attachments.isEmpty,
            upload: locked ? nil : Upload(action: "/o/\(object.name)/\(record.id)/attachments",
                                          kinds: Attachment.kinds.map { Option($0, t["kind_" + $0], selected: $0 == "other") }),
            credibility: credibility.map { c in
                CredibilityCard(score: t["credibility_score"].replacingOccurrences(of: "{1}", with: String(c.score)),
                                reasons: c.reasons.map { .init(text: t.language == .en ? $0.en : $0.zh, points: "+\($0.points)") })
            }, documentLines: documentLines, paymentPlan: paymentPlan, signing: signing.flatMap { $0.isEmpty ? nil : $0 }, writtenThrough: StandardObjects.writtenThrough[object.name] != nil)
    }
}
