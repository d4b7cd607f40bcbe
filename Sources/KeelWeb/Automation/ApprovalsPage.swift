import KeelCore

/// Approvals: those waiting (mine to decide first, with approve and reject) and, on the history tab, those decided —
/// each naming its record, its amount and what is asked, in the reader's language.
public struct ApprovalsPage: PageContext {
    public static let template = Template.approvals

    struct Decision {
        var step, actor, decision, comment: String
    }

    struct Row {
        var id, recordHref, record, object, process: String
        var amount: String?
        /// What the approver is asked to judge: the fields the process's conditions read, with their values.
        var asks: String?
        var step, submitter, status, at, when: String
        /// Whether the reader decides the current step.
        var decide: Bool
        var decisions: [Decision]
    }

    var csrf: String
    var tabs: [Link]
    var requests: [Row]
    var hasRequests, history: Bool

    /// `records`: the requests' records as the reader may see them (by id); `processes`: the processes by id.
    public init(_ requests: [ApprovalRequest], history: Bool, records: [String: Record], objects: [String: ObjectDefinition],
                processes: [String: ApprovalProcess], userNames: [String: String], _ t: Strings, csrf: String) {
        self.csrf = csrf
        self.history = history
        tabs = [Link("/approvals", t["approvals_waiting"], current: !history), Link("/approvals?tab=history", t["approvals_history"], current: history)]
        let shown = requests.filter { ($0.status == "pending") != history }
            .sorted { ($0.canDecide ? 0 : 1, history ? $1.decidedAt ?? "" : $0.createdAt) < ($1.canDecide ? 0 : 1, history ? $0.decidedAt ?? "" : $1.createdAt) }
        hasRequests = !shown.isEmpty
        self.requests = shown.map { r in
            let object = objects[r.object], record = records[r.recordID]
            let amount = record.flatMap { rec in object?.amountField.map { ValueDisplay.text(of: rec, $0, t) } }
            let asked = object.flatMap { processes[r.processID]?.askedFields(of: $0) } ?? []
            let asks = record.flatMap { rec in
                asked.isEmpty ? nil : asked.map { t.language.label($0.labels) + " " + ValueDisplay.text(of: rec, $0, t) }.joined(separator: " · ")
            }
            return Row(id: r.id, recordHref: "/o/\(r.object)/\(r.recordID)", record: record.map(RecordPage.title(of:)) ?? t["hidden_record"],
                       object: object.map { t.language.label($0.labels) } ?? r.object, process: processes[r.processID]?.label ?? r.processID,
                       amount: amount, asks: asks,
                       step: r.status == "pending" ? (r.stepName ?? "") : "—", submitter: userNames[r.submittedBy] ?? t["another_user"],
                       status: t["approval_" + r.status], at: r.decidedAt ?? r.createdAt, when: t.time(r.decidedAt ?? r.createdAt), decide: r.canDecide,
                       decisions: r.decisions.map { d in
                           Decision(step: d.stepName, actor: userNames[d.actor] ?? t["another_user"], decision: t["approval_" + d.decision], comment: d.comment)
                       })
        }
    }
}
