import KeelCore

/// Approvals waiting for me (approve, or reject with a comment) and the ones I submitted; and my notifications.
public enum ApprovalsPage {
    public static func context(_ requests: [ApprovalRequest], userNames: [String: String], _ t: Strings, csrf: String) -> [String: Any] {
        [
            "csrf": csrf, "hasRequests": !requests.isEmpty,
            "requests": requests.map { r -> [String: Any] in
                [
                    "id": r.id, "record": "/o/\(r.object)/\(r.recordID)", "object": r.object, "process": r.processID, "version": r.version,
                    "step": r.status == "pending" ? (r.stepName ?? "") : "—", "submitter": userNames[r.submittedBy] ?? r.submittedBy,
                    "status": t["approval_" + r.status], "at": r.createdAt, "decide": r.canDecide,
                    "decisions": r.decisions.map { d in
                        ["step": d.stepName, "actor": userNames[d.actor] ?? d.actor, "decision": t["approval_" + d.decision], "comment": d.comment]
                    },
                ]
            },
        ]
    }

    public static func notifications(_ items: [UserNotification], _ t: Strings, csrf: String) -> [String: Any] {
        [
            "csrf": csrf, "hasItems": !items.isEmpty,
            "items": items.map { n -> [String: Any] in
                var row: [String: Any] = ["title": n.title, "at": n.createdAt, "unread": n.readAt == nil]
                if let object = n.object, let id = n.recordID { row["href"] = "/o/\(object)/\(id)" }
                return row
            },
        ]
    }
}
