import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Approval processes (published as immutable versions) and the requests going through them. A record with a
/// pending request is locked: the record service refuses to change or delete it until the request is decided.
public final class Approvals: Sendable {
    public static let kind = "approval"

    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let notifier: Notifier
    let clock: any KeelClock
    let config = ConfigStore()
    let store: ApprovalStore
    let directory = DirectoryStore()

    init(database: KeelDatabase, metadata: MetadataService, records: RecordService, access: AccessControl, notifier: Notifier,
         clock: any KeelClock) {
        self.database = database
        self.metadata = metadata
        self.records = records
        self.access = access
        self.notifier = notifier
        self.clock = clock
        self.store = ApprovalStore(dialect: database.dialect)
    }

    public func publish(_ json: JSONValue, by principal: Principal) async throws -> ConfigItem {
        try await access.require(principal, .manageMetadata)
        let process = try ApprovalProcess.parse(json, objects: try await metadata.catalog().objects)
        let now = ValueFormats.formatDateTime(clock.now())
        return try await database.write { db in
            let version = try await config.publish(kind: Self.kind, id: process.id, definition: process.json, by: principal.userID, at: now, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "approval_process_publish",
                                                     detail: ["process": .string(process.id), "version": JSONValue(version)]), on: db)
            return try await config.items(kind: Self.kind, id: process.id, on: db)[0]
        }
    }

    /// The active processes a record of `object` can be submitted to, and the request it waits on (it is locked), if any.
    public func state(object: String, recordID: String) async throws -> (processes: [ApprovalProcess], pending: ApprovalRequest?) {
        try await database.read { db in
            let processes = try await config.items(kind: Self.kind, on: db).filter { $0.status == "active" }
                .compactMap { ApprovalProcess.parseStored($0.definition) }.filter { $0.object == object }
            return (processes, try await store.pending(object: object, recordID: recordID, on: db))
        }
    }

    /// Every request on a record, oldest first, with its decisions: part of the record's story (its timeline), for
    /// whoever has read the record.
    public func requests(on record: Record) async throws -> [ApprovalRequest] {
        try await database.read { try await store.requests(object: record.object, recordID: record.id, on: $0) }
    }

    public func processes(by principal: Principal) async throws -> [ConfigItem] {
        try await access.require(principal, .manageMetadata)
        return try await database.read { try await config.items(kind: Self.kind, on: $0) }
    }

    /// Puts a record into a process (the version in force now). The submitter must be able to read the record and
    /// the process's entry condition must hold. With `ifNotPending`, a record already waiting returns nil instead of 409.
    /// An automation passes `requestID` so that a retried run finds the request it made instead of making another.
    public func start(_ processID: String, object objectName: String, recordID: String, by principal: Principal,
                      ifNotPending: Bool = false, requestID: String? = nil) async throws -> ApprovalRequest? {
        if let requestID, let earlier = try await database.read({ try await store.request(requestID, on: $0) }) { return earlier }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        guard let item = try await database.read({ try await config.items(kind: Self.kind, id: processID, on: $0).first }),
              item.status == "active", let process = ApprovalProcess.parseStored(item.definition) else {
            throw KeelError.notFound("approval process \(processID)")
        }
        guard process.object == object.name else {
            throw KeelError(.unprocessable, code: "wrong_object", message: "\(processID) approves \(process.object) records, not \(object.name).")
        }
        _ = try await records.get(object.name, id: recordID, as: principal)
        guard let record = try await database.read({ try await RecordStore(dialect: database.dialect).fetch(object, id: recordID, on: $0) }) else {
            throw KeelError.notFound("\(object.name)/\(recordID)")
        }
        if let entry = process.entry, try await evaluate(entry, on: record, object: object, catalog: catalog) != .boolean(true) {
            throw KeelError(.unprocessable, code: "not_applicable", message: "This record does not meet the entry condition of \(processID): \(entry).")
        }
        let now = clock.now()
        var request = ApprovalRequest(id: requestID ?? RecordID.make(), processID: process.id, version: item.version, object: object.name, recordID: recordID,
                                      status: "pending", step: 0, submittedBy: principal.userID, createdAt: ValueFormats.formatDateTime(now))
        let (step, skipped) = try await nextStep(process, from: 0, record: record, object: object, catalog: catalog)
        return try await database.write { db in
            guard try await store.insert(request, on: db) else {
                if ifNotPending { return nil }
                throw KeelError(.conflict, code: "approval_pending", message: "This record is already waiting for an approval.")
            }
            for s in skipped {
                try await store.decide(ApprovalDecision(step: s, stepName: process.steps[s].name, actor: principal.userID, decision: "skipped",
                                                        comment: "", at: ValueFormats.formatDateTime(now)), requestID: request.id, on: db)
            }
            try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(now), actor: principal.userID, action: "approval_submit",
                                                     object: object.name, recordID: recordID, detail: ["process": .string(process.id)]), on: db)
            if let step {
                request.step = step
                try await store.move(request.id, step: step, status: "pending", decidedAt: nil, on: db)
                try await notifyApprovers(process, step: step, request: request, record: record, object: object, on: db)
            } else {
                try await finish(&request, process: process, approved: true, actor: principal, object: object, catalog: catalog, on: db)
            }
            return try await store.request(request.id, on: db)
        }
    }

    /// Approves or rejects the step a request waits on. Only that step's approver may; a rejection needs a comment.
    /// The last approval (or any rejection) ends the request, applies the process's field changes and unlocks the record.
    public func decide(_ requestID: String, approve: Bool, comment: String, by principal: Principal) async throws -> ApprovalRequest {
        let comment = comment.trimmingCharacters(in: .whitespacesAndNewlines)
        guard approve || !comment.isEmpty else {
            throw KeelError.validation([Violation(field: "comment", code: "required", message: "Say why the request is rejected.")])
        }
        let catalog = try await metadata.catalog()
        let now = clock.now()
        return try await database.write { db in
            guard var request = try await store.request(requestID, forUpdate: true, on: db) else { throw KeelError.notFound("approval \(requestID)") }
            guard request.status == "pending" else {
                throw KeelError(.conflict, code: "already_decided", message: "This request was already \(request.status).")
            }
            guard let version = try await config.version(kind: Self.kind, id: request.processID, version: request.version, on: db),
                  let process = ApprovalProcess.parseStored(version.definition), let object = catalog.object(request.object),
                  let record = try await RecordStore(dialect: database.dialect).fetch(object, id: request.recordID, on: db) else {
                throw KeelError.notFound("approval \(requestID)")
            }
            let approvers = try await self.approvers(process.steps[request.step].approver, record: record, object: object, on: db)
            guard approvers.contains(principal.userID) else {
                throw KeelError(.forbidden, code: "not_approver", message: "You are not the approver of step \(process.steps[request.step].name).")
            }
            try await store.decide(ApprovalDecision(step: request.step, stepName: process.steps[request.step].name, actor: principal.userID,
                                                    decision: approve ? "approved" : "rejected", comment: comment,
                                                    at: ValueFormats.formatDateTime(now)), requestID: request.id, on: db)
            try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(now), actor: principal.userID, action: "approval_decision",
                                                     object: object.name, recordID: record.id,
                                                     detail: ["process": .string(process.id), "step": .string(process.steps[request.step].name),
                                                              "decision": .string(approve ? "approved" : "rejected")]), on: db)
            let (next, skipped) = approve ? try await nextStep(process, from: request.step + 1, record: record, object: object, catalog: catalog) : (nil, [])
            for s in skipped {
                try await store.decide(ApprovalDecision(step: s, stepName: process.steps[s].name, actor: principal.userID, decision: "skipped",
                                                        comment: "", at: ValueFormats.formatDateTime(now)), requestID: request.id, on: db)
            }
            if approve, let next {
                request.step = next
                try await store.move(request.id, step: next, status: "pending", decidedAt: nil, on: db)
                try await notifyApprovers(process, step: next, request: request, record: record, object: object, on: db)
            } else {
                try await finish(&request, process: process, approved: approve, actor: principal, object: object, catalog: catalog, on: db)
            }
            return try await store.request(request.id, on: db)!
        }
    }

    /// Ends a request: status, the process's field changes (written as the decider, with history), the submitter told.
    func finish(_ request: inout ApprovalRequest, process: ApprovalProcess, approved: Bool, actor: Principal, object: ObjectDefinition,
                catalog: Catalog, on db: any SQLDatabase) async throws {
        let now = clock.now()
        request.status = approved ? "approved" : "rejected"
        try await store.move(request.id, step: request.step, status: request.status, decidedAt: ValueFormats.formatDateTime(now), on: db)
        let changes = approved ? process.onApprove : process.onReject
        let store = RecordStore(dialect: database.dialect)
        if !changes.isEmpty, let record = try await store.fetch(object, id: request.recordID, on: db) {
            var input: [String: JSONValue] = [:]
            for (field, text) in changes { input[field] = try await evaluate(text, on: record, object: object, catalog: catalog).json }
            let everything = AccessScope(plan: AccessPlan(rows: .always), object: object, userID: actor.userID, now: "")
            _ = try await records.applyUpdate(object, id: record.id, input, expectedVersion: nil, .update, scope: everything, readable: everything,
                                              catalog: catalog, context: WriteContext(principal: actor, source: .approval), on: db)
        }
        if let record = try await store.fetch(object, id: request.recordID, on: db) {
            let message = ApprovalMessage(process: process, object: object, record: record)
            try await notifier.send(message.decided(approved: approved, english: try await directory.locale(userID: request.submittedBy, on: db) == "en"),
                                    to: [request.submittedBy], object: object.name, recordID: request.recordID,
                                    key: "approval:\(request.id):\(request.status)", at: now, on: db)
        }
    }

    /// The first step from `index` on whose condition holds, and the steps skipped before it.
    func nextStep(_ process: ApprovalProcess, from index: Int, record: Record, object: ObjectDefinition, catalog: Catalog) async throws -> (Int?, [Int]) {
        var skipped: [Int] = []
        for i in index..<max(index, process.steps.count) {
            if let when = process.steps[i].when, try await evaluate(when, on: record, object: object, catalog: catalog) != .boolean(true) {
                skipped.append(i)
                continue
            }
            return (i, skipped)
        }
        return (nil, skipped)
    }

    /// Who may decide a step for this record.
    func approvers(_ approver: Approver, record: Record, object: ObjectDefinition, on db: any SQLDatabase) async throws -> [String] {
        let users = try await directory.users(on: db).filter { $0.status == .active }
        let departments = try await directory.departments(on: db)
        func manager(of departmentID: String?, besides user: String?) -> String? {
            var current = departmentID
            while let id = current, let d = departments.first(where: { $0.id == id }) {
                if let m = d.managerID, m != user { return m }
                current = d.parentID
            }
            return nil
        }
        switch approver {
        case .user(let id): return [id]
        case .role(let role): return users.filter { $0.role == role }.map(\.id)
        case .department(let id): return manager(of: id, besides: nil).map { [$0] } ?? []
        case .manager:
            let owner = record.value(object.ownerField).stringValue
            return manager(of: users.first { $0.id == owner }?.departmentID, besides: owner).map { [$0] } ?? []
        }
    }

    func notifyApprovers(_ process: ApprovalProcess, step: Int, request: ApprovalRequest, record: Record, object: ObjectDefinition,
                         on db: any SQLDatabase) async throws {
        let approvers = try await approvers(process.steps[step].approver, record: record, object: object, on: db)
        let message = ApprovalMessage(process: process, object: object, record: record)
        for approver in approvers {
            try await notifier.send(message.waiting(step: process.steps[step].name, english: try await directory.locale(userID: approver, on: db) == "en"),
                                    to: [approver], object: object.name, recordID: record.id, key: "approval:\(request.id):\(step)", at: clock.now(), on: db)
        }
        if approvers.isEmpty {
            try await notifier.alertAdmins(zh: "\(process.label)的“\(process.steps[step].name)”一步没有审批人：\(message.what(false))",
                                           en: "Approval \(process.id) step \(process.steps[step].name) has no approver for \(object.name) \(message.what(true))",
                                           key: "no-approver:\(request.id):\(step)", object: object.name, recordID: record.id, at: clock.now(), on: db)
        }
    }

    func evaluate(_ text: String, on record: Record, object: ObjectDefinition, catalog: Catalog) async throws -> FormulaValue {
        try await records.evaluate(text, on: record, object: object, catalog: catalog, now: clock.now())
    }

    /// Requests the user may see: all for admins; otherwise those they submitted or may decide now.
    public func requests(status: String?, by principal: Principal) async throws -> [ApprovalRequest] {
        let catalog = try await metadata.catalog()
        return try await database.read { db in
            var out: [ApprovalRequest] = []
            for r in try await store.requests(status: status, limit: 500, on: db) {
                let decides = try await canDecide(r, principal, catalog: catalog, on: db)
                guard principal.role == .admin || r.submittedBy == principal.userID || decides, var full = try await store.request(r.id, on: db) else { continue }
                full.canDecide = decides
                full.stepName = try await config.version(kind: Self.kind, id: r.processID, version: r.version, on: db)
                    .flatMap { ApprovalProcess.parseStored($0.definition) }.map { $0.steps[min(r.step, $0.steps.count - 1)].name }
                out.append(full)
            }
            return out
        }
    }

    public func request(_ id: String, by principal: Principal) async throws -> ApprovalRequest {
        guard let r = try await requests(status: nil, by: principal).first(where: { $0.id == id }) else { throw KeelError.notFound("approval \(id)") }
        return r
    }

    func canDecide(_ r: ApprovalRequest, _ principal: Principal, catalog: Catalog, on db: any SQLDatabase) async throws -> Bool {
        guard r.status == "pending", let version = try await config.version(kind: Self.kind, id: r.processID, version: r.version, on: db),
              let process = ApprovalProcess.parseStored(version.definition), let object = catalog.object(r.object),
              let record = try await RecordStore(dialect: database.dialect).fetch(object, id: r.recordID, on: db) else { return false }
        return try await approvers(process.steps[r.step].approver, record: record, object: object, on: db).contains(principal.userID)
    }
}

extension ApprovalRequest {
    public var json: JSONValue {
        [
            "id": .string(id), "process": .string(processID), "version": JSONValue(version), "object": .string(object),
            "recordId": .string(recordID), "status": .string(status), "step": JSONValue(step), "submittedBy": .string(submittedBy),
            "createdAt": .string(createdAt), "decidedAt": decidedAt.map(JSONValue.string) ?? .null,
            "stepName": stepName.map(JSONValue.string) ?? .null, "canDecide": .bool(canDecide),
            "decisions": .array(decisions.map { d in
                ["step": JSONValue(d.step), "name": .string(d.stepName), "actor": .string(d.actor), "decision": .string(d.decision),
                 "comment": .string(d.comment), "at": .string(d.at)]
            }),
        ]
    }
}
