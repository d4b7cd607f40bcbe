import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Automations: published as immutable versions, fired after commit from the outbox (record triggers), by the
/// scheduler (cron) or by timers (N working days after a date), and run as jobs that retry with backoff.
public final class Automations: Sendable {
    public static let kind = "automation"
    /// A chain of automation runs this long (each run's write firing the next) is a loop: the automation is halted.
    public static let maxChainDepth = 10

    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let notifier: Notifier
    let approvals: Approvals
    let clock: any KeelClock
    let timeZone: TimeZone
    let config = ConfigStore()
    let jobs: JobStore
    let schedules: ScheduleStore
    let journal: JournalStore
    let store: RecordStore
    let directory = DirectoryStore()
    let webhooks = WebhookStore()

    init(database: KeelDatabase, metadata: MetadataService, records: RecordService, access: AccessControl, notifier: Notifier,
         approvals: Approvals, clock: any KeelClock, timeZone: TimeZone) {
        self.database = database
        self.metadata = metadata
        self.records = records
        self.access = access
        self.notifier = notifier
        self.approvals = approvals
        self.clock = clock
        self.timeZone = timeZone
        self.jobs = JobStore(dialect: database.dialect)
        self.schedules = ScheduleStore(dialect: database.dialect)
        self.journal = JournalStore(dialect: database.dialect)
        self.store = RecordStore(dialect: database.dialect)
    }

    var now: String { ValueFormats.formatDateTime(clock.now()) }

    /// Checks a definition and publishes it as the next version (the first creates the automation). Webhook
    /// endpoints and approval processes it names must exist.
    public func publish(_ json: JSONValue, by principal: Principal) async throws -> ConfigItem {
        try await access.require(principal, .manageMetadata)
        let automation = try Automation.parse(json, objects: try await metadata.catalog().objects)
        let at = clock.now()
        return try await database.write { db in
            var missing: [Violation] = []
            let endpoints = Set(try await webhooks.endpoints(on: db).map(\.id))
            let processes = Set(try await config.items(kind: Approvals.kind, on: db).map(\.id))
            for (i, action) in automation.actions.enumerated() {
                switch action {
                case .webhook(let id) where !endpoints.contains(id):
                    missing.append(Violation(field: "actions[\(i)].endpoint", code: "unknown_name", message: "There is no webhook endpoint \(id)."))
                case .notify(let to, _):
                    for case .channel(let id) in to where !endpoints.contains(id) {
                        missing.append(Violation(field: "actions[\(i)].to", code: "unknown_name", message: "There is no webhook endpoint \(id) to post to."))
                    }
                case .startApproval(let id) where !processes.contains(id):
                    missing.append(Violation(field: "actions[\(i)].process", code: "unknown_name", message: "There is no approval process \(id)."))
                default: break
                }
            }
            guard missing.isEmpty else { throw KeelError.validation(missing) }
            let version = try await config.publish(kind: Self.kind, id: automation.id, definition: automation.json, by: principal.userID,
                                                   at: ValueFormats.formatDateTime(at), on: db)
            if case .schedule(let cron) = automation.trigger, let next = cron.next(after: at, in: timeZone) {
                try await schedules.upsert(id: automation.id, cron: cron.text, nextAt: ValueFormats.formatDateTime(next), on: db)
            } else {
                try await schedules.remove(id: automation.id, on: db)
            }
            try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(at), actor: principal.userID, action: "automation_publish",
                                                     detail: ["automation": .string(automation.id), "version": JSONValue(version)]), on: db)
            return try await config.items(kind: Self.kind, id: automation.id, on: db)[0]
        }
    }

    /// Turns an automation on or off; turning a halted one on resumes it, if it still fits the metadata.
    public func setEnabled(_ id: String, _ enabled: Bool, by principal: Principal) async throws -> ConfigItem {
        try await access.require(principal, .manageMetadata)
        let objects = try await metadata.catalog().objects
        return try await database.write { db in
            if enabled, let item = try await config.items(kind: Self.kind, id: id, on: db).first {
                _ = try Automation.parse(item.definition, objects: objects)
            }
            guard try await config.setStatus(kind: Self.kind, id: id, status: enabled ? "active" : "disabled", reason: nil, at: now, on: db),
                  let item = try await config.items(kind: Self.kind, id: id, on: db).first else { throw KeelError.notFound("automation \(id)") }
            return item
        }
    }

    public func list(by principal: Principal) async throws -> [ConfigItem] {
        try await access.require(principal, .manageMetadata)
        return try await database.read { try await config.items(kind: Self.kind, on: $0) }
    }

    public func versions(_ id: String, by principal: Principal) async throws -> [ConfigItem] {
        try await access.require(principal, .manageMetadata)
        let versions = try await database.read { try await config.versions(kind: Self.kind, id: id, on: $0) }
        guard !versions.isEmpty else { throw KeelError.notFound("automation \(id)") }
        return versions
    }

    /// The newest runs of an automation (or deliveries of a webhook endpoint), each with its attempts.
    public func runs(kind: String = Automations.kind, _ ref: String, limit: Int = 50, by principal: Principal) async throws -> [(Job, [JobAttempt])] {
        try await access.require(principal, .manageMetadata)
        return try await database.read { db in
            var out: [(Job, [JobAttempt])] = []
            for job in try await jobs.jobs(kind: kind, ref: ref, limit: min(max(limit, 1), 200), on: db) {
                out.append((job, try await jobs.attempts(jobID: job.id, on: db)))
            }
            return out
        }
    }

    /// Runs, successes and failures per automation and webhook endpoint.
    public func stats() async throws -> [RunStats] {
        let counts = try await database.read { try await jobs.counts(on: $0) }
        var byRef: [String: RunStats] = [:]
        for c in counts {
            let key = "\(c.kind)/\(c.ref)"
            var s = byRef[key] ?? RunStats(kind: c.kind, ref: c.ref)
            s.counts[c.status, default: 0] += c.count
            byRef[key] = s
        }
        return byRef.values.sorted { ($0.kind, $0.ref) < ($1.kind, $1.ref) }
    }
}

/// How an automation's (or endpoint's) jobs ended.
public struct RunStats: Sendable, Hashable {
    public var kind: String
    public var ref: String
    public var counts: [String: Int] = [:]

    public var succeeded: Int { counts["done", default: 0] }
    public var failed: Int { counts["failed", default: 0] + counts["dead", default: 0] }
    public var skipped: Int { counts["skipped", default: 0] }
    public var pending: Int { counts["pending", default: 0] + counts["running", default: 0] }
    /// Successes among finished runs that did something (skips excluded); 1 when none finished.
    public var successRate: Double { succeeded + failed == 0 ? 1 : Double(succeeded) / Double(succeeded + failed) }
}
