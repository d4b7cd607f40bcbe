import Crypto
import Foundation
import KeelCore
import KeelStore
import Logging
import SQLKit

/// Files imported into objects. The file is read whole once before anything is written (a file broken anywhere imports
/// nothing); then every row goes through the record service as a typed record would — validation, required groups,
/// phones, the duplicate check, history, outbox, automations — in batches, each one transaction that also moves the
/// import's progress, so an import stopped at any point goes on from its last batch and never writes a row twice.
/// A row that fails is reported (row, column, cell, reason) and written nowhere; a duplicate is skipped, updated,
/// merged into or created anyway, as the plan says, and the decision reported. An import can be taken back for 30 days.
public struct Imports: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let store = ImportStore()
    let timeZone: TimeZone
    /// Where uploaded files wait to be imported.
    public let folder: URL
    /// The uploads this process is to import, in the order they came.
    let queue = ImportQueue()

    /// The largest file an upload takes: `KEEL_IMPORT_MAX_MB` (default 200).
    public static let maxUploadBytes = (ProcessInfo.processInfo.environment["KEEL_IMPORT_MAX_MB"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil } ?? 200) * 1_048_576
    /// Rows per transaction.
    public static let batchSize = 1_000
    /// How long an import may be taken back.
    public static let revertDays = 30

    init(database: KeelDatabase, metadata: MetadataService, records: RecordService, access: AccessControl, timeZone: TimeZone, folder: URL) {
        (self.database, self.metadata, self.records, self.access, self.timeZone) = (database, metadata, records, access, timeZone)
        self.folder = folder.appendingPathComponent("imports", isDirectory: true)
    }

    // MARK: Starting

    /// A file read whole, as an import would take it: its columns with the field each fills (the plan's, else the
    /// suggestion), its first rows, how many rows it has, and its encoding.
    public struct Preview: Sendable {
        public var headers: [String]
        public var fields: [String?]
        public var samples: [CSVTokenizer.Row]
        public var rows: Int
        /// Per column, its first distinct cells (see `ImportFile.Scan.distinct`).
        public var distinct: [[String]]
        /// A workbook's sheets, and the one read.
        public var sheets: [String]
        public var sheet: String?
        public var encoding: TextEncoding
        public var format: ImportFile.Format
    }

    /// Reads the file at `path` whole: a file that cannot be read is a 422 naming why (and the row). The principal
    /// must be allowed to create records of the plan's object.
    public func preview(path: String, plan: ImportPlan, as principal: Principal) async throws -> Preview {
        let object = try await metadata.catalog().require(plan.object)
        let scope = try await access.scope(principal, .create, object: object)
        if scope.plan.deniesAll { throw AccessControl.denied(.create, object: object.name) }
        let file = try ImportFile(path: path, encoding: plan.encoding, sheet: plan.sheet)
        let scan = try file.scan()
        return Preview(headers: scan.headers, fields: plan.fields(headers: scan.headers, samples: scan.samples.map(\.cells), object: object),
                       samples: scan.samples, rows: scan.rows, distinct: scan.distinct, sheets: file.sheets, sheet: plan.sheet ?? file.sheets.first,
                       encoding: file.encoding, format: file.format)
    }

    /// Reads the file at `path` whole and, when it is a readable table, records an import of it (pending) with the
    /// plan's mapping completed by suggestions for the columns it does not name. A file that cannot be read is a 422
    /// naming why (and the row), and no import is recorded.
    public func start(path: String, filename: String, plan: ImportPlan, dryRun: Bool, as principal: Principal) async throws -> ImportJob {
        let preview = try await preview(path: path, plan: plan, as: principal)
        guard preview.fields.contains(where: { $0 != nil }) else {
            throw KeelError(.unprocessable, code: "no_columns_mapped",
                            message: "No column of the file fills a field of \(plan.object). Map the columns (\(preview.headers.prefix(8).joined(separator: ", "))) to fields.")
        }
        var resolved = plan
        resolved.columns = Dictionary(preview.headers.enumerated().filter { !$0.element.isEmpty }.map { ($0.element, preview.fields[$0.offset] ?? "") },
                                      uniquingKeysWith: { a, _ in a })
        resolved.encoding = preview.encoding
        let job = ImportJob(id: RecordID.make(), object: plan.object, filename: filename, path: path, sha256: try Self.sha256(path), plan: resolved,
                            dryRun: dryRun, totalRows: preview.rows, createdBy: principal.userID, createdAt: ValueFormats.formatDateTime(Date()))
        try await database.write { try await store.insert(job, on: $0) }
        return job
    }

    /// A new path under the files folder to receive a user's upload at.
    public func uploadPath(for principal: Principal) throws -> String {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder.appendingPathComponent("\(principal.userID)-\(RecordID.make()).upload").path
    }

    /// The path of an upload the principal received earlier (`uploadPath` named it), if it is still there.
    public func uploadedPath(_ name: String, for principal: Principal) -> String? {
        let path = folder.appendingPathComponent(name).path
        guard name.hasPrefix(principal.userID + "-"), name.hasSuffix(".upload"), !name.contains("/"), FileManager.default.fileExists(atPath: path) else { return nil }
        return path
    }

    /// Starts importing a file received at `uploadPath()`; a file refused is removed.
    public func start(uploaded path: String, filename: String, plan: ImportPlan, dryRun: Bool, as principal: Principal) async throws -> ImportJob {
        do {
            return try await start(path: path, filename: filename, plan: plan, dryRun: dryRun, as: principal)
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
    }

    /// The unfinished import of this same file (same content, object and plan) that this user started, to go on with.
    public func resumable(path: String, plan: ImportPlan, dryRun: Bool, as principal: Principal) async throws -> ImportJob? {
        let sha = try Self.sha256(path)
        return try await database.read { try await store.unfinished(on: $0) }.first { (job: ImportJob) -> Bool in
            let same = job.sha256 == sha && job.object == plan.object && job.createdBy == principal.userID && job.dryRun == dryRun
            let alike = job.plan.onDuplicate == plan.onDuplicate && job.plan.update == plan.update && job.plan.values == plan.values
            return same && alike && plan.columns.allSatisfy { header, field in job.plan.columns[header] == field }
        }
    }

    /// The imports that were started and not finished from uploads: the server goes on with them after a restart.
    public func unfinishedUploads() async throws -> [ImportJob] {
        try await database.read { try await store.unfinished(on: $0) }.filter { $0.path.hasPrefix(folder.path) }
    }

    // MARK: Reading

    /// An import, to its creator or an admin.
    public func job(_ id: String, as principal: Principal) async throws -> ImportJob {
        guard let job = try await database.read({ try await store.job(id, on: $0) }), job.createdBy == principal.userID || principal.role == .admin else {
            throw KeelError.notFound("imports/\(id)")
        }
        return job
    }

    /// The newest imports the principal may see (an admin sees everyone's).
    public func jobs(as principal: Principal, limit: Int = 50) async throws -> [ImportJob] {
        try await database.read { try await store.jobs(createdBy: principal.role == .admin ? nil : principal.userID, limit: limit, on: $0) }
    }

    /// A page of an import's row results after spreadsheet row `after`: every row, or only those with these outcomes.
    public func rows(_ id: String, after: Int = 0, outcomes: [ImportOutcome]? = nil, limit: Int = 500, as principal: Principal) async throws -> [ImportRowResult] {
        let job = try await job(id, as: principal)
        return try await database.read { try await store.rows(job.id, after: after, outcomes: outcomes, limit: limit, on: $0) }
    }

    /// The rows of import `id` that created these records (in a dry run: would have), by record id — what a duplicate
    /// row found when it repeats an earlier row of the file.
    public func rowsCreating(_ records: Set<String>, in id: String, as principal: Principal) async throws -> [String: Int] {
        guard !records.isEmpty else { return [:] }
        let job = try await job(id, as: principal)
        let rows = try await database.read { try await store.rows(job.id, after: 0, outcomes: [.created], records: Array(records), limit: records.count, on: $0) }
        return Dictionary(rows.compactMap { r in r.recordID.map { ($0, r.row) } }) { first, _ in first }
    }

    static func sha256(_ path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw KeelError(.badRequest, code: "file_unreadable", message: "\(path) cannot be read.")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { hasher.update(data: data) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }
}

extension Imports {
    /// Uploads left a week ago (mapped and never imported, or kept after a dry run) are removed, unless an unfinished
    /// import still reads them.
    func pruneUploads(keeping: Set<String>, olderThan days: Double = 7) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        for name in names where name.hasSuffix(".upload") {
            let path = folder.appendingPathComponent(name).path
            let modified = (try? FileManager.default.attributesOfItem(atPath: path)[.modificationDate] as? Date) ?? Date()
            if !keeping.contains(path), Date().timeIntervalSince(modified) > days * 86_400 { try? FileManager.default.removeItem(atPath: path) }
        }
    }
}

extension Imports {
    /// Hands an upload's import to `work()`.
    public func enqueue(_ id: String) {
        queue.continuation.yield(ImportQueue.Work(id: id, revert: false))
    }

    /// Hands an import marked by `beginRevert` to `work()`, to be taken back.
    public func enqueueRevert(_ id: String) {
        queue.continuation.yield(ImportQueue.Work(id: id, revert: true))
    }

    /// Runs imports and takes them back one at a time until cancelled: first what an earlier run of the server left
    /// unfinished, then each one enqueued. A cancelled run stops between batches and goes on at the next start. One that
    /// fails for another reason than its rows (which are reported), such as the database going away, is logged and
    /// tried again later: it goes on from its last batch, rather than waiting half-done for the next start.
    public func work() async {
        let unfinished = (try? await unfinishedUploads()) ?? []
        pruneUploads(keeping: Set(unfinished.map(\.path)))
        let reverting = (try? await database.read { try await store.reverting(on: $0) }) ?? []
        for job in reverting where !Task.isCancelled { await attempt(ImportQueue.Work(id: job.id, revert: true)) }
        for job in unfinished where !Task.isCancelled { await attempt(ImportQueue.Work(id: job.id, revert: false)) }
        for await work in queue.stream {
            if Task.isCancelled { return }
            await attempt(work)
        }
    }

    /// Does one piece of work; when it fails, enqueues it again after a pause that doubles each time (at most five minutes).
    func attempt(_ work: ImportQueue.Work) async {
        do {
            if work.revert { _ = try await finishRevert(work.id) } else { _ = try await run(work.id) }
        } catch let error as KeelError where error.kind != .unavailable {
            // Another process went on with it, or nothing is left to do: not worth another try.
        } catch {
            let seconds = min(300, ImportQueue.retrySeconds << min(work.failures, 8))
            Logger(label: "keel.imports").warning("Import \(work.id) (\(work.revert ? "revert" : "run")) failed, trying again in \(seconds) s: \(error)")
            var again = work
            again.failures += 1
            let queue = queue
            Task {
                try? await Task.sleep(for: .seconds(seconds))
                queue.continuation.yield(again)
            }
        }
    }
}

/// Imports waiting to run, or to be taken back, in this process.
final class ImportQueue: Sendable {
    struct Work: Sendable {
        var id: String
        var revert: Bool
        /// How often it failed before.
        var failures = 0
    }

    /// The first pause before work that failed is tried again.
    static let retrySeconds = 2

    let stream: AsyncStream<Work>
    let continuation: AsyncStream<Work>.Continuation

    init() {
        (stream, continuation) = AsyncStream.makeStream()
    }
}
