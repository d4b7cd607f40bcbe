import Foundation
import KeelCore
import KeelStore
import SQLKit

extension Imports {
    /// The sources of changes that do not make a created record someone's work: imports (and their reverts), and the
    /// formulas and automations they set off.
    static let consequential: Set<String> = [WriteSource.import.rawValue, WriteSource.formula.rawValue, WriteSource.automation.rawValue]

    /// Takes an import back, newest row first: records it created are deleted, fields it changed get their former
    /// values — unless someone changed the record or the field since (imports taken back first do not count): those
    /// are kept and listed. Each change goes through the record service (history source `import`). Its creator or an
    /// admin may, for 30 days. Here at once (`beginRevert` and the worker do it in the background).
    public func revert(_ id: String, as principal: Principal) async throws -> ImportJob {
        _ = try await beginRevert(id, as: principal)
        _ = try await finishRevert(id)
        return try await job(id, as: principal)
    }

    /// Checks that the principal may take the import back and marks it as being taken back; `finishRevert` does it.
    public func beginRevert(_ id: String, as principal: Principal) async throws -> ImportJob {
        let job = try await job(id, as: principal)
        guard job.status == .done, !job.dryRun else {
            throw KeelError(.conflict, code: "import_not_revertible",
                            message: job.dryRun ? "A dry run wrote nothing to take back." : "Only a finished import can be taken back (this one is \(job.status.rawValue)).")
        }
        let started = ValueFormats.parseDateTime(job.createdAt) ?? Date()
        guard Date().timeIntervalSince(started) <= Double(Self.revertDays) * 86_400 else {
            throw KeelError(.conflict, code: "import_too_old", message: "An import can be taken back for \(Self.revertDays) days; this one is older.")
        }
        let object = try await metadata.catalog().require(job.object)
        if (job.counts[.created] ?? 0) > 0, try await access.scope(principal, .delete, object: object).plan.deniesAll {
            throw KeelError(.forbidden, code: "forbidden", message: "Taking this import back deletes the \(object.name) records it created, which you may not delete; ask an admin.")
        }
        guard try await database.write({ try await store.markReverting(id, by: principal.userID, on: $0) }) else {
            throw KeelError(.conflict, code: "import_not_revertible", message: "This import is already being taken back.")
        }
        return try await self.job(id, as: principal)
    }

    /// Takes back an import marked as being taken back, as the user who asked. Interrupted, it goes on where it was:
    /// what was deleted or restored already has nothing left to do.
    func finishRevert(_ id: String) async throws -> ImportJob {
        guard let job = try await database.read({ try await store.job(id, on: $0) }), job.status == .reverting, let by = job.revertedBy,
              let principal = try await database.read({ try await DirectoryStore().user(id: by, on: $0) })?.principal else {
            throw KeelError.notFound("imports/\(id)")
        }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(job.object)
        let scopes = try await access.scopes(principal, [.delete, .read, .update], object: object)
        let context = WriteContext(principal: principal, source: .import)
        var deleted = 0, restored = 0, kept: [JSONValue] = []
        var before = Int.max
        while true {
            let page = try await database.read {
                try await store.rows(job.id, after: before, descending: true, outcomes: [.created, .updated, .merged], limit: Self.batchSize, on: $0)
            }
            guard let last = page.last else { break }
            try await database.write { db in
                let writes = WriteBatch()
                try await writes.run(on: db) { db in
                    for row in page {
                        guard let recordID = row.recordID else { continue }
                        func keep(_ reason: String, fields: [String] = []) {
                            var entry: [String: JSONValue] = ["row": JSONValue(row.row), "record": .string(recordID), "reason": .string(reason)]
                            if !fields.isEmpty { entry["fields"] = .array(fields.map(JSONValue.string)) }
                            kept.append(.object(entry))
                        }
                        do {
                            try await writes.row(on: db) { db in
                                guard let current = try await records.store.fetch(object, id: recordID, on: db) else {
                                    if row.outcome != .created { keep("deleted_since") }
                                    return
                                }
                                if row.outcome == .created {
                                    // Changed since by a person or an integration (not by imports, their reverts, or what they set off).
                                    let since = try await records.journal.history(recordID: recordID, object: object.name, on: db)
                                    guard !since.contains(where: { $0.operation == "update" && !Self.consequential.contains($0.source) }) else { return keep("changed_since") }
                                    try await records.applyDelete(object, id: recordID, expectedVersion: current.version, scope: scopes[0], readable: scopes[1], catalog: catalog, context: context, on: db)
                                    deleted += 1
                                    return
                                }
                                var restore: [String: JSONValue] = [:], changedSince: [String] = []
                                for (field, pair) in row.changes where pair.count == 2 {
                                    if current.value(field) == pair[1] { restore[field] = pair[0] } else if current.value(field) != pair[0] { changedSince.append(field) }
                                }
                                if !restore.isEmpty {
                                    _ = try await records.applyUpdate(object, id: recordID, restore, expectedVersion: nil, .update, scope: scopes[2], readable: scopes[1],
                                                                      catalog: catalog, context: context, on: db)
                                    restored += 1
                                }
                                if !changedSince.isEmpty { keep("changed_since", fields: changedSince.sorted()) }
                            }
                        } catch let error as KeelError {
                            keep(error.code)
                        }
                    }
                }
            }
            before = last.row
        }
        let report: JSONValue = ["deleted": JSONValue(deleted), "restored": JSONValue(restored), "kept": .array(kept)]
        try await database.write { try await store.markReverted(job.id, by: principal.userID, at: ValueFormats.formatDateTime(Date()), report: report, on: $0) }
        return try await database.read { try await store.job(id, on: $0) } ?? job
    }
}
