import Foundation
import KeelCore

/// The opportunity board: a column per stage with its totals, cards that move with a form (and by drag with the script).
public struct BoardPage {
    public struct Column {
        public var stage: String
        public var records: [Record]
        public var count: Int
        public var amount: Decimal

        public init(stage: String, records: [Record], count: Int, amount: Decimal) {
            self.stage = stage
            self.records = records
            self.count = count
            self.amount = amount
        }
    }

    public var object: ObjectDefinition
    public var columns: [Column]
    public var mineOnly: Bool
    /// What the cards' accounts and owners are called.
    public var names: ReferenceNames
    /// Today (`YYYY-MM-DD`), against which close dates are overdue.
    public var today = ""
    /// When each card's latest activity happened, and since when it has been in its stage (record id → ISO time).
    public var lastActivity: [String: String] = [:]
    public var stageSince: [String: String] = [:]
    public var now = Date()
    /// The deal just moved, and the stage it came from: said at the top, with a way to move it back.
    public var moved: (record: Record, from: String)?
    /// The pipeline the columns follow (labels, what each gate asks, after how many working days a deal is stale).
    public var pipeline: Pipeline?
    /// Working days each stale card has been in its stage.
    public var staleDays: [String: Int] = [:]
    /// A move its gate refused: the card stays, and asks for what is missing before it moves.
    public var refused: Refused?
    /// Names of approval processes (a gate may ask for one).
    public var processNames: [String: String] = [:]

    public struct Refused {
        public var id: String
        public var to: String
        public var violations: [Violation]

        public init(id: String, to: String, violations: [Violation]) { (self.id, self.to, self.violations) = (id, to, violations) }
    }

    public init(object: ObjectDefinition, columns: [Column], mineOnly: Bool, names: ReferenceNames) {
        self.object = object
        self.columns = columns
        self.mineOnly = mineOnly
        self.names = names
    }

    struct Card {
        var id: String
        var version: Int
        var href, title, amount, account, owner: String
        /// The expected close date as people say it, flagged when past.
        var close: String?
        var closeDate: String
        var overdue: Bool
        /// "最近活动 3 天前" or "尚无活动"; "本阶段 12 天".
        var activity, inStage: String
        /// The stages to move it to, its own chosen.
        var options: [Option]
        /// "停滞 12 个工作日" past its stage's limit.
        var stale: String?
        var gate: Gate?
    }

    /// What a refused move still needs: the fields to fill (and a reason to go back) in a small form that moves the
    /// card once they are given, and what no form can give (a skipped stage, a missing decision maker, an approval).
    struct Gate {
        var title, to: String
        var fields: [FormPage.Field]
        var notes: [Note]
        var reason: Bool
        /// Only what the form can give is missing.
        var canSubmit: Bool
    }

    /// What no form can give, and where on the deal's page to give it (its files, its approvals, its account's people).
    struct Note {
        var text: String
        var href: String?
        var action: String?
    }

    struct Lane {
        var stage, label: String
        var count: Int
        var amount: String
        /// How many more cards the column has than it shows, nil when none, and the list that shows them all.
        var more: String?
        var moreHref: String
        var cards: [Card]
    }

    public struct Context: PageContext {
        public static let template = Template.board

        var columns: [Lane]
        var csrf: String
        /// Where a move comes back to.
        var back: String
        var mineOnly: Bool
        var moved: Moved?
    }

    /// "已将 商机「X」移至 商务谈判" and an undo that moves it back.
    struct Moved {
        var text, id, from: String
        var version: Int
    }

    static func days(since stored: String, now: Date) -> Int {
        ValueFormats.parseDateTime(stored).map { max(0, Int(now.timeIntervalSince($0) / 86_400)) } ?? 0
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let amountField = object.field("amount")
        let stages = columns.map(\.stage)
        return Context(
            columns: columns.map { column in
                Lane(stage: column.stage, label: label(column.stage, t), count: column.count,
                     amount: ValueDisplay.text(.number(column.amount), amountField, t),
                     // A won or lost column shows the deals closed in the last 30 days; its totals count all of them.
                     more: column.count > column.records.count
                        ? t[pipeline?.stage(column.stage).map { $0.outcome != .open } == true ? "more_closed_cards" : "more_cards"]
                            .replacingOccurrences(of: "{1}", with: String(column.count - column.records.count)) : nil,
                     moreHref: "/o/\(object.name)?ff=stage&fo=eq&fv=\(column.stage)&sort=-amount",
                     cards: column.records.map { r in
                         let close = r.values["expected_close_date"]?.stringValue, open = StandardObjects.openStages.contains(column.stage)
                         return Card(id: r.id, version: r.version, href: "/o/\(object.name)/\(r.id)", title: RecordPage.title(of: r),
                                     amount: amountField.map { ValueDisplay.text(of: r, $0, t) } ?? "—",
                                     account: r.value("account").isNull ? "" : names.text(r.value("account"), t),
                                     owner: mineOnly ? "" : names.user(r.value("owner").stringValue, t),
                                     close: close.map { t.day($0, today: today, due: open) }, closeDate: close ?? "",
                                     overdue: close.map { $0 < today && open } ?? false,
                                     activity: lastActivity[r.id].map { t["last_activity"].replacingOccurrences(of: "{1}", with: t.ago($0, now: now)) } ?? t["no_activity"],
                                     inStage: t["days_in_stage"].replacingOccurrences(of: "{1}", with: String(Self.days(since: stageSince[r.id] ?? r.createdAt, now: now))),
                                     options: stages.map { Option($0, label($0, t), selected: $0 == column.stage) },
                                     stale: staleDays[r.id].map { t["stale_days"].replacingOccurrences(of: "{1}", with: String($0)) },
                                     gate: refused.flatMap { $0.id == r.id ? gate($0, record: r, t) : nil })
                     })
            },
            csrf: csrf, back: mineOnly ? "/board" : "/board?owner=all", mineOnly: mineOnly,
            moved: moved.map { m in
                Moved(text: t["moved_to"].replacingOccurrences(of: "{1}", with: RecordPage.title(of: m.record))
                        .replacingOccurrences(of: "{2}", with: label(m.record.value("stage").stringValue ?? "", t)),
                      id: m.record.id, from: m.from, version: m.record.version)
            })
    }

    /// A stage's name in the reader's language: the pipeline's label, else the picklist's.
    func label(_ stage: String, _ t: Strings) -> String {
        pipeline?.stage(stage).map { t.language.label($0.labels) } ?? t.option(stage, of: object.field("stage"))
    }

    func gate(_ refused: Refused, record: Record, _ t: Strings) -> Gate {
        let form = FormPage(object: object, values: record.values, violations: [], action: "", cancelHref: "", version: record.version, title: "")
        var fields: [FormPage.Field] = [], notes: [Note] = []
        let to = label(refused.to, t)
        let page = "/o/\(object.name)/\(record.id)"
        func note(_ text: String, _ href: String? = nil, _ action: String? = nil) { notes.append(Note(text: text, href: href, action: action)) }
        for v in refused.violations {
            switch v.code {
            case "required", "unchecked":
                if let f = object.field(v.field) { fields.append(form.field(f, t)) }
            case "reason_required": break
            case "skip_not_allowed":
                let open = pipeline?.openStages.map(\.name) ?? []
                let from = record.value("stage").stringValue ?? ""
                let next = pipeline?.stage(refused.to)?.outcome == .won ? open.last : open.firstIndex(of: from).flatMap { $0 + 1 < open.count ? open[$0 + 1] : nil }
                note(t["gate_skip"].replacingOccurrences(of: "{1}", with: next.map { label($0, t) } ?? "—"))
            case "related_missing":
                let requirement = pipeline?.gates(entering: refused.to).flatMap(\.related).first { $0.object == v.field }
                let account = record.value("account").stringValue
                note(t["gate_related"].replacingOccurrences(of: "{1}", with: requirement.map { t.language.label($0.labels) } ?? v.field)
                    .replacingOccurrences(of: "{2}", with: String(requirement?.min ?? 1)), account.map { "/o/accounts/\($0)" } ?? page, t["gate_open_account"])
            case "attachment_missing":
                let kinds = pipeline?.gates(entering: refused.to).flatMap(\.attachments) ?? []
                note(t["gate_attachment"].replacingOccurrences(of: "{1}", with: kinds.map { t["kind_" + $0] }.joined(separator: t["list_separator"])),
                     page + "#h-attachments", t["gate_upload"])
            case "approval_missing":
                let process = pipeline?.gates(entering: refused.to).compactMap(\.approval).first ?? ""
                note(t["gate_approval"].replacingOccurrences(of: "{1}", with: processNames[process] ?? t["an_approval"]), page, t["gate_submit_approval"])
            default:
                note(t.violation(v))
            }
        }
        let reason = refused.violations.contains { $0.code == "reason_required" }
        return Gate(title: t["gate_title"].replacingOccurrences(of: "{1}", with: to), to: refused.to, fields: fields, notes: notes,
                    reason: reason, canSubmit: notes.isEmpty && (reason || !fields.isEmpty))
    }
}
