import Foundation
import KeelCore
import KeelStore
import SQLKit

/// The ONE write path for records. API, web, import, automations and webhooks all call it. Each write runs in
/// one transaction: authorize (access policies, per record and per field) → normalise and validate (all violations at once) → write the row → write the
/// hash-chained field history → write the outbox event. Any failure rolls everything back.
public final class RecordService: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let access: AccessControl
    let store: RecordStore
    let journal: JournalStore
    let approvals: ApprovalStore
    let directory = DirectoryStore()
    let duplicates: DuplicateCheck
    let router: LeadRouter
    let stages: StageKeeper
    let scoreCards = ParsedConfig<ScoreCard?>(kind: RecordService.scoringKind, id: RecordService.scoringID)
    let parsedFormulas = ParsedFormulas()
    /// Test hook: called after each step inside the transaction; throwing there aborts the write.
    let afterStep: (@Sendable (WriteStep) throws -> Void)?

    public init(database: KeelDatabase, metadata: MetadataService, access: AccessControl,
                afterStep: (@Sendable (WriteStep) throws -> Void)? = nil) {
        self.database = database
        self.metadata = metadata
        self.access = access
        self.store = RecordStore(dialect: database.dialect)
        self.journal = JournalStore(dialect: database.dialect)
        self.approvals = ApprovalStore(dialect: database.dialect)
        self.duplicates = DuplicateCheck(store: store)
        let notifier = Notifier(database: database)
        self.router = LeadRouter(notifier: notifier, timeZone: access.timeZone)
        self.stages = StageKeeper(records: store, approvals: approvals, notifier: notifier, timeZone: access.timeZone)
        self.afterStep = afterStep
    }

    // MARK: Writes

    public func create(_ objectName: String, _ input: [String: JSONValue], context: WriteContext,
                       idempotency: IdempotencyKey? = nil) async throws -> CreateResult {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let principal = context.principal
        let scopes = try await access.scopes(principal, [.create, .read], object: object)
        let (scope, readable) = (scopes[0], scopes[1])
        let followUp = try await nextStepScopes(object, catalog: catalog, principal: principal)
        return try await database.write { db in
            if let idempotency {
                try await journal.lockChain(on: db)
                if let earlier = try await directory.idempotencyEntry(userID: principal.userID, key: idempotency.key, on: db) {
                    guard earlier.requestHash == idempotency.requestHash else {
                        throw KeelError(.conflict, code: "idempotency_key_reused",
                                        message: "This Idempotency-Key was already used with a different request.")
                    }
                    return CreateResult(json: try JSONValue.parse(text: earlier.response), replayed: true)
                }
            }
            let record = try await insertNew(object, input, catalog: catalog, context: context, scope: scope, readable: readable, nextStep: followUp, on: db)
            let json = record.json(object: object)
            if let idempotency {
                try await directory.insertIdempotencyEntry(userID: principal.userID, key: idempotency.key, requestHash: idempotency.requestHash,
                                                           object: object.name, recordID: record.id, response: json.canonicalText(), on: db)
            }
            return CreateResult(json: json, replayed: false)
        }
    }

    /// Creates many records of one object in ONE transaction: all are written or none. `dates` (Keel replaying a past,
    /// such as the demo's history) dates each record.
    public func createBatch(_ objectName: String, _ inputs: [[String: JSONValue]], context: WriteContext, dates: [Date]? = nil) async throws -> [Record] {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let scopes = try await access.scopes(context.principal, [.create, .read], object: object)
        let (scope, readable) = (scopes[0], scopes[1])
        let followUp = try await nextStepScopes(object, catalog: catalog, principal: context.principal)
        return try await database.write { db in
            var records: [Record] = []
            for (index, input) in inputs.enumerated() {
                do {
                    var dated = context
                    if let dates { dated.at = dates[index] }
                    records.append(try await insertNew(object, input, catalog: catalog, context: dated, scope: scope, readable: readable, nextStep: followUp, on: db))
                } catch var error as KeelError {
                    error.violations = error.violations.map { Violation(field: "[\(index)].\($0.field)", code: $0.code, message: $0.message) }
                    throw error
                }
            }
            return records
        }
    }

    /// Inserts a record, then checks in the same transaction that the policies allow creating it as written
    /// (and every field given); otherwise the transaction rolls back. Returns the record as the caller may read it.
    /// `nextStep`: the scopes to create a new activity's next-step task with (`nextStepScopes`), read before the transaction.
    func insertNew(_ object: ObjectDefinition, _ input: [String: JSONValue], catalog: Catalog, context: WriteContext,
                   scope: AccessScope, readable: AccessScope, nextStep: (AccessScope, AccessScope)? = nil, on db: any SQLDatabase) async throws -> Record {
        var input = input
        _ = try Self.takeStageReason(&input, object)
        let ownerGiven = input[object.ownerField].map { !$0.isNull } ?? false
        // A record nobody was named to own (or assigned to) belongs to whoever created it — unless lead routing decides.
        if object.ownerField != "created_by", input[object.ownerField] == nil { input[object.ownerField] = .string(context.principal.userID) }
        try Self.refuseKept(object, input.keys, context: context)
        if scope.plan.deniesAll { throw AccessControl.denied(.create, object: object.name) }
        try Self.checkFields(Array(input.keys), hidden: scope.plan.hiddenFields, operation: .create)
        try afterStep?(.authorize)
        var values = try await validated(input, object: object, catalog: catalog, mode: .create, as: context.principal, on: db)
        for field in object.fields where field.numbering != nil && !field.isCustom && (values[field.name] ?? .null).isNull {
            guard let prefix = field.numbering else { continue }
            let day = ValueFormats.formatLocal(context.date, in: access.timeZone).prefix(10).replacingOccurrences(of: "-", with: "")
            values[field.name] = .string(try await store.nextNumber("\(prefix)-\(day)-", field: field.name, object: object, on: db))
        }
        let pipelines = try await stages.document(object, catalog: catalog, on: db)
        if let probability = StageProbability.following(values, current: nil, object: object, probabilities: pipelines?.probabilities ?? [:]) {
            values["probability"] = probability
        }
        for (k, v) in try await formulas(catalog).formulaValues(object, state: values, on: db) { values[k] = v }
        let identity = context.allowsDuplicates ? nil
            : try await refuseDuplicates(object, values: values, excluding: nil, readable: readable, ahead: context.identities, on: db)
        try afterStep?(.validate)
        let date = context.date, now = ValueFormats.formatDateTime(date), id = RecordID.make()
        // A lead is scored, then given its owner (routing reads the score).
        for (k, v) in try await leadScore(object, state: values, catalog: catalog, on: db) { values[k] = v }
        let arrival = try await assignOnArrival(object, values: &values, ownerGiven: ownerGiven, id: id, at: date, catalog: catalog,
                                                context: context, on: db)
        let entry = try await stages.check(object, pipelines, catalog: catalog, id: id, before: nil, state: values, reason: nil, context: context, on: db)
        let record = Record(object: object.name, id: id, version: 1, createdAt: now, updatedAt: now,
                            createdBy: context.principal.userID, updatedBy: context.principal.userID, values: values)
        try await store.insert(record, object: object, on: db)
        try await duplicates.indexNew(object, id: record.id, values: values, checked: identity, on: db)
        // The routing, not the writer, chose a routed lead's owner.
        let check = arrival?.routed != true ? scope
            : AccessScope(plan: AccessPlan(rows: .always, fields: scope.plan.fields), object: object, userID: scope.userID, now: scope.now)
        guard let allowed = check.plan.isUnconditional ? record.withEveryField(object)
                : try await store.fetch(object, id: record.id, access: check, on: db) else {
            throw KeelError(.forbidden, code: "forbidden", message: "No policy allows you to create this \(object.name) record as written (check its owner).")
        }
        try Self.checkFields(Array(input.keys), hidden: allowed.masked, operation: .create)
        try afterStep?(.writeRow)
        let changes = object.fields.compactMap { f in
            record.value(f.name).isNull ? nil : (f.name, JSONValue.null, record.value(f.name))
        }
        try await journal(changes, record: record, operation: "create", context: context, at: now, on: db)
        if let arrival { try await router.store.record(arrival.assignment, on: db) }
        if let entry { try await stages.record(entry, object: object, record: record, catalog: catalog, at: date, on: db) }
        try await respond(after: object, before: nil, after: record, catalog: catalog, context: context, at: date, routing: { arrival?.routing }, on: db)
        // An activity's next step with its time becomes a task in the same transaction.
        if let nextStep, let tasks = catalog.object(StandardObjects.task.name), let task = NextStep.task(for: record, zone: access.timeZone) {
            _ = try await insertNew(tasks, task, catalog: catalog, context: context, scope: nextStep.0, readable: nextStep.1, on: db)
        }
        // Usually the reader's plan is the creator's: the row just read is the answer.
        if readable.plan == check.plan { return allowed }
        return try await store.fetch(object, id: record.id, access: readable, on: db) ?? record.maskingAll(object)
    }

    public func delete(_ objectName: String, id: String, expectedVersion: Int?, context: WriteContext) async throws {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let scopes = try await access.scopes(context.principal, [.delete, .read], object: object)
        let (scope, readable) = (scopes[0], scopes[1])
        try await database.write { db in
            try await applyDelete(object, id: id, expectedVersion: expectedVersion, scope: scope, readable: readable, catalog: catalog, context: context, on: db)
        }
    }

    /// One record's deletion inside the caller's transaction: permission, the row, the duplicate index, the history.
    func applyDelete(_ object: ObjectDefinition, id: String, expectedVersion: Int?, scope: AccessScope, readable: AccessScope, catalog: Catalog,
                     context: WriteContext, on db: any SQLDatabase) async throws {
        let current = try await lockedCurrent(object, id: id, expectedVersion: expectedVersion, .delete, scope: scope,
                                              readable: readable, on: db).record
        try Self.refuseKept(object, [], context: context)
        try await checkUnlocked(object, id: id, on: db)
        if let refusal = StandardObjects.signedContractRefusal(current, nil) { throw refusal }
        try afterStep?(.authorize)
        try afterStep?(.validate)
        // A document's lines go with it.
        for (child, link) in StandardObjects.writtenThrough where link.parent == object.name {
            guard let lines = catalog.object(child) else { continue }
            var own = context
            own.priced = true
            for line in try await store.children(of: id, field: link.field, object: lines, on: db) {
                let whole = AccessScope.whole(lines, userID: context.principal.userID)
                try await applyDelete(lines, id: line.id, expectedVersion: line.version, scope: whole, readable: whole, catalog: catalog, context: own, on: db)
            }
        }
        guard try await store.delete(object, id: id, expectedVersion: current.version, on: db) else { throw Self.stale(id) }
        if object.name == StandardObjects.lead.name {
            try await SLAStore(dialect: database.dialect).close(leadID: id, as: .cancelled, at: ValueFormats.formatDateTime(Date()), on: db)
        }
        try await duplicates.index(object, id: id, values: nil, on: db)
        try afterStep?(.writeRow)
        let changes = object.fields.compactMap { f in
            current.value(f.name).isNull ? nil : (f.name, current.value(f.name), JSONValue.null)
        }
        try await journal(changes, record: current, operation: "delete", context: context,
                          at: ValueFormats.formatDateTime(Date()), on: db)
    }

    /// Creating activities may create their next-step tasks: the writer's scopes to create and read tasks.
    func nextStepScopes(_ object: ObjectDefinition, catalog: Catalog, principal: Principal) async throws -> (AccessScope, AccessScope)? {
        guard object.name == StandardObjects.activity.name, let tasks = catalog.object(StandardObjects.task.name) else { return nil }
        let scopes = try await access.scopes(principal, [.create, .read], object: tasks)
        return (scopes[0], scopes[1])
    }

    /// A record waiting for an approval cannot be changed or deleted until the request is decided.
    func checkUnlocked(_ object: ObjectDefinition, id: String, on db: any SQLDatabase) async throws {
        if let pending = try await approvals.pending(object: object.name, recordID: id, on: db) {
            throw KeelError(.conflict, code: "record_locked",
                            message: "This record is waiting for approval (\(pending.processID)); it cannot be changed until the request is decided.")
        }
    }

    /// The duplicate check, serialised with every other write (the journal's lock) so that two people creating the
    /// same company at the same moment cannot both pass it.
    @discardableResult
    func refuseDuplicates(_ object: ObjectDefinition, values: [String: JSONValue], excluding id: String?, readable: AccessScope,
                          ahead: DuplicateCheck.PreparedIdentities? = nil, on db: any SQLDatabase) async throws -> DuplicateCheck.Identity? {
        guard DuplicateCheck.matcher(for: object) != nil else { return nil }
        try await journal.lockChain(on: db)
        return try await duplicates.refuseDuplicates(object, values: values, excluding: id, readable: readable, ahead: ahead, on: db)
    }

    /// Within a batch of creates (an import's), reads at once what their duplicate checks will look up, under the same
    /// lock as the checks; returns the identities with those of the candidates found.
    func prefetchDuplicates(_ object: ObjectDefinition, _ identities: DuplicateCheck.PreparedIdentities,
                            on db: any SQLDatabase) async throws -> DuplicateCheck.PreparedIdentities {
        try await journal.lockChain(on: db)
        return try await duplicates.prefetch(object, identities, on: db)
    }

    /// Takes the reason for a stage move out of a write's input (it goes with the stage history, not on the record).
    /// A reason that is not text, or too long, is refused whether or not the stage moves.
    static func takeStageReason(_ input: inout [String: JSONValue], _ object: ObjectDefinition) throws -> String? {
        guard object.field(StageMove.reasonKey) == nil, let value = input.removeValue(forKey: StageMove.reasonKey), !value.isNull else { return nil }
        guard let reason = value.stringValue else {
            throw KeelError.validation([Violation(field: StageMove.reasonKey, code: "invalid_type", message: "A stage move's reason is text.")])
        }
        guard reason.count <= StageMove.maxReason else {
            throw KeelError.validation([Violation(field: StageMove.reasonKey, code: "too_long", message: "A stage move's reason is at most \(StageMove.maxReason) characters.")])
        }
        return reason
    }

    static func stale(_ id: String) -> KeelError {
        KeelError(.conflict, code: "version_conflict", message: "Record \(id) was changed by someone else; reload it and try again.")
    }

    /// The record, locked for the write, and the fields `scope` keeps from the caller. A record the caller may not
    /// see is "not found" (its existence is not revealed); one they may see but not change is forbidden.
    func lockedCurrent(_ object: ObjectDefinition, id: String, expectedVersion: Int?, _ operation: Action, scope: AccessScope,
                       readable: AccessScope, on db: any SQLDatabase) async throws -> (record: Record, masked: Set<String>) {
        guard let current = try await store.fetch(object, id: id, on: db, forUpdate: true),
              let allowed = scope.plan.isUnconditional ? current : try await store.fetch(object, id: id, access: scope, on: db) else {
            if try await store.fetch(object, id: id, access: readable, on: db) != nil {
                throw AccessControl.denied(operation, object: "this record")
            }
            throw KeelError.notFound("\(object.name)/\(id)")
        }
        if let expectedVersion, expectedVersion != current.version {
            throw KeelError(.conflict, code: "version_conflict",
                            message: "Record \(id) is at version \(current.version), not \(expectedVersion); reload it and try again.")
        }
        return (current, allowed.masked)
    }

    /// 403 naming the fields the caller may not write.
    static func checkFields(_ names: [String], hidden: Set<String>, operation: Action) throws(KeelError) {
        let denied = names.filter(hidden.contains).sorted()
        guard !denied.isEmpty else { return }
        throw KeelError(.forbidden, code: "field_forbidden", message: "You may not \(operation.rawValue) \(denied.joined(separator: ", ")).",
                        violations: denied.map { Violation(field: $0, code: "field_forbidden", message: "You may not \(operation.rawValue) this field.") })
    }

    /// What Keel prices from a document's lines is Keel's to write: a caller may not write a quote's totals, nor write
    /// a quote's lines except through the quote; only an approval's outcome may set such a field besides Keel.
    static func refuseKept(_ object: ObjectDefinition, _ fields: some Sequence<String>, context: WriteContext) throws(KeelError) {
        let confirmed = fields.filter { StandardObjects.confirmedByFinance[object.name]?.contains($0) ?? false }.sorted()
        if context.source != .erp, !confirmed.isEmpty {
            throw KeelError.validation(confirmed.map { Violation(field: $0, code: "read_only", message: "Only the reconciliation with the ERP writes \($0).") })
        }
        guard !context.priced else { return }
        if let parent = StandardObjects.writtenThrough[object.name]?.parent {
            throw KeelError(.methodNotAllowed, code: "written_through", message: "\(object.labels.en) are written through their \(parent) record, not on their own.",
                            details: ["allow": ["GET"]])
        }
        // An approval's outcome may set what a process decides (a payment plan approved).
        if context.source == .approval { return }
        let kept = fields.filter { StandardObjects.priced[object.name]?.contains($0) ?? false }.sorted()
        guard !kept.isEmpty else { return }
        throw KeelError.validation(kept.map { Violation(field: $0, code: "read_only", message: "Keel computes \($0) from the lines.") })
    }

    /// What an unchanged stored value may still break on an update: rules about a value's form, not about the record.
    static let grandfathered: Set<String> = ["invalid_phone", "invalid_option", "invalid_format", "too_long"]

    /// Normalises and validates; also checks that every reference points at a record the writer may read (one they
    /// may not read is "not found", so references cannot probe for hidden records), and checks the object's required
    /// groups and validation rules on the record as it would be (`current` overlaid with the input): every violation is
    /// reported at once.
    func validated(_ input: [String: JSONValue], object: ObjectDefinition, catalog: Catalog, mode: WriteMode, current: Record? = nil,
                   as principal: Principal, on db: any SQLDatabase) async throws -> [String: JSONValue] {
        let result = RecordValidator.validate(input, object: object, mode: mode)
        // A value stored under an older rule (a phone before the numbering plan was checked, a channel before it was a
        // list) stays as it is until someone changes it — a form sends every field back; the data-health report lists
        // such phones instead.
        var violations = result.violations.filter { v in
            !(Self.grandfathered.contains(v.code) && current.map { input[v.field] == $0.value(v.field) } == true)
        }
        for (name, value) in result.values.sorted(by: { $0.key < $1.key }) {
            guard let field = object.field(name), field.type == .reference, let id = value.stringValue else { continue }
            if try await !referenceExists(id, target: field.target ?? "", catalog: catalog, as: principal, on: db) {
                violations.append(Violation(field: name, code: "reference_not_found",
                                            message: "\(field.labels.en) points at \(id), which does not exist\(field.target == StandardObjects.anyObject ? "" : " in \(field.target ?? "")")."))
            }
        }
        for field in object.fields where field.unique && !field.isCustom {
            guard let value = result.values[field.name], !value.isNull,
                  try await store.holder(of: value, field: field.name, object: object, excluding: current?.id, on: db) != nil else { continue }
            violations.append(Violation(field: field.name, code: "name_taken", message: "\(field.labels.en) \(value.stringValue ?? "") is already used by another record.",
                                        args: ["value"]))
        }
        if !object.validationRules.isEmpty || !object.requiredGroups.isEmpty {
            var state = current?.values ?? [:]
            for (k, v) in result.values { state[k] = v }
            violations += object.requiredGroupViolations(in: state).filter { v in !violations.contains { $0.field == v.field } }
            violations += try await formulas(catalog).ruleViolations(object, state: state, on: db)
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return result.values
    }

    func formulas(_ catalog: Catalog) -> FormulaRunner { FormulaRunner(store: store, catalog: catalog, timeZone: access.timeZone, parsed: parsedFormulas) }

    func referenceExists(_ id: String, target: String, catalog: Catalog, as principal: Principal, on db: any SQLDatabase) async throws -> Bool {
        if StandardObjects.directoryTargets.contains(target) { return try await store.exists(table: target, id: id, on: db) }
        let candidates = target == StandardObjects.anyObject ? catalog.objects : catalog.object(target).map { [$0] } ?? []
        for object in candidates {
            let scope = try await access.scope(principal, .read, object: object)
            if !scope.plan.deniesAll, try await store.fetch(object, id: id, access: scope, on: db) != nil { return true }
        }
        return false
    }

    /// Writes the hash-chained history entries and the outbox event of one change.
    func journal(_ changes: [(String, JSONValue, JSONValue)], record: Record, operation: String, context: WriteContext,
                 at now: String, on db: any SQLDatabase) async throws {
        try await journal.lockChain(on: db)
        var previous = try await journal.lastHash(on: db)
        let changeID = RecordID.make()
        let entries = changes.map { field, old, new in
            let entry = HistoryEntry(changeID: changeID, object: record.object, recordID: record.id, operation: operation, field: field,
                                     oldValue: old, newValue: new, actor: context.principal.userID, source: context.source.rawValue,
                                     at: now).chained(after: previous)
            previous = entry.hash
            return entry
        }
        try await journal.append(entries, on: db)
        try afterStep?(.writeHistory)
        try await journal.enqueue(OutboxEvent(id: changeID, object: record.object, recordID: record.id, operation: operation,
                                              changedFields: changes.map(\.0), at: now, depth: context.depth), on: db)
        try afterStep?(.writeOutbox)
    }
}
