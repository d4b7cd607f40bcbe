import Foundation
import KeelCore
import KeelIntegrations
import KeelStore
import SQLKit

/// Outbound webhooks: endpoints subscribe to objects and events; deliveries are jobs sent at least once, signed as
/// Standard Webhooks, retried over about three days (longer when a receiver sends `Retry-After`), then dead-lettered
/// with an alert until an admin replays them. Every attempt is logged.
public final class Webhooks: Sendable {
    public static let kind = "webhook"

    let database: KeelDatabase
    let access: AccessControl
    let notifier: Notifier
    let clock: any KeelClock
    let transport: any WebhookTransport
    /// How long a receiver may take to answer before the attempt counts as failed.
    let timeout: TimeInterval
    let store = WebhookStore()
    let jobs: JobStore

    init(database: KeelDatabase, access: AccessControl, notifier: Notifier, clock: any KeelClock, transport: any WebhookTransport, timeout: TimeInterval) {
        self.database = database
        self.access = access
        self.notifier = notifier
        self.clock = clock
        self.transport = transport
        self.timeout = timeout
        self.jobs = JobStore(dialect: database.dialect)
    }

    /// Adds an endpoint: `{"id", "url", "objects": ["*"], "events": ["created", …], "allowPrivate": false}`. Returns it
    /// with its new `whsec_` secret (shown this once).
    public func create(_ json: JSONValue, by principal: Principal) async throws -> WebhookEndpoint {
        try await access.require(principal, .manageMetadata)
        var violations: [Violation] = []
        let id = json["id"]?.stringValue ?? ""
        if !ConfigParser.isIdentifier(id) {
            violations.append(Violation(field: "id", code: "required", message: "id is 1 to 64 letters, digits, - or _."))
        }
        let objects = (json["objects"]?.arrayValue ?? ["*"]).compactMap(\.stringValue)
        let known = Set(try await access.objects().map(\.name))
        for o in objects where o != "*" && !known.contains(o) {
            violations.append(Violation(field: "objects", code: "unknown_name", message: "\(o) is not an object."))
        }
        let events = (json["events"]?.arrayValue ?? ["*"]).compactMap(\.stringValue)
        for e in events where !["*", "created", "updated", "deleted"].contains(e) {
            violations.append(Violation(field: "events", code: "invalid_option", message: "events are created, updated, deleted or *."))
        }
        let allowPrivate = json["allowPrivate"]?.boolValue ?? false
        let url = json["url"]?.stringValue ?? ""
        do { try OutboundAddress.check(url, allowPrivate: allowPrivate) } catch { violations += error.violations }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let now = ValueFormats.formatDateTime(clock.now())
        let endpoint = WebhookEndpoint(id: id, url: url, secret: StandardWebhook.newSecret(), objects: objects, events: events,
                                       allowPrivate: allowPrivate, createdAt: now, createdBy: principal.userID)
        try await database.write { db in
            guard try await !store.endpoints(on: db).contains(where: { $0.id == id }) else {
                throw KeelError(.conflict, code: "duplicate", message: "There is already an endpoint \(id).")
            }
            try await store.insert(endpoint, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "webhook_create",
                                                     detail: ["endpoint": .string(id), "url": .string(url), "allowPrivate": .bool(allowPrivate)]), on: db)
        }
        return endpoint
    }

    public func endpoints(by principal: Principal) async throws -> [WebhookEndpoint] {
        try await access.require(principal, .manageMetadata)
        return try await database.read { try await store.endpoints(on: $0) }
    }

    public func setEnabled(_ id: String, _ enabled: Bool, by principal: Principal) async throws {
        try await access.require(principal, .manageMetadata)
        guard try await database.write({ try await store.setStatus(id, status: enabled ? "active" : "disabled", on: $0) }) else {
            throw KeelError.notFound("webhook endpoint \(id)")
        }
    }

    /// Sends a dead (or failed) delivery again, with the same `webhook-id` so receivers can de-duplicate.
    public func replay(_ jobID: String, by principal: Principal) async throws {
        try await access.require(principal, .manageMetadata)
        let now = ValueFormats.formatDateTime(clock.now())
        let replayed = try await database.write { db in
            guard let job = try await jobs.job(jobID, on: db), job.kind == Self.kind else { throw KeelError.notFound("delivery \(jobID)") }
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "webhook_replay", detail: ["delivery": .string(jobID)]), on: db)
            return try await jobs.replay(jobID, now: now, on: db)
        }
        guard replayed else { throw KeelError(.conflict, code: "not_dead", message: "Only a dead or failed delivery can be replayed.") }
    }

    /// Deliveries that ran out of retries, newest first.
    public func deadLetters(by principal: Principal) async throws -> [Job] {
        try await access.require(principal, .manageMetadata)
        return try await database.read { try await jobs.jobs(kind: Self.kind, status: "dead", limit: 100, on: $0) }
    }

    /// Sends the deliveries that are due; returns how many were tried.
    @discardableResult
    public func deliverDue(worker: String, limit: Int = 50) async throws -> Int {
        let claimed = try await jobs.claimDue([Self.kind], worker: worker, now: clock.now(), lease: timeout * 2 + 60, limit: limit, in: database)
        guard !claimed.isEmpty else { return 0 }
        let endpoints = try await database.read { try await store.endpoints(on: $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for job in claimed {
                group.addTask { try await self.deliver(job, to: endpoints.first { $0.id == job.ref }) }
            }
            try await group.waitForAll()
        }
        return claimed.count
    }

    func deliver(_ job: Job, to endpoint: WebhookEndpoint?) async throws {
        let started = clock.now()
        let timer = ContinuousClock.now
        var response: WebhookResponse?
        var failure: String?
        var permanent = false
        if let endpoint, endpoint.status == "active" {
            do {
                try OutboundAddress.check(endpoint.url, allowPrivate: endpoint.allowPrivate)
                let body = Array(job.payload.canonicalText().utf8)
                let headers = try StandardWebhook.headers(id: "msg_\(job.id)", timestamp: Int(started.timeIntervalSince1970), body: body, secret: endpoint.secret)
                response = try await transport.post(url: endpoint.url, headers: headers, body: body, timeout: timeout)
                if let r = response, !(200..<300).contains(r.status) { failure = "HTTP \(r.status) \(r.excerpt)" }
            } catch let error as KeelError {
                (failure, permanent) = (error.summary, true)
            } catch {
                failure = "no answer: \(String(describing: error).prefix(300))"
            }
        } else {
            (failure, permanent) = ("endpoint \(job.ref) is \(endpoint == nil ? "gone" : "disabled")", true)
        }
        let ms = Int((ContinuousClock.now - timer) / .milliseconds(1))
        let at = clock.now()
        let retryAfter = [429, 503].contains(response?.status ?? 0) ? response?.retryAfter : nil
        try await database.write { db in
            var attempt = JobAttempt(jobID: job.id, attempt: job.attempts, startedAt: ValueFormats.formatDateTime(started), durationMS: ms,
                                     outcome: "ok", httpStatus: response?.status, error: failure)
            if failure == nil {
                try await jobs.finish(job.id, status: "done", error: nil, at: ValueFormats.formatDateTime(at), on: db)
            } else if !permanent, let delay = RetryPolicy.webhooks.delay(afterAttempt: job.attempts, retryAfter: retryAfter) {
                attempt.outcome = "retry"
                try await jobs.retry(job.id, nextAt: ValueFormats.formatDateTime(at.addingTimeInterval(delay)), error: failure ?? "", on: db)
            } else {
                attempt.outcome = "dead"
                try await jobs.finish(job.id, status: "dead", error: failure, at: ValueFormats.formatDateTime(at), on: db)
                try await notifier.alertAdmins(zh: "发往 \(job.ref) 的 Webhook 在 \(job.attempts) 次尝试后放弃：\(failure ?? "")",
                                               en: "Webhook delivery \(job.id) to \(job.ref) is dead after \(job.attempts) attempt(s): \(failure ?? "")",
                                               key: "dead:\(job.id):\(job.attempts)", object: job.object, recordID: job.recordID, at: at, on: db)
            }
            try await jobs.record(attempt, on: db)
        }
    }
}
