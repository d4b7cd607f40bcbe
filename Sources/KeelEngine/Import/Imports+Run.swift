import Foundation
import KeelCore
import KeelStore
import SQLKit

extension Imports {
    /// What a reference cell names: a record (or user) id, or why it names none.
    enum Resolution: Sendable {
        case id(String)
        case problem(code: String, message: String)
    }

    /// What one run needs about its object and its writer, read once.
    struct Setting: Sendable {
        var job: ImportJob
        var object: ObjectDefinition
        var catalog: Catalog
        var context: WriteContext
        var create: AccessScope, read: AccessScope, update: AccessScope
        var nextStep: (AccessScope, AccessScope)?
        var headers: [String]
        /// Column index → field.
        var fields: [FieldDefinition?]
        /// Field → cell text → what it names (filled as rows need it).
        var references: [String: [String: Resolution]] = [:]
        /// A dry run's earlier batches, rolled back: what they would have created (nil when duplicates are created anyway).
        var dryRunCreated: DryRunIdentities?
    }

    /// A dry run's batch: its results, carried out of the transaction that is rolled back.
    struct DryRunBatch: Error {
        var results: [ImportRowResult]
    }

    /// A dry run's row that duplicates what an earlier (rolled-back) batch created: its write is undone and reported
    /// as the real run will find it.
    struct RepeatsEarlierBatch: Error {
        var record: Record
    }

    /// Imports the rows not yet done, batch by batch, as the import's creator; `progress` hears of each batch. A
    /// finished import is returned as it is. A dry run does everything in each batch's transaction and rolls it back,
    /// keeping only the report.
    public func run(_ id: String, progress: @Sendable (ImportJob) -> Void = { _ in }) async throws -> ImportJob {
        guard var job = try await database.read({ try await store.job(id, on: $0) }) else { throw KeelError.notFound("imports/\(id)") }
        guard job.status == .pending || job.status == .running else { return job }
        do {
            let file = try ImportFile(path: job.path, encoding: job.plan.encoding, sheet: job.plan.sheet)
            var setting = try await prepare(job, file)
            let reader = try ImportFile.Reader(file)
            _ = try reader.next()
            // While a batch is written, the next one is read and prepared on the other cores — unless its cells may
            // name records the batch before creates (a reference to the object imported into).
            let ahead = !setting.fields.contains { $0?.type == .reference && [setting.object.name, StandardObjects.anyObject].contains($0?.target) }
            let resumed = job.lastRow
            func nextBatch() throws -> [CSVTokenizer.Row] {
                var batch: [CSVTokenizer.Row] = []
                while batch.count < Self.batchSize, let row = try reader.next() {
                    if row.number > resumed { batch.append(row) }
                }
                return batch
            }
            var batch = try nextBatch()
            try await resolveReferences(batch, &setting)
            var prepared = await prepare(batch, setting)
            while !batch.isEmpty {
                try Task.checkCancellation()
                // A file that cannot be read on stops the import after the batch read before it is written.
                let next = Result { try nextBatch() }
                var preparing: Task<PreparedBatch, Never>?
                if ahead, case .success(let following) = next {
                    try await resolveReferences(following, &setting)
                    let fixed = setting
                    preparing = Task { await prepare(following, fixed) }
                }
                job = try await commit(prepared, &setting)
                progress(job)
                batch = try next.get()
                if !ahead { try await resolveReferences(batch, &setting) }
                prepared = if let preparing { await preparing.value } else { await prepare(batch, setting) }
            }
            try await database.write { try await store.setStatus(id, .done, finishedAt: ValueFormats.formatDateTime(Date()), on: $0) }
        } catch let error as KeelError where error.code != "import_moved_on" {
            // The file changed or went away, or its creator may no longer write: the import stops where it is.
            var problem: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
            if let row = error.details["row"] { problem["row"] = row }
            try await database.write { try await store.setStatus(id, .failed, problem: .object(problem), finishedAt: ValueFormats.formatDateTime(Date()), on: $0) }
        }
        job = try await database.read { try await store.job(id, on: $0) } ?? job
        // An upload is kept for the real run after a dry run, and removed once it is imported.
        if !job.dryRun, job.path.hasPrefix(folder.path) { try? FileManager.default.removeItem(atPath: job.path) }
        progress(job)
        return job
    }

    /// Checks the import may go on (its creator is active, its file unchanged) and reads what its rows need.
    func prepare(_ job: ImportJob, _ file: ImportFile) async throws -> Setting {
        guard let user = try await database.read({ try await DirectoryStore().user(id: job.createdBy, on: $0) }), user.status == .active else {
            throw KeelError(.forbidden, code: "importer_inactive", message: "The user who started this import is no longer active.")
        }
        guard (try? Self.sha256(job.path)) == job.sha256 else {
            throw KeelError(.conflict, code: "file_changed", message: "The file was changed or removed since the import started; start a new import with it.")
        }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(job.object)
        let principal = user.principal
        let scopes = try await access.scopes(principal, [.create, .read, .update], object: object)
        let header = try ImportFile.Reader(file).next()
        let headers = (header?.cells ?? []).map { $0.trimmingCharacters(in: .whitespaces) }
        let fields = headers.map { header in job.plan.columns[header].flatMap { $0.isEmpty ? nil : object.field($0) } }
        return Setting(job: job, object: object, catalog: catalog,
                       context: WriteContext(principal: principal, source: .import, allowsDuplicates: job.plan.onDuplicate == .create),
                       create: scopes[0], read: scopes[1], update: scopes[2],
                       nextStep: try await records.nextStepScopes(object, catalog: catalog, principal: principal), headers: headers, fields: fields,
                       dryRunCreated: job.dryRun && job.plan.onDuplicate != .create ? DryRunIdentities() : nil)
    }

    /// One batch in one transaction: its rows, their results and the import's progress — or, for a dry run, its
    /// results only, the transaction rolled back.
    func commit(_ prepared: PreparedBatch, _ setting: inout Setting) async throws -> ImportJob {
        let batch = prepared.rows
        let expected = setting.job.lastRow
        var fixed = setting
        fixed.context.identities = prepared.identities
        var results: [ImportRowResult]
        do {
            results = try await database.write { db in
                guard let locked = try await store.lock(fixed.job.id, dialect: database.dialect, on: db), locked.lastRow == expected,
                      locked.status == .pending || locked.status == .running else {
                    throw KeelError(.conflict, code: "import_moved_on", message: "Another process went on with this import.")
                }
                let writes = WriteBatch()
                return try await writes.run(on: db) { db in
                    var fixed = fixed
                    if let identities = prepared.identities {
                        fixed.context.identities = try await records.prefetchDuplicates(fixed.object, identities, on: db)
                    }
                    var out: [ImportRowResult] = []
                    for (row, cells) in zip(batch, prepared.cells) { out.append(try await process(row, cells, fixed, writes, on: db)) }
                    if fixed.job.dryRun { throw DryRunBatch(results: out) }
                    try await store.saveBatch(fixed.job.id, rows: out, lastRow: batch.last!.number, on: db)
                    return out
                }
            }
        } catch let dry as DryRunBatch {
            results = dry.results
            try await database.write { try await store.saveBatch(fixed.job.id, rows: results, lastRow: batch.last!.number, on: $0) }
        }
        setting.job.lastRow = batch.last!.number
        setting.job.doneRows += results.count
        for r in results { setting.job.counts[r.outcome, default: 0] += 1 }
        setting.job.status = .running
        return setting.job
    }

    /// A batch read and made ready for its transaction: its rows' cells as field values, and the identities their
    /// duplicate checks will need, prepared side by side on every core.
    struct PreparedBatch: Sendable {
        var rows: [CSVTokenizer.Row]
        var cells: [Cells]
        var identities: DuplicateCheck.PreparedIdentities?
    }

    /// A row's cells as field values (and the column of each), or why the row fails before any write.
    enum Cells: Sendable {
        case values([String: JSONValue], columns: [String: Int])
        case failed(ImportRowResult)
    }

    /// The batch's rows' cells as values, and the identities of the records they would create, on every core.
    func prepare(_ rows: [CSVTokenizer.Row], _ s: Setting) async -> PreparedBatch {
        let converted = await rows.concurrentMap { row -> (Cells, [String: JSONValue]?) in
            let cells = cells(row, s)
            guard case .values(let input, _) = cells else { return (cells, nil) }
            // The values as the write will normalise them: what its duplicate check reads.
            return (cells, RecordValidator.validate(input, object: s.object, mode: .create).values)
        }
        let identities = s.context.allowsDuplicates ? nil : await DuplicateCheck.PreparedIdentities(s.object, converted.compactMap(\.1))
        return PreparedBatch(rows: rows, cells: converted.map(\.0), identities: identities)
    }

    /// A row's cells as its fields' values: converted by type, mapped values and references resolved.
    func cells(_ row: CSVTokenizer.Row, _ s: Setting) -> Cells {
        let width = s.headers.count
        if row.cells.count < width || row.cells.dropFirst(width).contains(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            return .failed(ImportRowResult(row: row.number, outcome: .failed, problems: [.init(column: nil, value: nil, field: nil, code: "ragged_row",
                           message: "This row has \(row.cells.count) cells; the header has \(width).")]))
        }
        var input: [String: JSONValue] = [:], columns: [String: Int] = [:], problems: [ImportRowResult.Problem] = []
        var joined = Set<String>()
        for (i, field) in s.fields.enumerated() {
            guard let field, !joined.contains(field.name) else { continue }
            var cell = row.cells[i]
            // A first and a last name in two columns make one name.
            let parts = s.fields.indices.filter { s.fields[$0]?.name == field.name }
            if parts.count > 1 {
                cell = ImportValue.personName(parts.map { (s.headers[$0], row.cells[$0]) })
                joined.insert(field.name)
            }
            switch ImportValue.convert(cell, for: field, values: s.job.plan.values[field.name], zone: timeZone) {
            case .success(nil): continue
            case .success(let value?):
                columns[field.name] = i
                if field.type == .reference, let text = value.stringValue, !RecordID.isWellFormed(text) {
                    switch s.references[field.name]?[text] {
                    case .id(let id)?: input[field.name] = .string(id)
                    case .problem(let code, let message)?: problems.append(.init(column: s.headers[i], value: cell, field: field.name, code: code, message: message))
                    case nil: input[field.name] = value
                    }
                } else {
                    input[field.name] = value
                }
            case .failure(let violation):
                problems.append(.init(column: s.headers[i], value: cell, field: field.name, code: violation.code, message: violation.message, args: violation.args))
            }
        }
        if !problems.isEmpty { return .failed(ImportRowResult(row: row.number, outcome: .failed, problems: problems)) }
        if input.isEmpty {
            return .failed(ImportRowResult(row: row.number, outcome: .failed, problems: [.init(column: nil, value: nil, field: nil, code: "empty_row",
                           message: "No mapped cell of this row has a value.")]))
        }
        return .values(input, columns: columns)
    }

    /// One row: a new record of its values — or, when it duplicates one, what the plan says.
    func process(_ row: CSVTokenizer.Row, _ cells: Cells, _ s: Setting, _ writes: WriteBatch, on db: any SQLDatabase) async throws -> ImportRowResult {
        let input: [String: JSONValue], columns: [String: Int]
        switch cells {
        case .failed(let result): return result
        case .values(let values, let mapped): (input, columns) = (values, mapped)
        }
        func failed(_ error: any Error) -> ImportRowResult {
            ImportRowResult(row: row.number, outcome: .failed, problems: Self.problems(error, headers: s.headers, cells: row.cells, columns: columns))
        }
        do {
            let record = try await writes.row(on: db) { db in
                let record = try await records.insertNew(s.object, input, catalog: s.catalog, context: s.context, scope: s.create, readable: s.read,
                                                         nextStep: s.nextStep, on: db)
                // A dry run's earlier batches were rolled back: what the real run finds as a duplicate there is found here.
                if let earlier = s.dryRunCreated?.match(s.object, record.values, before: s.job.lastRow + 1, ahead: s.context.identities) { throw RepeatsEarlierBatch(record: earlier) }
                return record
            }
            s.dryRunCreated?.add(s.object, row: row.number, record, ahead: s.context.identities)
            return ImportRowResult(row: row.number, outcome: .created, recordID: record.id, version: record.version)
        } catch let repeated as RepeatsEarlierBatch {
            do { return try Self.repeating(input, repeated.record, row: row.number, s) } catch { return failed(error) }
        } catch let error as KeelError where error.code == "duplicate" {
            let candidate = error.details["candidates"]?.arrayValue?.first
            guard let match = candidate?["id"]?.stringValue else { return failed(error) }
            guard s.job.plan.onDuplicate != .skip else { return ImportRowResult(row: row.number, outcome: .skipped, recordID: match, matchedID: match) }
            guard candidate?["hidden"] == nil else { return failed(error) }
            do {
                return try await writes.row(on: db) { db in try await write(input, into: match, row: row.number, s, on: db) }
            } catch {
                return failed(error)
            }
        } catch {
            return failed(error)
        }
    }

    /// A duplicate row written into the record it matches: its empty fields filled, every mapped field overwritten, or
    /// merged (phones and e-mails that differ kept as others). Nothing to change: skipped.
    func write(_ input: [String: JSONValue], into id: String, row: Int, _ s: Setting, on db: any SQLDatabase) async throws -> ImportRowResult {
        guard let before = try await records.store.fetch(s.object, id: id, on: db) else { throw KeelError.notFound("\(s.object.name)/\(id)") }
        let merging = s.job.plan.onDuplicate == .merge
        let changes = try Self.changes(input, into: before, s)
        let skipped = ImportRowResult(row: row, outcome: .skipped, recordID: id, matchedID: id)
        guard !changes.isEmpty else { return skipped }
        _ = try await records.applyUpdate(s.object, id: id, changes, expectedVersion: nil, .update, scope: s.update, readable: s.read, catalog: s.catalog,
                                          context: s.context, on: db)
        guard let after = try await records.store.fetch(s.object, id: id, on: db) else { throw KeelError.notFound("\(s.object.name)/\(id)") }
        let written = s.object.fields.filter { $0.formula == nil && before.value($0.name) != after.value($0.name) }
        guard !written.isEmpty else { return skipped }
        return ImportRowResult(row: row, outcome: merging ? .merged : .updated, recordID: id, matchedID: id, version: after.version,
                               changes: Dictionary(uniqueKeysWithValues: written.map { ($0.name, [before.value($0.name), after.value($0.name)]) }))
    }

    /// A dry run's row repeating what an earlier (rolled-back) batch would have created, as the real run will treat it:
    /// skipped, or updated or merged as `write(into:)` would — skipped when it brings nothing new.
    static func repeating(_ input: [String: JSONValue], _ earlier: Record, row: Int, _ s: Setting) throws -> ImportRowResult {
        let skipped = ImportRowResult(row: row, outcome: .skipped, recordID: earlier.id, matchedID: earlier.id)
        guard s.job.plan.onDuplicate != .skip else { return skipped }
        let written = try changes(input, into: earlier, s).filter { earlier.value($0.key) != $0.value }
        guard !written.isEmpty else { return skipped }
        return ImportRowResult(row: row, outcome: s.job.plan.onDuplicate == .merge ? .merged : .updated, recordID: earlier.id, matchedID: earlier.id,
                               changes: Dictionary(uniqueKeysWithValues: written.map { ($0.key, [earlier.value($0.key), $0.value]) }))
    }

    /// What a duplicate row writes into the record it matches: merged (phones and e-mails that differ kept as others),
    /// its empty fields filled, or every mapped field overwritten.
    static func changes(_ input: [String: JSONValue], into before: Record, _ s: Setting) throws -> [String: JSONValue] {
        guard s.job.plan.onDuplicate == .merge else { return s.job.plan.update == .fill ? input.filter { before.value($0.key).isNull } : input }
        let typed = RecordValidator.validate(input, object: s.object, mode: .update)
        guard typed.violations.isEmpty else { throw KeelError.validation(typed.violations) }
        return RecordService.absorbing(typed.values, into: before, s.object)
    }

    /// An error as the row's problems: a violation per field, with its column and cell where the field has one.
    static func problems(_ error: any Error, headers: [String], cells: [String], columns: [String: Int]) -> [ImportRowResult.Problem] {
        guard let error = error as? KeelError else {
            return [.init(column: nil, value: nil, field: nil, code: "internal_error", message: "\(error)")]
        }
        guard !error.violations.isEmpty else { return [.init(column: nil, value: nil, field: nil, code: error.code, message: error.message)] }
        return error.violations.map { v in
            let column = columns[v.field]
            return .init(column: column.map { headers[$0] }, value: column.map { cells[$0] }, field: v.field, code: v.code, message: v.message, args: v.args)
        }
    }

    /// Finds what the batch's reference cells name that is not already known: a user by e-mail or name (owners), a
    /// record by its name — exactly one, that the importer may read.
    func resolveReferences(_ batch: [CSVTokenizer.Row], _ s: inout Setting) async throws {
        for (i, field) in s.fields.enumerated() {
            guard let field, field.type == .reference, let target = field.target else { continue }
            let texts = Set(batch.compactMap { i < $0.cells.count ? $0.cells[i].trimmingCharacters(in: .whitespaces) : nil })
                .filter { !$0.isEmpty && !RecordID.isWellFormed($0) && s.references[field.name]?[$0] == nil && s.job.plan.values[field.name]?[$0] == nil }
            guard !texts.isEmpty else { continue }
            if target == "users" {
                let users = try await database.read { try await DirectoryStore().users(on: $0) }.filter { $0.status == .active }
                for text in texts {
                    let found = users.filter { $0.email == text.lowercased() || $0.name == text }
                    s.references[field.name, default: [:]][text] = found.count == 1 ? .id(found[0].id)
                        : .problem(code: found.isEmpty ? "unknown_user" : "ambiguous_user",
                                   message: found.isEmpty ? "No active user is named \(text) or has that e-mail." : "Several users are named \(text); give the e-mail instead.")
                }
                continue
            }
            guard let other = s.catalog.object(target), let title = ["name", "subject"].first(where: { other.field($0) != nil }) else { continue }
            for text in texts {
                let found = try await records.list(other.name, params: [("filter[\(title)][eq]", text), ("limit", "2")], as: s.context.principal).records
                s.references[field.name, default: [:]][text] = found.count == 1 ? .id(found[0].id)
                    : .problem(code: found.isEmpty ? "unknown_reference" : "ambiguous_reference",
                               message: found.isEmpty ? "No \(other.name) record you may read is named \(text)." : "Several \(other.name) records are named \(text); use its id.")
            }
        }
    }
}
