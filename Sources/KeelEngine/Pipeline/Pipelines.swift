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
            guard let set = try await records.stages.document(object, catalog: catalog, on: db) else {
                throw KeelError(.notFound, code: "no_pipeline", message: "\(object.name) has no pipeline; save one with PUT.")
            }
            return (set, item?.version, item?.publishedAt)
        }
    }

    /// Checks and saves a pipeline document (admins): every problem is a 422 with its JSON path, and the document in force
    /// stays; a valid one is published as the next version and audited. Records already in a stage keep it.
    public func setDocument(_ objectName: String, _ json: JSONValue, by principal: Principal) async throws -> (set: PipelineSet, version: Int?, publishedAt: String?) {
        try await access.require(principal, .manageMetadata)
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
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
        return try await database.read { try await records.stages.store.transitions(object: objectName, recordID: id, on: $0) }
    }
}
