import Crypto
import Foundation
import KeelCore
import KeelStore
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

    /// Rows per transaction.
    public static let batchSize = 500
    /// How long an import may be taken back.
    public static let revertDays = 30

    init(database: KeelDatabase, metadata: MetadataService, records: RecordService, access: AccessControl, timeZone: TimeZone, folder: URL) {
        (self.database, self.metadata, self.records, self.access, self.timeZone) = (database, metadata, records, access, timeZone)
        self.folder = folder.appendingPathComponent("imports", isDirectory: true)
    }

    // MARK: Starting

    /// Reads the file at `path` whole and, when it is a readable table, records an import of it (pending) with the
    /// plan's mapping completed by suggestions for the columns it does not name. A file that cannot be read is a 422
    /// naming why (and the row), and no import is recorded.
    public func start(path: String, filename: String, plan: ImportPlan, dryRun: Bool, as principal: Principal) async throws -> ImportJob {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(plan.object)
        let scope = try await access.scope(principal, .create, object: object)
        if scope.plan.deniesAll { throw AccessControl.denied(.create, object: object.name) }
        let file = try ImportFile(path: path, encoding: plan.encoding)
        let scan = try file.scan()
        var resolved = plan
        let fields = plan.fields(headers: scan.headers, samples: scan.samples.map(\.cells), object: object)
        resolved.columns = Dictionary(scan.headers.enumerated().filter { !$0.element.isEmpty }.map { ($0.element, fields[$0.offset] ?? "") },
                                      uniquingKeysWith: { a, _ in a })
        resolved.encoding = file.encoding
        guard fields.contains(where: { $0 != nil }) else {
            throw KeelError(.unprocessable, code: "no_columns_mapped",
                            message: "No column of the file fills a field of \(object.name). Map the columns (\(scan.headers.prefix(8).joined(separator: ", "))) to fields.")
        }
        let job = ImportJob(id: RecordID.make(), object: object.name, filename: filename, path: path, sha256: try Self.sha256(path), plan: resolved,
                            dryRun: dryRun, totalRows: scan.rows, createdBy: principal.userID, createdAt: ValueFormats.formatDateTime(Date()))
        try await database.write { try await store.insert(job, on: $0) }
        return job
    }

    /// Keeps an uploaded file under the files folder and starts importing it (the file is removed if it is refused).
    public func start(upload bytes: [UInt8], filename: String, plan: ImportPlan, dryRun: Bool, as principal: Principal) async throws -> ImportJob {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = folder.appendingPathComponent(RecordID.make() + ".upload").path
        guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else {
            throw KeelError(.internalError, code: "file_not_stored", message: "The uploaded file could not be stored.")
        }
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

    /// A page of an import's row results after spreadsheet row `after`: every row, or only those with problems.
    public func rows(_ id: String, after: Int = 0, problemsOnly: Bool = false, limit: Int = 500, as principal: Principal) async throws -> [ImportRowResult] {
        let job = try await job(id, as: principal)
        return try await database.read { try await store.rows(job.id, after: after, outcomes: problemsOnly ? [.failed] : nil, limit: limit, on: $0) }
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
