import Foundation
import KeelCore
import KeelStore
import SQLKit

extension RecordService {
    /// Changes the fields in `input`. With `expectedVersion`, a record changed since is a 409.
    public func update(_ objectName: String, id: String, _ input: [String: JSONValue], expectedVersion: Int?,
                       context: WriteContext) async throws -> Record {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let scopes = try await access.scopes(context.principal, [.update, .read], object: object)
        let (scope, readable) = (scopes[0], scopes[1])
        let handover = try await handoverScope(object, input, context: context)
        do {
            return try await database.write { db in
                try await applyUpdate(object, id: id, input, expectedVersion: expectedVersion, .update, scope: scope, readable: readable,
                                      handover: handover, catalog: catalog, context: context, on: db)
            }
        } catch let error as KeelError where error.code == "stage_gate" {
            // The refused move is remembered: an advance that needed a second try did not meet its gate the first time.
            if let stage = error.details["stage"]?.stringValue {
                try await database.write { try await stages.refused(object.name, id: id, to: stage, by: context.principal.userID, at: context.date, on: $0) }
            }
            throw error
        }
    }

    /// The most records one bulk update changes.
    public static let maxBulkUpdate = 500

    /// Sets the same fields on many records in ONE transaction: all are changed or none. Needs `bulk_update` besides
    /// `update` on every record; a record the caller may not see fails the whole request as "not found".
    public func bulkUpdate(_ objectName: String, ids: [String], _ input: [String: JSONValue], context: WriteContext) async throws -> [Record] {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let unique = Array(NSOrderedSet(array: ids).compactMap { $0 as? String })
        guard (1...Self.maxBulkUpdate).contains(unique.count), !input.isEmpty else {
            throw KeelError.validation([Violation(field: unique.isEmpty || unique.count > Self.maxBulkUpdate ? "ids" : "set", code: "out_of_range",
                                                  message: "Send 1 to \(Self.maxBulkUpdate) ids and at least one field to set.")])
        }
        let scopes = try await access.scopes(context.principal, [.update, .bulkUpdate, .read], object: object)
        var scope = scopes[0]
        scope.plan = scope.plan.intersecting(scopes[1].plan)
        if scope.plan.deniesAll { throw AccessControl.denied(.bulkUpdate, object: object.name) }
        let readable = scopes[2]
        let handover = try await handoverScope(object, input, context: context)
        return try await database.write { db in
            var records: [Record] = []
            for (index, id) in unique.enumerated() {
                do {
                    records.append(try await applyUpdate(object, id: id, input, expectedVersion: nil, .bulkUpdate, scope: scope, readable: readable,
                                                         handover: handover, catalog: catalog, context: context, on: db))
                } catch var error as KeelError where error.kind == .unprocessable {
                    error.violations = error.violations.map { Violation(field: "[\(index)].\($0.field)", code: $0.code, message: $0.message) }
                    throw error
                }
            }
            return records
        }
    }

    /// Changes many records, each with its own input (and, for Keel replaying a past, its own date), in ONE
    /// transaction and in the order given: all are changed or none.
    public func updateBatch(_ objectName: String, _ changes: [RecordChange], context: WriteContext) async throws -> [Record] {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let scopes = try await access.scopes(context.principal, [.update, .read], object: object)
        let handover = changes.contains(where: { $0.input[object.ownerField] != nil }) ? try await access.scope(context.principal, .create, object: object) : nil
        return try await database.write { db in
            var records: [Record] = []
            for (index, change) in changes.enumerated() {
                var dated = context
                dated.at = change.at ?? context.at
                do {
                    records.append(try await applyUpdate(object, id: change.id, change.input, expectedVersion: nil, .update, scope: scopes[0], readable: scopes[1],
                                                         handover: handover, catalog: catalog, context: dated, on: db))
                } catch var error as KeelError where error.kind == .unprocessable {
                    error.violations = error.violations.map { Violation(field: "[\(index)].\($0.field)", code: $0.code, message: $0.message) }
                    throw error
                }
            }
            return records
        }
    }

    /// Handing a record to another owner needs what creating it with that owner needs: the create scope, when the
    /// input names an owner.
    func handoverScope(_ object: ObjectDefinition, _ input: [String: JSONValue], context: WriteContext) async throws -> AccessScope? {
        input[object.ownerField] == nil ? nil : try await access.scope(context.principal, .create, object: object)
    }

    /// One record's update inside the caller's transaction: permission on the record and every field, validation,
    /// the row, the history and the outbox. Returns the record as the caller may read it. With `handover`, a new
    /// owner must leave the record inside it.
    func applyUpdate(_ object: ObjectDefinition, id: String, _ input: [String: JSONValue], expectedVersion: Int?, _ operation: Action,
                     scope: AccessScope, readable: AccessScope, handover: AccessScope? = nil, catalog: Catalog, context: WriteContext,
                     assignment: AssignmentNote? = nil, on db: any SQLDatabase) async throws -> Record {
        var input = input
        let stageReason = try Self.takeStageReason(&input, object)
        try Self.refuseKept(object, input.keys, context: context)
        let current = try await lockedCurrent(object, id: id, expectedVersion: expectedVersion, operation, scope: scope, readable: readable, on: db)
        try await checkUnlocked(object, id: id, on: db)
        try Self.checkFields(Array(input.keys), hidden: current.masked, operation: .update)
        try afterStep?(.authorize)
        var values = try await validated(input, object: object, catalog: catalog, mode: .update, current: current.record, as: context.principal, on: db)
        if let refusal = StandardObjects.signedContractRefusal(current.record, values) { throw refusal }
        // An activity's evidence, once logged, stays as it was: changing it conflicts with what the record already holds.
        if object.name == StandardObjects.activity.name {
            let changed = Credibility.immutableViolations(current: current.record, values: values)
            if !changed.isEmpty {
                throw KeelError(.conflict, code: "evidence_immutable", message: "Evidence once logged does not change: \(changed.map(\.field).joined(separator: ", ")).",
                                violations: changed)
            }
        }
        let pipelines = try await stages.document(object, catalog: catalog, on: db)
        if let probability = StageProbability.following(values, current: current.record, object: object, probabilities: pipelines?.probabilities ?? [:]) {
            values["probability"] = probability
        }
        var state = current.record.values
        for (k, v) in values { state[k] = v }
        for (k, v) in try await formulas(catalog).formulaValues(object, state: state, on: db) { values[k] = v; state[k] = v }
        for (k, v) in try await leadScore(object, state: state, catalog: catalog, on: db) { values[k] = v }
        let transition = try await stages.check(object, pipelines, catalog: catalog, id: id, before: current.record, state: state, reason: stageReason,
                                                context: context, on: db)
        try afterStep?(.validate)
        let date = context.date, now = ValueFormats.formatDateTime(date)
        let reassignment = try await reassign(object, current: current.record, values: &values, reason: input["assignment_reason"]?.stringValue,
                                              note: assignment, context: context, at: now, on: db)
        let changes = values.keys.sorted().compactMap { name -> (String, JSONValue, JSONValue)? in
            let old = current.record.value(name)
            return old == values[name]! ? nil : (name, old, values[name]!)
        }
        guard !changes.isEmpty else { return try await store.fetch(object, id: id, access: readable, on: db) ?? current.record.maskingAll(object) }
        var next = current.record
        next.version += 1
        next.updatedAt = now
        next.updatedBy = context.principal.userID
        for (name, _, new) in changes { next.values[name] = new }
        let identity = DuplicateCheck.matcher(for: object).map { Set($0.fields.map(\.field)) } ?? []
        let identityChanged = changes.contains { identity.contains($0.0) }
        if identityChanged { try await refuseDuplicates(object, values: next.values, excluding: id, readable: readable, on: db) }
        guard try await store.update(next, replacing: current.record, object: object, on: db) else {
            throw Self.stale(id)
        }
        if identityChanged { try await duplicates.index(object, id: id, values: next.values, on: db) }
        if let handover, changes.contains(where: { $0.0 == object.ownerField }), try await store.fetch(object, id: id, access: handover, on: db) == nil {
            throw KeelError(.forbidden, code: "forbidden", message: "No policy allows you to hand this \(object.name) record to that owner (you could not create it with that owner).")
        }
        try afterStep?(.writeRow)
        try await journal(changes, record: next, operation: "update", context: context, at: now, on: db)
        if let reassignment { try await router.store.record(reassignment, on: db) }
        if let transition { try await stages.record(transition, object: object, record: next, catalog: catalog, at: date, on: db) }
        try await respond(after: object, before: current.record, after: next, catalog: catalog, context: context, at: date,
                          routing: { try await router.document(on: db) }, on: db)
        try await recomputeDependents(of: next, object, changed: Set(changes.map(\.0)), catalog: catalog, context: context, on: db)
        if readable.plan.isUnconditional { return next.withEveryField(object) }
        return try await store.fetch(object, id: id, access: readable, on: db) ?? next.maskingAll(object)
    }

    /// Formula fields of other objects that read a changed field of this record through a reference
    /// (`account.industry` on opportunities) are recomputed in the same transaction, with history (source formula).
    func recomputeDependents(of record: Record, _ object: ObjectDefinition, changed: Set<String>, catalog: Catalog, context: WriteContext,
                             on db: any SQLDatabase) async throws {
        let runner = formulas(catalog)
        for other in catalog.objects {
            let schema = FormulaSchema(object: other, objects: catalog.objects)
            let paths = other.fields.compactMap { $0.formula.flatMap { try? Formula($0, schema: schema) } }.flatMap(\.dependencies)
            let references = Set(paths.filter { $0.count == 2 && changed.contains($0[1]) }.map { $0[0] })
                .compactMap(other.field).filter { $0.target == object.name }
            for reference in references {
                try await writeFormulaValues(try await runner.stale(other, where: reference, is: record.id, on: db), other,
                                             context: WriteContext(principal: context.principal, source: .formula, depth: context.depth), on: db)
            }
        }
    }

    /// Recomputes the formula fields of every record of `objectName` whose stored values are stale — after a formula
    /// field is added or its expression changed — in the caller's transaction, as `principal` (history source formula).
    func backfillFormulas(_ objectName: String, objects: [ObjectDefinition], principal: Principal, on db: any SQLDatabase) async throws {
        guard let object = objects.first(where: { $0.name == objectName }) else { return }
        let runner = FormulaRunner(store: store, catalog: Catalog(version: 0, objects: objects), timeZone: access.timeZone)
        try await writeFormulaValues(try await runner.stale(object, on: db), object, context: WriteContext(principal: principal, source: .formula), on: db)
    }

    /// Recomputes every object's formula fields on the records written before they existed (after an upgrade that adds
    /// built-in ones, such as phones' parts), as the first active admin; nothing to do on a database without one.
    func backfillAllFormulas() async throws {
        guard let admin = try await database.read({ try await DirectoryStore().users(on: $0) }).first(where: { $0.role == .admin && $0.status == .active }) else { return }
        let objects = try await metadata.catalog().objects
        for object in objects where object.fields.contains(where: { $0.formula != nil }) {
            try await database.write { try await backfillFormulas(object.name, objects: objects, principal: admin.principal, on: $0) }
        }
    }

    /// Writes recomputed formula values like any other change: a new version, field history, an outbox event.
    func writeFormulaValues(_ stale: [(Record, [String: JSONValue])], _ object: ObjectDefinition, context: WriteContext,
                            on db: any SQLDatabase) async throws {
        for (record, values) in stale {
            var next = record
            next.version += 1
            next.updatedAt = ValueFormats.formatDateTime(Date())
            for (k, v) in values { next.values[k] = v }
            guard try await store.update(next, replacing: record, object: object, on: db) else { throw Self.stale(record.id) }
            try await journal(values.keys.sorted().map { ($0, record.value($0), values[$0]!) }, record: next, operation: "update",
                              context: context, at: next.updatedAt, on: db)
        }
    }
}

/// One record's change in a batch: its id, the fields to set, and (Keel replaying a past) when it happened.
public struct RecordChange: Sendable {
    public var id: String
    public var input: [String: JSONValue]
    public var at: Date?

    public init(id: String, input: [String: JSONValue], at: Date? = nil) {
        self.id = id
        self.input = input
        self.at = at
    }
}

/// Why a lead changes hands when the pool moves it (claimed, released, returned): the reason in both languages and
/// what kind of move it was.
struct AssignmentNote: Sendable {
    var zh: String
    var en: String
    var strategy: String
    /// Moved by Keel itself (returned for want of follow-up), not by the writer.
    var byRouting = false
}

extension RecordService {
    /// A lead given to someone else by hand: when and why (the writer's reason, if sent) go on the lead and into its
    /// assignments. Nil when the owner stays.
    func reassign(_ object: ObjectDefinition, current: Record, values: inout [String: JSONValue], reason: String?, note: AssignmentNote?,
                  context: WriteContext, at now: String, on db: any SQLDatabase) async throws -> LeadAssignment? {
        guard object.name == StandardObjects.lead.name, let owner = values[object.ownerField], owner != current.value(object.ownerField) else { return nil }
        if let note {
            values["assigned_at"] = owner.isNull ? .null : .string(now)
            values["assignment_reason"] = .string(note.zh)
            return LeadAssignment(leadID: current.id, ownerID: owner.stringValue, previousOwner: current.value(object.ownerField).stringValue, ruleID: nil,
                                  strategy: note.strategy, reasonZh: note.zh, reasonEn: note.en, actor: note.byRouting ? nil : context.principal.userID, at: now)
        }
        let who = try await directory.user(id: context.principal.userID, on: db)?.name ?? context.principal.userID
        // A form sends the reason it showed: only a new one is the writer's.
        let why = reason.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty || .string($0) == current.value("assignment_reason") ? nil : $0 }
        let zh = (owner.isNull ? "由 \(who) 退回公海" : "由 \(who) 改派") + (why.map { "：\($0)" } ?? "")
        let en = (owner.isNull ? "Returned to the pool by \(who)" : "Reassigned by \(who)") + (why.map { ": \($0)" } ?? "")
        values["assigned_at"] = owner.isNull ? .null : .string(now)
        values["assignment_reason"] = .string(zh)
        return LeadAssignment(leadID: current.id, ownerID: owner.stringValue, previousOwner: current.value(object.ownerField).stringValue, ruleID: nil,
                              strategy: nil, reasonZh: zh, reasonEn: en, actor: context.principal.userID, at: now)
    }
}
