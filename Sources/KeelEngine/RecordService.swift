import Foundation
import KeelCore
import KeelStore
import SQLKit

/// The ONE write path for records. API, web, import, automations and webhooks all call it. Each write runs in
/// one transaction: authorize → normalise and validate (all violations at once) → write the row → write the
/// hash-chained field history → write the outbox event. Any failure rolls everything back.
public final class RecordService: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let authorizer: any Authorizer
    let store: RecordStore
    let journal: JournalStore
    let directory = DirectoryStore()
    /// Test hook: called after each step inside the transaction; throwing there aborts the write.
    let afterStep: (@Sendable (WriteStep) throws -> Void)?

    public init(database: KeelDatabase, metadata: MetadataService, authorizer: any Authorizer,
                afterStep: (@Sendable (WriteStep) throws -> Void)? = nil) {
        self.database = database
        self.metadata = metadata
        self.authorizer = authorizer
        self.store = RecordStore(dialect: database.dialect)
        self.journal = JournalStore(dialect: database.dialect)
        self.afterStep = afterStep
    }

    // MARK: Writes

    public func create(_ objectName: String, _ input: [String: JSONValue], context: WriteContext,
                       idempotency: IdempotencyKey? = nil) async throws -> CreateResult {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let principal = context.principal
        return try await database.write { db in
            if let idempotency {
                try await journal.lockChain(on: db)
                if let earlier = try await directory.idempotencyEntry(userID: principal.userID, key: idempotency.key, on: db) {
                    guard earlier.requestHash == idempotency.requestHash else {
                        throw KeelError(.unprocessable, code: "idempotency_key_reused",
                                        message: "This Idempotency-Key was already used with a different request.")
                    }
                    return CreateResult(json: try JSONValue.parse(text: earlier.response), replayed: true)
                }
            }
            let record = try await insertNew(object, input, catalog: catalog, context: context, on: db)
            let json = record.json(object: object)
            if let idempotency {
                try await directory.insertIdempotencyEntry(userID: principal.userID, key: idempotency.key, requestHash: idempotency.requestHash,
                                                           object: object.name, recordID: record.id, response: json.canonicalText(), on: db)
            }
            return CreateResult(json: json, replayed: false)
        }
    }

    /// Creates many records of one object in ONE transaction: all are written or none.
    public func createBatch(_ objectName: String, _ inputs: [[String: JSONValue]], context: WriteContext) async throws -> [Record] {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        return try await database.write { db in
            var records: [Record] = []
            for (index, input) in inputs.enumerated() {
                do {
                    records.append(try await insertNew(object, input, catalog: catalog, context: context, on: db))
                } catch var error as KeelError {
                    error.violations = error.violations.map { Violation(field: "[\(index)].\($0.field)", code: $0.code, message: $0.message) }
                    throw error
                }
            }
            return records
        }
    }

    func insertNew(_ object: ObjectDefinition, _ input: [String: JSONValue], catalog: Catalog, context: WriteContext,
                   on db: any SQLDatabase) async throws -> Record {
        var input = input
        // A record nobody was named to own belongs to whoever created it.
        if object.field("owner")?.target == "users", input["owner"] == nil { input["owner"] = .string(context.principal.userID) }
        try authorizer.authorize(context.principal, .create, object: object.name, fields: Array(input.keys))
        try afterStep?(.authorize)
        let values = try await validated(input, object: object, catalog: catalog, mode: .create, on: db)
        try afterStep?(.validate)
        let now = ValueFormats.formatDateTime(Date())
        let record = Record(object: object.name, id: RecordID.make(), version: 1, createdAt: now, updatedAt: now,
                            createdBy: context.principal.userID, updatedBy: context.principal.userID, values: values)
        try await store.insert(record, object: object, on: db)
        try afterStep?(.writeRow)
        let changes = object.fields.compactMap { f in
            record.value(f.name).isNull ? nil : (f.name, JSONValue.null, record.value(f.name))
        }
        try await journal(changes, record: record, operation: "create", context: context, at: now, on: db)
        return record
    }

    /// Changes the fields in `input`. With `expectedVersion`, a record changed since is a 409.
    public func update(_ objectName: String, id: String, _ input: [String: JSONValue], expectedVersion: Int?,
                       context: WriteContext) async throws -> Record {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        return try await database.write { db in
            let current = try await lockedCurrent(object, id: id, expectedVersion: expectedVersion, on: db)
            try authorizer.authorize(context.principal, .update, object: object.name, fields: Array(input.keys))
            try afterStep?(.authorize)
            let values = try await validated(input, object: object, catalog: catalog, mode: .update, on: db)
            try afterStep?(.validate)
            let changes = values.keys.sorted().compactMap { name -> (String, JSONValue, JSONValue)? in
                let old = current.value(name)
                return old == values[name]! ? nil : (name, old, values[name]!)
            }
            guard !changes.isEmpty else { return current }
            let now = ValueFormats.formatDateTime(Date())
            var next = current
            next.version += 1
            next.updatedAt = now
            next.updatedBy = context.principal.userID
            for (name, _, new) in changes { next.values[name] = new }
            guard try await store.update(next, object: object, expectedVersion: current.version, on: db) else {
                throw Self.stale(id)
            }
            try afterStep?(.writeRow)
            try await journal(changes, record: next, operation: "update", context: context, at: now, on: db)
            return next
        }
    }

    public func delete(_ objectName: String, id: String, expectedVersion: Int?, context: WriteContext) async throws {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        try await database.write { db in
            let current = try await lockedCurrent(object, id: id, expectedVersion: expectedVersion, on: db)
            try authorizer.authorize(context.principal, .delete, object: object.name, fields: [])
            try afterStep?(.authorize)
            try afterStep?(.validate)
            guard try await store.delete(object, id: id, expectedVersion: current.version, on: db) else { throw Self.stale(id) }
            try afterStep?(.writeRow)
            let changes = object.fields.compactMap { f in
                current.value(f.name).isNull ? nil : (f.name, current.value(f.name), JSONValue.null)
            }
            try await journal(changes, record: current, operation: "delete", context: context,
                              at: ValueFormats.formatDateTime(Date()), on: db)
        }
    }

    static func stale(_ id: String) -> KeelError {
        KeelError(.conflict, code: "version_conflict", message: "Record \(id) was changed by someone else; reload it and try again.")
    }

    func lockedCurrent(_ object: ObjectDefinition, id: String, expectedVersion: Int?, on db: any SQLDatabase) async throws -> Record {
        guard let current = try await store.fetch(object, id: id, on: db, forUpdate: true) else {
            throw KeelError.notFound("\(object.name)/\(id)")
        }
        if let expectedVersion, expectedVersion != current.version {
            throw KeelError(.conflict, code: "version_conflict",
                            message: "Record \(id) is at version \(current.version), not \(expectedVersion); reload it and try again.")
        }
        return current
    }

    /// Normalises and validates; also checks that every reference points at an existing record.
    func validated(_ input: [String: JSONValue], object: ObjectDefinition, catalog: Catalog, mode: WriteMode,
                   on db: any SQLDatabase) async throws -> [String: JSONValue] {
        let result = RecordValidator.validate(input, object: object, mode: mode)
        var violations = result.violations
        for (name, value) in result.values.sorted(by: { $0.key < $1.key }) {
            guard let field = object.field(name), field.type == .reference, let id = value.stringValue else { continue }
            if try await !referenceExists(id, target: field.target ?? "", catalog: catalog, on: db) {
                violations.append(Violation(field: name, code: "reference_not_found",
                                            message: "\(field.labels.en) points at \(id), which does not exist\(field.target == StandardObjects.anyObject ? "" : " in \(field.target ?? "")")."))
            }
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return result.values
    }

    func referenceExists(_ id: String, target: String, catalog: Catalog, on db: any SQLDatabase) async throws -> Bool {
        if StandardObjects.directoryTargets.contains(target) { return try await store.exists(table: target, id: id, on: db) }
        if target == StandardObjects.anyObject {
            for table in Set(catalog.objects.map(\.table)).sorted() where try await store.exists(table: table, id: id, on: db) {
                return true
            }
            return false
        }
        guard let object = catalog.object(target) else { return false }
        return try await store.exists(object, id: id, on: db)
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
                                              changedFields: changes.map(\.0), at: now), on: db)
        try afterStep?(.writeOutbox)
    }
}
