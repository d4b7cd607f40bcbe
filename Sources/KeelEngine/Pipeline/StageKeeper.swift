import Foundation
import KeelCore
import KeelStore
import SQLKit
import Synchronization

/// The record service's part in pipelines: inside each write's transaction, it checks a stage move against the
/// record's pipeline (transition rules and the gates, every unmet condition at once: a 422 `stage_gate`), then keeps
/// the move in the stage history and raises a rollback anomaly when a deal keeps going back.
final class StageKeeper: Sendable {
    static let configKind = "pipeline"
    let store = StageStore()
    let config = ConfigStore()
    let records: RecordStore
    let approvals: ApprovalStore
    let notifier: Notifier
    let timeZone: TimeZone
    private let parsed = Mutex<[String: ParsedConfig<PipelineSet>]>([:])

    init(records: RecordStore, approvals: ApprovalStore, notifier: Notifier, timeZone: TimeZone) {
        self.records = records
        self.approvals = approvals
        self.notifier = notifier
        self.timeZone = timeZone
    }

    /// The pipelines `object` follows: the document saved for it, else the standard one (opportunities), else none.
    func document(_ object: ObjectDefinition, catalog: Catalog, on db: any SQLDatabase) async throws -> PipelineSet? {
        let cache = parsed.withLock { cache in
            if let hit = cache[object.name] { return hit }
            let made = ParsedConfig<PipelineSet>(kind: Self.configKind, id: object.name)
            cache[object.name] = made
            return made
        }
        let saved = try await cache.value(catalog: catalog.version, on: db) { item in
            // Checked when saved; a field deleted since only drops out of its gates.
            try PipelineSet.parse(item.definition, object: object, objects: catalog.objects, lenient: true)
        }
        return saved ?? PipelineSet.standard(for: object.name)
    }

    /// A stage move about to be written, checked; nil when the write moves no stage. `state` is the record as it would
    /// be written, `before` the record as it was (nil for a new one).
    func check(_ object: ObjectDefinition, _ set: PipelineSet?, catalog: Catalog, id: String, before: Record?, state: [String: JSONValue],
               reason: String?, context: WriteContext, on db: any SQLDatabase) async throws -> StageTransition? {
        guard let set, let to = state[set.field]?.stringValue else { return nil }
        let from = before?.value(set.field).stringValue
        guard from != to else { return nil }
        guard let pipeline = set.pipeline(for: state) else {
            throw KeelError(.unprocessable, code: "stage_gate", message: "No pipeline of \(object.name) applies to this record.",
                            violations: [Violation(field: set.selector ?? set.field, code: "no_pipeline", message: "No pipeline is set up for this value.")])
        }
        // A record whose stage is not in its pipeline (the pipeline changed under it) moves as if it were new.
        let move = StageMove(from: from.flatMap { pipeline.stage($0) == nil ? nil : $0 }, to: to, reason: reason)
        var counts: [RelatedRequirement: Int] = [:]
        var passed: [String: Bool] = [:]
        var attached: [String: Int]?
        for gate in move.requirements(in: pipeline) {
            if !gate.attachments.isEmpty, attached == nil { attached = try await AttachmentStore().kinds(object: object.name, recordID: id, on: db) }
            for requirement in gate.related where counts[requirement] == nil {
                counts[requirement] = try await count(requirement, id: id, state: state, catalog: catalog, on: db)
            }
            if let process = gate.approval, passed[process] == nil {
                passed[process] = try await approvals.requests(object: object.name, recordID: id, on: db)
                    .contains { $0.processID == process && $0.status == "approved" }
            }
        }
        let violations = move.violations(in: pipeline, state: state, object: object, field: set.field,
                                         related: { counts[$0] ?? 0 }, approved: { passed[$0] ?? false }, attached: { attached?[$0] ?? 0 })
        // A merge keeps the stage a duplicate had already reached: it consolidates records, it does not move a deal.
        guard violations.isEmpty || context.source == .merge else {
            let label = pipeline.stage(to)?.labels.en ?? to
            throw KeelError(.unprocessable, code: "stage_gate",
                            message: "The move to \(label) was refused: \(violations.count) condition(s) are not met.", violations: violations,
                            details: ["stage": .string(to)])
        }
        let date = context.date
        var spent: (Int, Int)?
        var firstTime = true
        if let before {
            let entered = try await store.latest(object: object.name, recordIDs: [id], on: db)[id]?.at ?? before.createdAt
            if let since = ValueFormats.parseDateTime(entered) {
                spent = (max(0, Int(date.timeIntervalSince(since))), Int(catalog.calendar.workingSeconds(from: since, to: date, in: timeZone)))
            }
            // An advance the gate refused since the deal entered its stage did not meet the gate at the first attempt.
            if !move.isBack(in: pipeline) {
                firstTime = !(try await store.wasRefused(object: object.name, recordID: id, to: to, since: entered, on: db))
            }
        }
        return StageTransition(id: RecordID.make(), object: object.name, recordID: id, pipeline: pipeline.name, from: from, to: to,
                               at: ValueFormats.formatDateTime(date), actor: context.principal.userID, source: context.source.rawValue,
                               reason: move.reason, secondsInStage: spent?.0, workingSecondsInStage: spent?.1, back: move.isBack(in: pipeline),
                               firstTime: firstTime, owner: state[object.ownerField]?.stringValue, amount: state["amount"]?.doubleValue,
                               expectedClose: state["expected_close_date"]?.stringValue)
    }

    /// Keeps a checked move; a move back that makes `rollback.count` within the window tells the owner and their manager.
    func record(_ transition: StageTransition, object: ObjectDefinition, record: Record, catalog: Catalog, at date: Date,
                on db: any SQLDatabase) async throws {
        try await store.insert(transition, on: db)
        guard transition.back, let set = try await document(object, catalog: catalog, on: db) else { return }
        let since = ValueFormats.formatDateTime(date.addingTimeInterval(-Double(set.rollback.windowDays) * 86_400))
        let count = try await store.backMoves(object: object.name, recordID: record.id, since: since, on: db)
        guard count >= set.rollback.count else { return }
        let name = record.value("name").stringValue ?? record.id
        let to = set.stage(transition.to)?.labels ?? Labels(zhCN: transition.to, en: transition.to)
        let people = try await notifier.users([.owner, .manager], object: object, record: record, on: db)
        try await notifier.tell(zh: "回退异常：「\(name)」\(set.rollback.windowDays) 天内第 \(count) 次回退（退至\(to.zhCN)）",
                                en: "Rollback anomaly: “\(name)” moved back \(count) times in \(set.rollback.windowDays) days (now \(to.en))",
                                to: people, object: object.name, recordID: record.id, key: "rollback:\(transition.id)", at: date, on: db)
    }

    /// Notes a move a gate refused (in its own transaction, after the refused one rolled back).
    func refused(_ object: String, id: String, to stage: String, by actor: String, at date: Date, on db: any SQLDatabase) async throws {
        try await store.refuse(object: object, recordID: id, to: stage, actor: actor, at: ValueFormats.formatDateTime(date), on: db)
    }

    /// How many records meet a related-record requirement for the record `id` with `state`.
    func count(_ requirement: RelatedRequirement, id: String, state: [String: JSONValue], catalog: Catalog, on db: any SQLDatabase) async throws -> Int {
        guard let other = catalog.object(requirement.object), let link = other.field(requirement.link) else { return 0 }
        guard let target = requirement.on.map({ state[$0]?.stringValue }) ?? id else { return 0 }
        var query = ListQuery(object: other)
        query.filters = [Filter(field: link, op: .eq, values: [.string(target)])]
        for (name, value) in requirement.matching.sorted(by: { $0.key < $1.key }) {
            guard let field = other.field(name) else { return 0 }
            query.filters.append(Filter(field: field, op: .eq, values: [field.type == .boolean ? .bool(value == "true") : .string(value)]))
        }
        return try await records.count(other, query: query, access: AccessScope(plan: AccessPlan(rows: .always), object: other, userID: "", now: ""), on: db)
    }
}
