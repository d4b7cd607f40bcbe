import KeelCore

/// Requests for access to secret records: the ones I made and the ones I must decide; and the form to make one.
public enum AccessRequestsPage {
    public static func context(_ requests: [AccessRequest], me: String, userNames: [String: String], _ t: Strings, csrf: String) -> [String: Any] {
        [
            "csrf": csrf, "hasRequests": !requests.isEmpty,
            "requests": requests.map { r -> [String: Any] in
                var row: [String: Any] = [
                    "id": r.id, "record": "/o/\(r.object)/\(r.recordID)", "object": r.object, "reason": r.reason,
                    "requester": userNames[r.requester] ?? r.requester, "approver": userNames[r.approver] ?? r.approver,
                    "status": t["request_" + r.status.rawValue], "at": r.createdAt, "decide": r.status == .pending && r.approver == me,
                ]
                if let expires = r.expiresAt { row["expires"] = expires }
                return row
            },
            "hours": [1, 4, 8, 24, 72, 168].map { ["value": $0, "selected": $0 == 24] },
        ]
    }

    public static func form(object: String, record: String, approvers: [User], _ t: Strings, csrf: String,
                            violations: [Violation], input: [String: String]) -> [String: Any] {
        [
            "csrf": csrf, "object": object, "record": record, "reason": input["reason"] ?? "",
            "errors": violations.map { t.violation($0) }, "hasErrors": !violations.isEmpty,
            "approvers": approvers.map { ["value": $0.id, "text": "\($0.name) <\($0.email)>", "selected": $0.id == input["approver"]] },
        ]
    }
}
