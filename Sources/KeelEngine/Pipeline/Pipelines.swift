import Foundation
import KeelCore
import KeelStore

/// Pipelines as data: each object's pipeline document (read by anyone who may read the object, saved by admins) and
/// each record's stage history.
public struct Pipelines: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl

    /// The document in force for `object` — saved, or the standard one — with its version (nil: never saved).
    public func document(_ objectName: String, as principal: Principal) async throws -> (set: PipelineSet, version: Int?, publishedAt: String?) {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        if try await access.scope(principal, .read, object: object).plan.deniesAll { throw AccessControl.denied(.read, object: object.name) }
        return try await database.read { db in
            let item = try await records.stages.config.items(kind: StageKeeper.configKind, id: object.name, on: db).first
            // An object without pipelines has an empty document (its records move freely).
            let set = try await records.stages.document(object, catalog: catalog, on: db) ?? PipelineSet(object: object.name, pipelines: [])
            return (set, item?.version, item?.publishedAt)
        }
    }

    /// Checks and saves a pipeline document (admins): every problem is a 422 with its JSON path, and the document in force
    /// stays; a valid one is published as the next version and audited. Records already in a stage keep it.
    public func setDocument(_ objectName: String, _ json: JSONValue, by principal: Principal) async throws -> (set: PipelineSet, version: Int?, publishedAt: String?) {
        try await access.require(principal, .manageMetadata)
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        guard object.fields.contains(where: { $0.type == .picklist }) else {
            throw KeelError(.conflict, code: "no_stage_field", message: "\(object.name) has no picklist to hold a stage; add one first.")
        }
        let set = try PipelineSet.parse(json, object: object, objects: catalog.objects)
        let now = ValueFormats.formatDateTime(Date())
        try await database.write { db in
            let processes = Set(try await records.stages.config.items(kind: Approvals.kind, on: db).map(\.id))
            let unknown = set.pipelines.enumerated().flatMap { p, pipeline in
                pipeline.stages.enumerated().compactMap { s, stage in
                    stage.gate.approval.flatMap { processes.contains($0) ? nil : ("pipelines[\(p)].stages[\(s)].gate.approval", $0) }
                }
            }
            guard unknown.isEmpty else {
                throw KeelError.validation(unknown.map { Violation(field: $0.0, code: "unknown_process", message: "There is no approval process \($0.1).") })
            }
            _ = try await records.stages.config.publish(kind: StageKeeper.configKind, id: object.name, definition: set.json, by: principal.userID, at: now, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "pipeline_change", object: object.name, detail: set.json), on: db)
        }
        return try await document(objectName, as: principal)
    }

    /// A record's stage transitions, oldest first, for someone who may read the record.
    public func history(_ objectName: String, id: String, as principal: Principal) async throws -> [StageTransition] {
        _ = try await records.get(objectName, id: id, as: principal)
        return try await database.read { try await records.stages.store.transitions(object: objectName, recordIDs: [id], on: $0) }
    }

    /// The valid-advance rate over the last `days`: per rep and stage entered, how many advances met the stage's gate at
    /// the first attempt. A member sees their own; managers and admins everyone's.
    public func validAdvances(_ objectName: String, days: Int, as principal: Principal, now: Date = Date()) async throws
        -> [(actor: String, stage: String, count: Int, firstTime: Int)] {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let since = ValueFormats.formatDateTime(now.addingTimeInterval(-Double(days) * 86_400))
        return try await database.read { db in
            // Losing a deal is not an advance.
            let set = try await records.stages.document(object, catalog: catalog, on: db)
            return try await records.stages.store.advances(object: objectName, since: since, actor: principal.role == .member ? principal.userID : nil, on: db)
                .filter { set?.stage($0.stage)?.outcome != .lost }
        }
    }

    /// Deals longer in their stage than it allows (working days): their owner is told, and their manager once the deal
    /// has stayed twice as long — each once per stay in the stage. Returns how many alerts were sent.
    @discardableResult
    public func alertStale(at now: Date = Date()) async throws -> Int {
        let catalog = try await metadata.catalog()
        var sent = 0
        // Standard objects: their stage is a column the query can join on.
        for object in catalog.objects where !object.isCustom {
            try await database.write { db in
                guard let set = try await records.stages.document(object, catalog: catalog, on: db) else { return }
                let table = object.table
                for stage in set.pipelines.flatMap(\.stages) where stage.outcome == .open && stage.rotDays != nil {
                    let limit = stage.rotDays!
                    // N working days span at least N calendar days: those are the candidates.
                    let before = ValueFormats.formatDateTime(now.addingTimeInterval(-Double(limit) * 86_400))
                    for deal in try await records.stages.store.inStage(object: object.name, table: table, stageField: set.field, stage: stage.name,
                                                                       enteredBefore: before, on: db) {
                        guard let since = ValueFormats.parseDateTime(deal.since),
                              let days = stage.staleDays(since: since, now: now, calendar: catalog.calendar, zone: records.access.timeZone) else { continue }
                        let record = Record(object: object.name, id: deal.id, version: 0, createdAt: deal.since, updatedAt: deal.since, createdBy: nil, updatedBy: nil,
                                            values: [object.ownerField: deal.owner.map(JSONValue.string) ?? .null])
                        let name = deal.name ?? ""
                        let who: [Recipient] = days > 2 * limit ? [.owner, .manager] : [.owner]
                        let people = try await records.stages.notifier.users(who, object: object, record: record, on: db)
                        try await records.stages.notifier.tell(
                            zh: "「\(name)」在「\(stage.labels.zhCN)」已停滞 \(days) 个工作日（上限 \(limit) 个）",
                            en: "“\(name)” has stalled in \(stage.labels.en) for \(days) working days (limit \(limit))",
                            to: people, object: object.name, recordID: deal.id, key: "stale:\(deal.id):\(deal.since):\(days > 2 * limit ? 2 : 1)", at: now, on: db)
                        sent += 1
                    }
                }
            }
        }
        return sent
    }
}
