import Foundation
import KeelCore
import KeelIntegrations
import KeelStore

/// Master-data health: completeness per object and field (red / yellow / green), the duplicate rate of the last batch
/// run, records missing what a required group asks for, and how current accounts' registry data is. On demand over the
/// records the reader may see; by schedule (monthly unless set) over every record, to the configured recipients.
public final class HealthReports: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let access: AccessControl
    let notifier: Notifier
    let clock: any KeelClock
    let timeZone: TimeZone
    let store: RecordStore
    let jobs: JobStore
    let schedules: ScheduleStore

    public static let kind = "health_report"
    static let scheduleID = "health-report"
    static let settingsKey = "health_report"
    /// Registry data older than this is stale.
    static let registryMaxAge: TimeInterval = 180 * 86400

    init(database: KeelDatabase, metadata: MetadataService, access: AccessControl, notifier: Notifier, clock: any KeelClock, timeZone: TimeZone) {
        self.database = database
        self.metadata = metadata
        self.access = access
        self.notifier = notifier
        self.clock = clock
        self.timeZone = timeZone
        self.store = RecordStore(dialect: database.dialect)
        self.jobs = JobStore(dialect: database.dialect)
        self.schedules = ScheduleStore(dialect: database.dialect)
    }

    public func settings() async throws -> HealthSettings {
        try await database.read { db in
            try await MetadataStore(dialect: self.database.dialect).setting(Self.settingsKey, on: db).flatMap { try? HealthSettings.parse($0) } ?? HealthSettings()
        }
    }

    /// Sets thresholds, recipients and schedule (admin). With recipients the report is scheduled; without, it is not.
    public func setSettings(_ json: JSONValue, by principal: Principal) async throws -> HealthSettings {
        try await access.require(principal, .manageMetadata)
        let settings = try HealthSettings.parse(json)
        let endpoints = Set(try await database.read { try await WebhookStore().endpoints(on: $0) }.map(\.id))
        let unknown = settings.recipients.enumerated().compactMap { i, r -> Violation? in
            guard case .channel(let id) = r, !endpoints.contains(id) else { return nil }
            return Violation(field: "recipients[\(i)]", code: "unknown_channel", message: "No webhook endpoint is called \(id).")
        }
        guard unknown.isEmpty else { throw KeelError.validation(unknown) }
        let cron = try CronSchedule(settings.cron)
        let next = cron.next(after: clock.now(), in: timeZone) ?? clock.now()
        try await database.write { db in
            try await MetadataStore(dialect: self.database.dialect).setSetting(Self.settingsKey, settings.json, by: principal.userID, on: db)
            if settings.recipients.isEmpty {
                try await self.schedules.remove(id: Self.scheduleID, on: db)
            } else {
                try await self.schedules.upsert(id: Self.scheduleID, cron: settings.cron, nextAt: ValueFormats.formatDateTime(next), on: db)
            }
        }
        return settings
    }

    /// The report over what `principal` may see (nil: every record, for the scheduled report).
    public func report(as principal: Principal?) async throws -> JSONValue {
        let catalog = try await metadata.catalog()
        let settings = try await settings()
        let thresholds = settings.thresholds
        var objects: [JSONValue] = []
        for object in catalog.objects {
            var scope = AccessScope(plan: AccessPlan(rows: .always), object: object, userID: "", now: "")
            if let principal { scope = try await access.scope(principal, .read, object: object) }
            if scope.plan.deniesAll { continue }
            let fields = object.fields.filter { $0.formula == nil && !scope.plan.hiddenFields.contains($0.name) }
            let (total, filled) = try await database.read { try await self.store.filledCounts(object, fields: fields, access: scope, on: $0) }
            let ratios = fields.map { total == 0 ? 1 : Double(filled[$0.name] ?? 0) / Double(total) }
            let completeness = ratios.isEmpty ? 1 : ratios.reduce(0, +) / Double(ratios.count)
            var entry: [String: JSONValue] = [
                "object": .string(object.name), "labels": object.labels.json, "records": JSONValue(total),
                "completeness": JSONValue(Self.round(completeness)), "level": .string(thresholds.level(completeness)),
                "fields": .array(zip(fields, ratios).map { field, ratio in
                    ["field": .string(field.name), "labels": field.labels.json, "filled": JSONValue(filled[field.name] ?? 0),
                     "ratio": JSONValue(Self.round(ratio)), "level": .string(thresholds.level(ratio))]
                }),
                "missing": .array(try await missing(object, scope: scope)),
                "invalidPhones": .array(try await invalidPhones(object, scope: scope)),
            ]
            if let run = try await database.read({ try await DedupStore().latestRun(object: object.name, on: $0) }), run["status"] == "done" {
                entry["duplicateRate"] = run["stats"]?["duplicateRate"] ?? .null
                entry["duplicatesCheckedAt"] = run["finishedAt"] ?? .null
            }
            if object.name == StandardObjects.account.name { entry["registry"] = try await registryHealth(object, scope: scope) }
            objects.append(.object(entry))
        }
        return ["generatedAt": .string(ValueFormats.formatDateTime(clock.now())), "thresholds": thresholds.json, "objects": .array(objects)]
    }

    /// Records each required group applies to that lack one of its fields, per group and field.
    func missing(_ object: ObjectDefinition, scope: AccessScope) async throws -> [JSONValue] {
        var out: [JSONValue] = []
        for group in object.requiredGroups {
            var filters: [Filter] = []
            if let c = group.condition, let field = object.field(c.field) {
                filters.append(Filter(field: field, op: .in, values: c.values.map(JSONValue.string)))
            }
            let fields = group.fields.compactMap(object.field)
            let (total, filled) = try await database.read { try await self.store.filledCounts(object, fields: fields, filters: filters, access: scope, on: $0) }
            for field in fields where total > (filled[field.name] ?? 0) {
                out.append(["group": .string(group.name), "groupLabels": group.labels.json, "field": .string(field.name), "labels": field.labels.json,
                            "count": JSONValue(total - (filled[field.name] ?? 0))])
            }
        }
        return out
    }

    /// Per phone field, the records whose number the numbering plan rules out (entered before it was checked, or
    /// imported raw): the field is filled, its E.164 part is not.
    func invalidPhones(_ object: ObjectDefinition, scope: AccessScope) async throws -> [JSONValue] {
        var out: [JSONValue] = []
        for field in object.fields where field.type == .phone && !scope.plan.hiddenFields.contains(field.name) {
            guard let e164 = object.field(field.name + "_e164") else { continue }
            let unread = Filter(field: e164, op: .isNull, values: [true])
            let (_, filled) = try await database.read { try await self.store.filledCounts(object, fields: [field], filters: [unread], access: scope, on: $0) }
            if let count = filled[field.name], count > 0 {
                out.append(["field": .string(field.name), "labels": field.labels.json, "count": JSONValue(count)])
            }
        }
        return out
    }

    /// Accounts never checked against the registry, checked longer ago than `registryMaxAge`, and closed.
    func registryHealth(_ object: ObjectDefinition, scope: AccessScope) async throws -> JSONValue {
        guard let checked = object.field("registry_checked_at"), let status = object.field("registry_status") else { return .null }
        let cutoff = ValueFormats.formatDateTime(clock.now().addingTimeInterval(-Self.registryMaxAge))
        let count = { (filters: [Filter]) in
            try await self.database.read { try await self.store.filledCounts(object, fields: [], filters: filters, access: scope, on: $0).total }
        }
        return [
            "never": JSONValue(try await count([Filter(field: checked, op: .isNull, values: [.bool(true)])])),
            "stale": JSONValue(try await count([Filter(field: checked, op: .lt, values: [.string(cutoff)])])),
            "closed": JSONValue(try await count([Filter(field: status, op: .in, values: RegistryStatus.closed.sorted().map(JSONValue.string))])),
        ]
    }

    static func round(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    // MARK: Schedule

    /// Sends the due scheduled reports: a notification per recipient summing up each object (and a link to the page).
    public func runDue(worker: String) async throws -> Int {
        let at = clock.now()
        let claimed = try await jobs.claimDue([Self.kind], worker: worker, now: at, lease: 600, limit: 1, in: database)
        for job in claimed {
            let report = try await report(as: nil)
            let settings = try await settings()
            let summary = (report["objects"]?.arrayValue ?? []).filter { ($0["records"]?.numberValue ?? 0) > 0 }.map { o in
                let rate = o["duplicateRate"]?.doubleValue.map { String(format: " · 重复率 %.1f%%", $0 * 100) } ?? ""
                return "\(o["labels"]?["zh-CN"]?.stringValue ?? "") 完整度 \(Int(((o["completeness"]?.doubleValue ?? 0) * 100).rounded()))%\(rate)"
            }.joined(separator: "；")
            let text = "数据健康报告: " + summary
            try await database.write { db in
                let users = try await self.notifier.users(settings.recipients, object: StandardObjects.account, record: nil, on: db)
                try await self.notifier.send(text, to: users, object: nil, recordID: nil, key: "health:" + job.id, at: at, on: db)
                // Chat robots get it in their own format, sent and retried by the webhook worker.
                let endpoints = try await WebhookStore().endpoints(on: db)
                let now = ValueFormats.formatDateTime(at)
                for case .channel(let id) in settings.recipients {
                    guard let url = endpoints.first(where: { $0.id == id })?.url else { continue }
                    let envelope: JSONValue = ["type": "health_report", "timestamp": .string(now), "data": ["message": .string(text), "report": report]]
                    try await self.jobs.enqueue(Job(kind: Webhooks.kind, ref: id, key: "health:\(job.id):\(id)",
                                                    payload: ChannelMessage.payload(url: url, text: text, envelope: envelope), nextAt: now, createdAt: now), on: db)
                }
                try await self.jobs.finish(job.id, status: "done", error: nil, at: ValueFormats.formatDateTime(self.clock.now()), on: db)
            }
        }
        return claimed.count
    }
}
