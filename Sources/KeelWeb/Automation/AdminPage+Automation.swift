import KeelCore

extension AdminPage {
    /// Per automation or endpoint: runs by outcome and the success rate.
    public struct RunCounts: Sendable {
        public var succeeded, failed, skipped, pending: Int
        public var successRate: Double

        public init(succeeded: Int, failed: Int, skipped: Int, pending: Int, successRate: Double) {
            (self.succeeded, self.failed, self.skipped, self.pending, self.successRate) = (succeeded, failed, skipped, pending, successRate)
        }
    }

    /// The automations tab: automations with their run counts (enable, disable, run log), a definition to dry-run or
    /// publish, approval processes, webhook endpoints with their deliveries, and dead letters to replay.
    public static func automations(_ items: [ConfigItem], processes: [ConfigItem], endpoints: [WebhookEndpoint], dead: [Job],
                                   counts: [String: RunCounts], dryRun: JSONValue?, secret: String?, _ t: Strings, csrf: String,
                                   violations: [Violation] = [], input: [String: String] = [:]) -> [String: Any] {
        var context = base("automations", t, csrf: csrf, violations: violations, input: input)
        func runs(_ key: String) -> [String: Any] {
            let c = counts[key] ?? RunCounts(succeeded: 0, failed: 0, skipped: 0, pending: 0, successRate: 1)
            return ["ok": c.succeeded, "failed": c.failed, "skipped": c.skipped, "pending": c.pending, "rate": "\(Int((c.successRate * 100).rounded()))%"]
        }
        context["automations"] = items.map { item -> [String: Any] in
            var row: [String: Any] = [
                "id": item.id, "label": item.definition["label"]?.stringValue ?? item.id, "object": item.definition["object"]?.stringValue ?? "",
                "trigger": triggerText(item.definition["trigger"] ?? .null), "version": item.version, "status": t["config_" + item.status],
                "active": item.status == "active", "runs": runs("automation/\(item.id)"),
            ]
            if let reason = item.statusReason { row["reason"] = reason }
            return row
        }
        context["hasAutomations"] = !items.isEmpty
        context["definition"] = input["definition"] ?? example
        if let dryRun {
            context["dryRun"] = [
                "evaluated": dryRun["evaluated"]?.intValue ?? 0, "wouldRun": dryRun["wouldRun"]?.intValue ?? 0,
                "results": (dryRun["results"]?.arrayValue ?? []).map { r -> [String: Any] in
                    ["id": r["id"]?.stringValue ?? "", "condition": r["condition"]?.boolValue == true ? t["yes"] : t["no"],
                     "effects": (r["actions"]?.arrayValue ?? []).map { $0.canonicalText() }.joined(separator: "\n")]
                },
            ] as [String: Any]
        }
        context["processes"] = processes.map { p -> [String: Any] in
            var row: [String: Any] = [
                "id": p.id, "object": p.definition["object"]?.stringValue ?? "", "version": p.version, "status": t["config_" + p.status],
                "steps": (p.definition["steps"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.joined(separator: " → "),
            ]
            if let reason = p.statusReason { row["reason"] = reason }
            return row
        }
        context["hasProcesses"] = !processes.isEmpty
        context["processDefinition"] = input["process"] ?? processExample
        context["endpoints"] = endpoints.map { e -> [String: Any] in
            ["id": e.id, "url": e.url, "objects": e.objects.joined(separator: ", "), "events": e.events.joined(separator: ", "),
             "status": t["config_" + e.status], "runs": runs("webhook/\(e.id)")]
        }
        context["hasEndpoints"] = !endpoints.isEmpty
        context["dead"] = dead.map { j -> [String: Any] in
            ["id": j.id, "endpoint": j.ref, "record": j.recordID.map { "\(j.object ?? "")/\($0)" } ?? "", "error": j.lastError ?? "", "at": j.finishedAt ?? ""]
        }
        context["hasDead"] = !dead.isEmpty
        if let secret { context["secret"] = secret }
        return context
    }

    /// A run log: every run (or delivery) with each attempt.
    public static func runs(title: String, jobs: [(Job, [JobAttempt])], _ t: Strings) -> [String: Any] {
        [
            "heading": title, "hasRuns": !jobs.isEmpty,
            "runs": jobs.map { job, attempts -> [String: Any] in
                [
                    "at": job.createdAt, "record": job.recordID.map { "/o/\(job.object ?? "")/\($0)" } ?? "", "recordID": job.recordID ?? "—",
                    "status": t["job_" + job.status], "attempts": job.attempts, "note": job.lastError ?? "", "version": job.version,
                    "log": attempts.map { a in
                        "#\(a.attempt) \(a.startedAt) \(a.outcome)\(a.httpStatus.map { " HTTP \($0)" } ?? "") \(a.durationMS) ms\(a.error.map { " — \($0)" } ?? "")"
                    }.joined(separator: "\n"),
                ]
            },
        ]
    }

    static func triggerText(_ trigger: JSONValue) -> String {
        let type = trigger["type"]?.stringValue ?? ""
        let detail = [trigger["field"], trigger["stage"], trigger["cron"], trigger["days"].map { .string("+\($0.intValue ?? 0)d") }]
            .compactMap { $0?.stringValue }
        return ([type] + detail).joined(separator: " ")
    }

    static let example = """
        {
          "id": "big-deal-review",
          "label": "大单进入谈判：建任务并通知",
          "object": "opportunities",
          "trigger": {"type": "stage_entered", "stage": "negotiation"},
          "condition": "amount > 1000000",
          "actions": [
            {"type": "create_record", "object": "tasks", "values": {"subject": "\\"合同评审: \\" & name", "related_to": "id", "assignee": "owner"}},
            {"type": "notify", "to": ["owner", "manager"], "message": "name & \\" 进入谈判\\""}
          ]
        }
        """

    static let processExample = """
        {
          "id": "discount-approval",
          "label": "折扣审批",
          "object": "opportunities",
          "entry": "amount > 0",
          "steps": [
            {"name": "区域经理", "approver": "manager"},
            {"name": "总部", "approver": "role:admin", "when": "amount > 1000000"}
          ],
          "on_approve": {"stage": "\\"negotiation\\""}
        }
        """
}
