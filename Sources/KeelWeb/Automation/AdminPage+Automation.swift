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
    /// publish, approval processes, webhook endpoints with their deliveries, the working calendar, and dead letters to replay.
    public struct Automations: PageContext {
        public static let template = Template.adminAutomations

        struct Runs {
            var ok, failed, skipped, pending: Int
            var rate: String

            init(_ c: RunCounts?) {
                let c = c ?? RunCounts(succeeded: 0, failed: 0, skipped: 0, pending: 0, successRate: 1)
                (ok, failed, skipped, pending, rate) = (c.succeeded, c.failed, c.skipped, c.pending, "\(Int((c.successRate * 100).rounded()))%")
            }
        }

        struct Automation {
            var id, label, object, trigger: String
            var version: Int
            var status: String
            var reason: String?
            var active: Bool
            var runs: Runs
        }

        struct DryRun {
            struct Result {
                var id, condition, effects: String
            }

            var evaluated, wouldRun: Int
            var results: [Result]
        }

        struct Process {
            var id, object: String
            var version: Int
            var status, steps: String
            var reason: String?
        }

        struct Endpoint {
            var id, url, objects, events, status: String
            var runs: Runs
        }

        struct DeadLetter {
            var id, endpoint, record, error, at: String
        }

        var frame: Frame
        var csrf: String
        var input: [String: String]
        var automations: [Automation]
        var hasAutomations: Bool
        var definition: String
        var dryRun: DryRun?
        var processes: [Process]
        var hasProcesses: Bool
        var processDefinition: String
        var endpoints: [Endpoint]
        var hasEndpoints: Bool
        var dead: [DeadLetter]
        var hasDead: Bool
        /// A new endpoint's signing secret, shown this once.
        var secret: String?
        /// The working calendar (JSON).
        var calendar: String

        public init(_ items: [ConfigItem], processes: [ConfigItem], endpoints: [WebhookEndpoint], dead: [Job],
                    counts: [String: RunCounts], dryRun: JSONValue?, secret: String?, calendar: String, _ t: Strings, csrf: String,
                    violations: [Violation] = [], input: [String: String] = [:]) {
            (frame, self.csrf, self.input) = (Frame("automations", t, violations: violations), csrf, input)
            automations = items.map { item in
                Automation(id: item.id, label: item.definition["label"]?.stringValue ?? item.id, object: item.definition["object"]?.stringValue ?? "",
                           trigger: AdminPage.triggerText(item.definition["trigger"] ?? .null), version: item.version, status: t["config_" + item.status],
                           reason: item.statusReason, active: item.status == "active", runs: Runs(counts["automation/\(item.id)"]))
            }
            hasAutomations = !items.isEmpty
            definition = input["definition"] ?? AdminPage.example
            self.dryRun = dryRun.map { dryRun in
                DryRun(evaluated: dryRun["evaluated"]?.intValue ?? 0, wouldRun: dryRun["wouldRun"]?.intValue ?? 0,
                       results: (dryRun["results"]?.arrayValue ?? []).map { r in
                           DryRun.Result(id: r["id"]?.stringValue ?? "", condition: r["condition"]?.boolValue == true ? t["yes"] : t["no"],
                                         effects: (r["actions"]?.arrayValue ?? []).map { $0.canonicalText() }.joined(separator: "\n"))
                       })
            }
            self.processes = processes.map { p in
                Process(id: p.id, object: p.definition["object"]?.stringValue ?? "", version: p.version, status: t["config_" + p.status],
                        steps: (p.definition["steps"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.joined(separator: " → "),
                        reason: p.statusReason)
            }
            hasProcesses = !processes.isEmpty
            processDefinition = input["process"] ?? AdminPage.processExample
            self.endpoints = endpoints.map { e in
                Endpoint(id: e.id, url: e.url, objects: e.objects.joined(separator: ", "), events: e.events.joined(separator: ", "),
                         status: t["config_" + e.status], runs: Runs(counts["webhook/\(e.id)"]))
            }
            hasEndpoints = !endpoints.isEmpty
            self.dead = dead.map { j in
                DeadLetter(id: j.id, endpoint: j.ref, record: j.recordID.map { "\(j.object ?? "")/\($0)" } ?? "", error: j.lastError ?? "", at: j.finishedAt.map(t.time) ?? "")
            }
            hasDead = !dead.isEmpty
            self.secret = secret
            self.calendar = input["calendar"] ?? calendar
        }
    }

    /// A run log: every run (or delivery) with each attempt.
    public struct Runs: PageContext {
        public static let template = Template.adminRuns

        struct Row {
            var at: String
            /// The record's page, nil for a run without a record.
            var record: String?
            var recordID, status: String
            var attempts: Int
            var note: String
            var version: Int
            var log: String
        }

        var heading: String
        var runs: [Row]
        var hasRuns: Bool

        public init(title: String, jobs: [(Job, [JobAttempt])], _ t: Strings) {
            heading = title
            hasRuns = !jobs.isEmpty
            runs = jobs.map { job, attempts in
                Row(at: t.time(job.createdAt), record: job.recordID.map { "/o/\(job.object ?? "")/\($0)" }, recordID: job.recordID ?? "—",
                    status: t["job_" + job.status], attempts: job.attempts, note: job.lastError ?? "", version: job.version,
                    log: attempts.map { a in
                        "#\(a.attempt) \(a.startedAt) \(a.outcome)\(a.httpStatus.map { " HTTP \($0)" } ?? "") \(a.durationMS) ms\(a.error.map { " — \($0)" } ?? "")"
                    }.joined(separator: "\n"))
            }
        }
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
