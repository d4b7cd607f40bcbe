import Foundation
import KeelCore
import KeelStore
import SQLKit

extension Automations {
    /// How long a worker holds a job before another may take it up (its process presumably died).
    static let lease: TimeInterval = 300
    /// How many records' runs one worker runs at a time.
    static let parallelRuns = 4
    /// The most records one scheduled run visits.
    static let maxScheduledRecords = 10_000

    /// Runs the automation jobs that are due; returns how many ran.
    @discardableResult
    public func runDue(worker: String, limit: Int = 50) async throws -> Int {
        let claimed = try await jobs.claimDue([Self.kind], worker: worker, now: clock.now(), lease: Self.lease, limit: limit, in: database)
        guard !claimed.isEmpty else { return 0 }
        // Runs on different records go side by side (PostgreSQL writes in parallel; SQLite overlaps the reads); runs on
        // one record go one after another, in the order their changes were made.
        let byRecord = Dictionary(grouping: claimed) { $0.recordID.map { "\($0)" } ?? $0.id }.values
        try await withThrowingTaskGroup(of: Void.self) { group in
            var running = 0
            for jobs in byRecord {
                if running == Self.parallelRuns {
                    try await group.next()
                    running -= 1
                }
                group.addTask { for job in jobs { try await self.run(job) } }
                running += 1
            }
            try await group.waitForAll()
        }
        return claimed.count
    }

    /// Runs one job and records the attempt: done, skipped (with why), retried with backoff, or failed with an alert.
    func run(_ job: Job) async throws {
        let started = clock.now()
        let timer = ContinuousClock.now
        var outcome: (status: String, note: String?, code: String?)
        var permanent = false
        do {
            let (status, note) = try await execute(job)
            outcome = (status, note, nil)
        } catch let error as KeelError {
            outcome = ("error", error.summary, error.code)
            permanent = [.unprocessable, .forbidden, .notFound, .badRequest].contains(error.kind)
        } catch {
            outcome = ("error", String(describing: error), nil)
        }
        let ms = Int((ContinuousClock.now - timer) / .milliseconds(1))
        let at = clock.now()
        try await database.write { db in
            var attempt = JobAttempt(jobID: job.id, attempt: job.attempts, startedAt: ValueFormats.formatDateTime(started), durationMS: ms,
                                     outcome: outcome.status == "error" ? "retry" : outcome.status, error: outcome.note)
            if outcome.status != "error" {
                try await jobs.finish(job.id, status: outcome.status, error: outcome.note, at: ValueFormats.formatDateTime(at), on: db)
            } else if !permanent, let delay = RetryPolicy.automations.delay(afterAttempt: job.attempts) {
                try await jobs.retry(job.id, nextAt: ValueFormats.formatDateTime(at.addingTimeInterval(delay)), error: outcome.note ?? "", on: db)
            } else if outcome.code == "invalid_formula" {
                // The definition no longer fits the metadata: stop it rather than fail record after record.
                attempt.outcome = "failed"
                try await jobs.finish(job.id, status: "failed", error: outcome.note, at: ValueFormats.formatDateTime(at), on: db)
                try await halt(job.ref, reason: outcome.note ?? "", object: job.object, recordID: job.recordID, at: at, on: db)
            } else {
                attempt.outcome = "failed"
                try await jobs.finish(job.id, status: "failed", error: outcome.note, at: ValueFormats.formatDateTime(at), on: db)
                try await notifier.alertAdmins(zh: "自动化 \(job.ref) 运行失败（\(job.object ?? "")/\(job.recordID ?? "定时")）：\(outcome.note ?? "")",
                                               en: "Automation \(job.ref) failed on \(job.object ?? "")/\(job.recordID ?? "schedule"): \(outcome.note ?? "")",
                                               key: "failed:\(job.id)", object: job.object, recordID: job.recordID, at: at, on: db)
            }
            try await jobs.record(attempt, on: db)
        }
    }

    /// What one job does: the automation (at the version the job was made with) on its record, or on every record its
    /// condition holds on for a schedule. Returns ("done" | "skipped", note).
    func execute(_ job: Job) async throws -> (String, String?) {
        let (item, version) = try await database.read { db in
            (try await config.items(kind: Self.kind, id: job.ref, on: db).first, try await config.version(kind: Self.kind, id: job.ref, version: job.version, on: db))
        }
        guard let item, item.status == "active" else { return ("skipped", "the automation is \(item?.status ?? "gone")") }
        guard let version, let automation = Automation.parseStored(version.definition) else { return ("skipped", "version \(job.version) is unreadable") }
        let catalog = try await metadata.catalog()
        guard let object = catalog.object(automation.object) else { return ("skipped", "\(automation.object) no longer exists") }
        guard let publisher = try await database.read({ try await directory.user(id: version.publishedBy, on: $0) }), publisher.status == .active else {
            throw KeelError(.forbidden, code: "run_as_frozen", message: "The automation runs as \(version.publishedBy), who is no longer active; publish it again.")
        }
        let context = WriteContext(principal: publisher.principal, source: .automation, depth: job.depth + 1)
        let run = ActionRun(automation: automation, object: object, catalog: catalog, context: context)
        guard let recordID = job.recordID else {
            var count = 0
            for record in try await candidates(object) where try await conditionHolds(automation, on: record, run: run) {
                try await act(run, on: record, key: "\(job.id):\(record.id)")
                count += 1
            }
            return ("done", "\(count) records")
        }
        var record = try await database.read { try await store.fetch(object, id: recordID, on: $0) }
        if case .deleted = automation.trigger {
            // The record is gone; the automation sees it as it was.
            var values: [String: JSONValue] = [:]
            for (field, change) in job.payload["changes"]?.objectValue ?? [:] { values[field] = change["old"] ?? .null }
            record = Record(object: object.name, id: recordID, version: 0, createdAt: "", updatedAt: "", createdBy: nil, updatedBy: nil, values: values)
        }
        guard let record else { return ("skipped", "the record was deleted") }
        if case .afterDate(let field, _, _) = automation.trigger, job.payload["changes"]?[field]?["new"] != record.value(field) {
            return ("skipped", "\(field) changed since the timer was set")
        }
        guard try await conditionHolds(automation, on: record, run: run) else { return ("skipped", "the condition is false") }
        try await act(run, on: record, key: job.id)
        return ("done", nil)
    }

    /// What every action of one run shares.
    struct ActionRun {
        let automation: Automation
        let object: ObjectDefinition
        let catalog: Catalog
        let context: WriteContext
    }

    func conditionHolds(_ automation: Automation, on record: Record, run: ActionRun) async throws -> Bool {
        guard let condition = automation.condition else { return true }
        return try await evaluate(condition, on: record, run: run) == .boolean(true)
    }

    func evaluate(_ text: String, on record: Record, run: ActionRun, reader: RecordService.Reader = .keel) async throws -> FormulaValue {
        try await records.evaluate(text, on: record, object: run.object, catalog: run.catalog, now: clock.now(), reader: reader)
    }

    func values(_ formulas: [String: String], on record: Record, run: ActionRun) async throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for (field, text) in formulas { out[field] = try await evaluate(text, on: record, run: run).json }
        return out
    }

    /// Every record of the object, for a scheduled run (at most `maxScheduledRecords`).
    func candidates(_ object: ObjectDefinition) async throws -> [Record] {
        var query = ListQuery(object: object)
        query.limit = ListQuery.maxLimit
        let everything = AccessScope(plan: AccessPlan(rows: .always), object: object, userID: "", now: "")
        var out: [Record] = []
        repeat {
            let page = try await database.read { try await store.list(object, query: query, access: everything, on: $0) }
            out += page.records
            query.cursor = page.nextCursor.flatMap(Cursor.decode)
        } while query.cursor != nil && out.count < Self.maxScheduledRecords
        return Array(out.prefix(Self.maxScheduledRecords))
    }
}
