import KeelCore

extension AdminPage {
    /// The access tab: the policy document to edit (JSON, checked when saved), the permission health scan, recent
    /// audit entries.
    public static func access(document: String, version: Int, findings: [(kind: String, email: String, message: String, fix: String)],
                              audit: [AuditEntry], userNames: [String: String], _ t: Strings, csrf: String,
                              violations: [Violation] = [], input: [String: String] = [:]) -> [String: Any] {
        var context = base("access", t, csrf: csrf, violations: violations, input: input)
        context["document"] = input["document"] ?? document
        context["version"] = String(version)
        context["findings"] = findings.map { ["kind": t["finding_" + $0.kind], "email": $0.email, "message": $0.message, "fix": $0.fix] }
        context["hasFindings"] = !findings.isEmpty
        context["audit"] = audit.map { e -> [String: Any] in
            ["at": e.at, "actor": e.actor.map { userNames[$0] ?? $0 } ?? "—", "action": t["audit_" + e.action], "object": e.object ?? "",
             "record": e.recordID ?? "", "detail": e.detail.canonicalText()]
        }
        return context
    }
}
