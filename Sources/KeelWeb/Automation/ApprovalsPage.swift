import KeelCore

/// Approvals waiting for me (approve, or reject with a comment) and the ones I submitted.
public struct ApprovalsPage: PageContext {
    public static let template = Template.approvals

    struct Decision {
        var step, actor, decision, comment: String
    }

    struct Row {
        var id, record, object, process: String
        var version: Int
        var step, submitter, status, at: String
        /// Whether the reader decides the current step.
        var decide: Bool
        var decisions: [Decision]
    }

    var csrf: String
    var requests: [Row]
    var hasRequests: Bool

    public init(_ requests: [ApprovalRequest], userNames: [String: String], _ t: Strings, csrf: String) {
        self.csrf = csrf
        hasRequests = !requests.isEmpty
        self.requests = requests.map { r in
            Row(id: r.id, record: "/o/\(r.object)/\(r.recordID)", object: r.object, process: r.processID, version: r.version,
                step: r.status == "pending" ? (r.stepName ?? "") : "—", submitter: userNames[r.submittedBy] ?? r.submittedBy,
                status: t["approval_" + r.status], at: r.createdAt, decide: r.canDecide,
                decisions: r.decisions.map { d in
                    Decision(step: d.stepName, actor: userNames[d.actor] ?? d.actor, decision: t["approval_" + d.decision], comment: d.comment)
                })
        }
    }
}
