import Foundation
import KeelCore
import KeelIntegrations
import KeelStore
import SQLKit

/// Fires response-SLA timers and carries their escalations out. A due timer is taken once, in one transaction with
/// what it does in Keel: tier 1 tells the owner (inbox and browser) and records the breach on the lead; tier 2 tells
/// the owner's manager and queues a group-robot message @-mentioning the owner; tier 3 tells the manager and queues a
/// phone call to the owner, an SMS if the call cannot be placed. Queued messages are sent at least once, retried, and
/// when they cannot be sent the admins are alerted and the lead shows why.
public final class Escalations: Sendable {
    public static let kind = "sla_escalation"
    static let configKind = "channels", configID = "default"

    let database: KeelDatabase
    let records: RecordService
    let access: AccessControl
    let notifier: Notifier
    let clock: any KeelClock
    let transport: any WebhookTransport
    let timeout: TimeInterval
    let timers: SLAStore
    let jobs: JobStore
    let config = ConfigStore()
    let directory = DirectoryStore()

    init(database: KeelDatabase, records: RecordService, access: AccessControl, notifier: Notifier, clock: any KeelClock,
         transport: any WebhookTransport, timeout: TimeInterval) {
        (self.database, self.records, self.access, self.notifier, self.clock, self.transport, self.timeout) =
            (database, records, access, notifier, clock, transport, timeout)
        self.timers = SLAStore(dialect: database.dialect)
        self.jobs = JobStore(dialect: database.dialect)
    }

    // MARK: Channels

    /// The robots and the voice provider, secrets shown only as set or not (admins).
    public func channels(by principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        return try await database.read { try await Self.stored(on: $0) }.json(secrets: false)
    }

    /// Saves the channels (admins): every problem a 422 with its path. (The routing's warnings name robots its SLAs
    /// need that are not here.)
    public func setChannels(_ json: JSONValue, by principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        let channels = try EscalationChannels.parse(json)
        var violations: [Violation] = []
        for (i, robot) in channels.robots.enumerated() {
            do { try OutboundAddress.check(robot.url, allowPrivate: robot.allowPrivate) } catch {
                violations += error.violations.map { Violation(field: "robots[\(i)].url", code: $0.code, message: $0.message) }
            }
            if robot.kind != .wecom, robot.secret == nil {
                violations.append(Violation(field: "robots[\(i)].secret", code: "required", message: "A \(robot.kind.rawValue) robot signs with its secret (加签)."))
            }
        }
        if let voice = channels.voice {
            // Aliyun's own addresses are Keel's, not a user's: only one set by hand is checked.
            for (key, url) in [("smsEndpoint", voice.smsEndpoint), ("voiceEndpoint", voice.voiceEndpoint)] where !EscalationChannels.Voice.aliyun.contains(url) {
                do { try OutboundAddress.check(url, allowPrivate: voice.allowPrivate) } catch {
                    violations += error.violations.map { Violation(field: "voice.\(key)", code: $0.code, message: $0.message) }
                }
            }
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let now = ValueFormats.formatDateTime(clock.now())
        try await database.write { db in
            _ = try await config.publish(kind: Self.configKind, id: Self.configID, definition: channels.json(secrets: true), by: principal.userID, at: now, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "channels_change", detail: channels.json(secrets: false)), on: db)
        }
        return channels.json(secrets: false)
    }

    static func stored(on db: any SQLDatabase) async throws -> EscalationChannels {
        guard let item = try await ConfigStore().items(kind: Self.configKind, id: Self.configID, on: db).first else { return EscalationChannels() }
        return try EscalationChannels.parse(item.definition)
    }

    // MARK: Timers

    /// When the next pending timer is due, if one is.
    public func nextDue() async throws -> Date? {
        try await database.read { try await timers.nextDue(on: $0) }.flatMap(ValueFormats.parseDateTime)
    }

    /// Fires the timers due by now; returns how many fired.
    @discardableResult
    public func fireDue(limit: Int = 200) async throws -> Int {
        let date = clock.now(), now = ValueFormats.formatDateTime(date)
        guard let next = try await database.read({ try await timers.nextDue(on: $0) }), next <= now else { return 0 }
        let catalog = try await records.metadata.catalog()
        let leads = try catalog.require(StandardObjects.lead.name)
        return try await database.write { db in
            let due = try await timers.takeDue(now: now, limit: limit, on: db)
            guard !due.isEmpty else { return 0 }
            let users = try await directory.users(on: db)
            let writer = try await records.router.config.items(kind: LeadRouter.configKind, id: LeadRouter.configID, on: db).first
                .flatMap { item in users.first { $0.id == item.publishedBy } }
            let byID = Dictionary(try await records.store.fetch(leads, ids: due.map(\.leadID), on: db).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            var outcomes: [String: String] = [:]
            for timer in due {
                guard let lead = byID[timer.leadID] else {
                    outcomes[timer.id] = "lead_deleted"
                    continue
                }
                outcomes[timer.id] = try await fire(timer, lead: lead, leads: leads, users: users, writer: writer, catalog: catalog, at: date, on: db)
            }
            try await timers.setOutcomes(outcomes, on: db)
            return due.count
        }
    }

    /// What one tier does in Keel (and queues beyond it); returns what it did as `code:detail` (notified, queued_robot,
    /// queued_call, no_mobile, lead_deleted; then sent, called, sms, retrying, failed), which pages put in words.
    func fire(_ timer: SLATimer, lead: Record, leads: ObjectDefinition, users: [User], writer: User?, catalog: Catalog, at date: Date,
              on db: any SQLDatabase) async throws -> String {
        let owner = users.first { $0.id == timer.ownerID }
        let manager = owner?.managerID.flatMap { id in users.first { $0.id == id && $0.status == .active } }
        let breach = ResponseSLA.breach(timer.target)
        let name = lead.value("name").stringValue ?? ""
        let ownerName = owner?.name ?? timer.ownerID
        switch timer.tier {
        case .notify:
            try await notifier.tell(zh: "⏰ 线索「\(name)」\(breach.zh)，请尽快处理", en: "⏰ Lead “\(name)”: \(breach.en). Please respond now.",
                                    to: [timer.ownerID], object: leads.name, recordID: lead.id, key: "sla:\(timer.id)", at: date, on: db)
            if let writer {
                try await records.recordBreach(lead.id, breach.zh, leads: leads, catalog: catalog,
                                               context: WriteContext(principal: writer.principal, source: .automation), at: date, on: db)
            }
            return "notified:\(ownerName)"
        case .robot, .call:
            let toManager = manager.map { [$0.id] } ?? []
            let how = timer.tier == .robot ? ("群机器人提醒", "a group robot message") : ("电话提醒", "a phone call")
            try await notifier.tell(zh: "⏰ \(ownerName) 的线索「\(name)」\(breach.zh)，已升级为\(how.0)",
                                    en: "⏰ \(ownerName)'s lead “\(name)”: \(breach.en); escalated to \(how.1)",
                                    to: toManager, object: leads.name, recordID: lead.id, key: "sla:\(timer.id)", at: date, on: db)
            let text = "【线索超时】\(lead.value("company").stringValue.map { "\($0) " } ?? "")\(name)：分配给 \(ownerName) 后\(breach.zh)，请立即跟进。"
                + (manager.map { "（已通知经理 \($0.name)）" } ?? "")
            var payload: [String: JSONValue] = ["timer": .string(timer.id), "text": .string(text)]
            var queued = "queued_robot"
            if timer.tier == .robot {
                payload["robot"] = timer.robot.map(JSONValue.string) ?? .null
                payload["mentions"] = .array(([owner] + [manager]).compactMap { $0 }.map { u in
                    ["name": .string(u.name), "mobile": u.mobile.map(JSONValue.string) ?? .null, "feishuId": u.feishuID.map(JSONValue.string) ?? .null]
                })
            } else {
                guard let mobile = owner?.mobile else {
                    try await notifier.alertAdmins(zh: "线索「\(name)」需电话提醒 \(ownerName)，但其没有手机号。", en: "Lead “\(name)” needs a call to \(ownerName), who has no mobile.",
                                                   key: "sla-nomobile:\(timer.id)", object: leads.name, recordID: lead.id, at: date, on: db)
                    return "no_mobile:\(ownerName)"
                }
                payload["phone"] = .string(mobile)
                queued = "queued_call:\(mobile)"
                payload["parameters"] = ["name": .string(ownerName), "lead": .string(name)]
            }
            let job = Job(kind: Self.kind, ref: timer.tier == .robot ? (timer.robot ?? "") : "voice", key: "sla:\(timer.id)", object: leads.name,
                          recordID: lead.id, payload: .object(payload), nextAt: ValueFormats.formatDateTime(date), createdAt: ValueFormats.formatDateTime(date))
            _ = try await jobs.enqueue(job, on: db)
            return queued
        }
    }

    // MARK: Delivery

    /// Sends the escalations that are due; returns how many were tried.
    @discardableResult
    public func deliverDue(worker: String, limit: Int = 20) async throws -> Int {
        let claimed = try await jobs.claimDue([Self.kind], worker: worker, now: clock.now(), lease: timeout * 4 + 60, limit: limit, in: database)
        guard !claimed.isEmpty else { return 0 }
        let channels = try await database.read { try await Self.stored(on: $0) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for job in claimed { group.addTask { try await self.deliver(job, channels: channels) } }
            try await group.waitForAll()
        }
        return claimed.count
    }

    /// What went wrong with one try, and whether trying again could help.
    struct Failure: Error { var reason: String; var permanent: Bool }

    func deliver(_ job: Job, channels: EscalationChannels) async throws {
        let started = clock.now()
        let timer = ContinuousClock.now
        let outcome = await send(job.payload, channels: channels, at: started)
        let ms = Int((ContinuousClock.now - timer) / .milliseconds(1))
        let at = clock.now(), now = ValueFormats.formatDateTime(at)
        let timerID = job.payload["timer"]?.stringValue ?? ""
        try await database.write { db in
            var attempt = JobAttempt(jobID: job.id, attempt: job.attempts, startedAt: ValueFormats.formatDateTime(started), durationMS: ms, outcome: "ok")
            switch outcome {
            case .success(let done):
                try await jobs.finish(job.id, status: "done", error: nil, at: now, on: db)
                try await timers.setOutcomes([timerID: done], on: db)
            case .failure(let failure):
                attempt.error = failure.reason
                if !failure.permanent, let delay = RetryPolicy.escalations.delay(afterAttempt: job.attempts) {
                    attempt.outcome = "retry"
                    try await jobs.retry(job.id, nextAt: ValueFormats.formatDateTime(at.addingTimeInterval(delay)), error: failure.reason, on: db)
                    try await timers.setOutcomes([timerID: "retrying:\(failure.reason)"], on: db)
                } else {
                    attempt.outcome = "dead"
                    try await jobs.finish(job.id, status: "dead", error: failure.reason, at: now, on: db)
                    try await timers.setOutcomes([timerID: "failed:\(failure.reason)"], on: db)
                    try await notifier.alertAdmins(zh: "线索超时升级未能送达（\(job.ref)）：\(failure.reason)",
                                                   en: "A lead escalation could not be sent (\(job.ref)): \(failure.reason)",
                                                   key: "sla-dead:\(job.id)", object: job.object, recordID: job.recordID, at: at, on: db)
                }
            }
            try await jobs.record(attempt, on: db)
        }
    }

    /// Sends one escalation: what was done, or why it failed.
    func send(_ payload: JSONValue, channels: EscalationChannels, at date: Date) async -> Result<String, Failure> {
        let text = payload["text"]?.stringValue ?? ""
        if let phone = payload["phone"]?.stringValue {
            guard let voice = channels.voice else { return .failure(Failure(reason: "no voice provider is set up", permanent: true)) }
            let parameters = (payload["parameters"]?.objectValue ?? [:]).compactMapValues(\.stringValue)
            let call = AliyunRPC.call(voice, phone: phone, parameters: parameters, at: date)
            let called = await post(call.url, form: call.body, allowPrivate: voice.allowPrivate)
            guard let callFailure = called else { return .success("called:\(phone)") }
            // The call could not be placed: the same words by SMS.
            let sms = AliyunRPC.sms(voice, phone: phone, parameters: parameters, at: date)
            if let smsFailure = await post(sms.url, form: sms.body, allowPrivate: voice.allowPrivate) {
                return .failure(Failure(reason: "call: \(callFailure); SMS: \(smsFailure)", permanent: false))
            }
            return .success("sms:\(phone):\(callFailure)")
        }
        guard let id = payload["robot"]?.stringValue, let robot = channels.robot(id) else {
            return .failure(Failure(reason: "robot \(payload["robot"]?.stringValue ?? "") is not set up", permanent: true))
        }
        let mentions = (payload["mentions"]?.arrayValue ?? []).map {
            ChatRobot.Mention(name: $0["name"]?.stringValue ?? "", mobile: $0["mobile"]?.stringValue, feishuID: $0["feishuId"]?.stringValue)
        }
        do { try OutboundAddress.check(robot.url, allowPrivate: robot.allowPrivate) } catch {
            return .failure(Failure(reason: error.summary, permanent: true))
        }
        let request = ChatRobot.request(robot, text: text, mentions: mentions, at: date)
        let response: WebhookResponse
        do {
            response = try await transport.post(url: request.url, headers: [("content-type", "application/json")], body: request.body, timeout: timeout)
        } catch {
            return .failure(Failure(reason: "no answer: \(String(describing: error).prefix(200))", permanent: false))
        }
        if let refusal = ChatRobot.refusal(robot.kind, status: response.status, body: response.excerpt) {
            return .failure(Failure(reason: refusal, permanent: false))
        }
        return .success("sent:\(robot.id)")
    }

    /// Posts a signed Aliyun form; nil when Aliyun took it, else why not.
    func post(_ url: String, form: String, allowPrivate: Bool) async -> String? {
        do {
            if !EscalationChannels.Voice.aliyun.contains(url) { try OutboundAddress.check(url, allowPrivate: allowPrivate) }
            let response = try await transport.post(url: url, headers: [("content-type", "application/x-www-form-urlencoded")], body: Array(form.utf8),
                                                    timeout: timeout)
            return AliyunRPC.refusal(status: response.status, body: response.excerpt)
        } catch let error as KeelError {
            return error.summary
        } catch {
            return "no answer: \(String(describing: error).prefix(200))"
        }
    }
}
