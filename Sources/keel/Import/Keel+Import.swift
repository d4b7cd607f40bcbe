import ArgumentParser
import Foundation
import KeelCore
import KeelEngine
import KeelServer
import KeelStore

/// `keel import FILE --object OBJECT`: a CSV file into Keel through the record service, with a progress bar on stderr
/// and a last line of counts. Run again after an interruption, the same command goes on where it stopped.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import an Excel workbook (.xlsx) or a CSV file (UTF-8, UTF-16 or GBK) into an object.",
        discussion: """
        Columns are mapped to fields by their headers (field names, zh/en labels, headers such as 客户名称, 手机, \
        统一社会信用代码) or by --mapping M.json ({"columns": {"header": "field"}, "values": {"field": {"text": "value"}}}) or \
        the name of a mapping saved for the object (--save-mapping NAME saves the one an import used). \
        Rows matching an existing record (or an earlier row) are skipped, updated (--update fill|overwrite), merged or \
        created anyway, as --on-duplicate says. The last line on stdout counts the rows; exit status 0 when no row \
        failed, 1 when some did (see --errors), 2 when the file cannot be read. Interrupted, the same command goes on \
        from the last committed batch.
        """,
        subcommands: [Run.self, Revert.self], defaultSubcommand: Run.self)

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "run", abstract: "Import a file (the default).")

        @Argument(help: "The .xlsx or CSV file.") var file: String
        @Option(help: "The object to import into (accounts, contacts, leads …).") var object: String
        @Option(help: "A mapping file (JSON), or the name of a mapping saved for the object.") var mapping: String?
        @Option(name: .customLong("save-mapping"), help: "Save the mapping this import uses under a name, for the next file of its kind.") var saveMapping: String?
        @Option(name: .customLong("on-duplicate"), help: "skip, update, merge or create.") var onDuplicate: String?
        @Option(help: "With --on-duplicate update: fill (empty fields only) or overwrite.") var update: String?
        @Option(help: "The file's encoding when it should not be detected: utf-8, utf-16le, utf-16be, gb18030.") var encoding: String?
        @Option(help: "A workbook's sheet to read (default: the first).") var sheet: String?
        @Option(help: "The CRM the file was exported from, whose headers need no mapping: salesforce or fxiaoke (纷享销客).") var preset: String?
        @Flag(name: .customLong("dry-run"), help: "Check every row and report, writing nothing.") var dryRun = false
        @Option(help: "Where to write the rows that failed, as CSV (row, column, value, field, code, reason).") var errors: String?
        @Option(name: .customLong("as"), help: "The e-mail of the user to import as (default: the first active admin).") var user: String?

        func run() async throws {
            let outcome: ImportJob
            do {
                outcome = try await withKeel { keel in try await importFile(keel) }
            } catch let error as KeelError where error.kind == .unprocessable || error.kind == .badRequest || error.kind == .notFound {
                FileHandle.standardError.write("keel import: \(error.summary)\n")
                throw ExitCode(2)
            }
            if outcome.status == .failed {
                FileHandle.standardError.write("keel import: \(outcome.problem?["message"]?.stringValue ?? "the import stopped").\n")
                throw ExitCode(2)
            }
            say(outcome.summary)
            if (outcome.counts[.failed] ?? 0) > 0 { throw ExitCode(1) }
        }

        func importFile(_ keel: Keel) async throws -> ImportJob {
            let principal = try await importer(keel, email: user)
            let object = try await keel.metadata.catalog().require(object)
            var body: [String: JSONValue] = [:]
            if let mapping, !FileManager.default.fileExists(atPath: mapping),
               let saved = try await keel.imports.mappings(object: object.name, as: principal).first(where: { $0.name == mapping }) {
                body = saved.plan.json.objectValue ?? [:]
            } else if let mapping {
                guard let data = FileManager.default.contents(atPath: mapping), let json = try? JSONValue.parse(text: String(decoding: data, as: UTF8.self)), let fields = json.objectValue else {
                    throw KeelError(.badRequest, code: "invalid_mapping", message: "\(mapping) is neither a JSON mapping file nor the name of a mapping saved for \(object.name).")
                }
                body = fields
            }
            if let onDuplicate { body["onDuplicate"] = .string(onDuplicate) }
            if let update { body["update"] = .string(update) }
            if let encoding { body["encoding"] = .string(encoding) }
            if let preset { body["preset"] = .string(preset) }
            if let sheet { body["sheet"] = .string(sheet) }
            let plan = try ImportPlan.parse(.object(body), object: object)
            var job: ImportJob
            if let unfinished = try await keel.imports.resumable(path: file, plan: plan, dryRun: dryRun, as: principal) {
                job = unfinished
                FileHandle.standardError.write("keel import: going on with import \(job.id) after row \(job.lastRow)\n")
            } else {
                job = try await keel.imports.start(path: file, filename: URL(fileURLWithPath: file).lastPathComponent, plan: plan, dryRun: dryRun, as: principal)
                FileHandle.standardError.write("keel import: import \(job.id), \(job.totalRows) rows\n")
            }
            if let saveMapping {
                // As the import reads the file (every column's field), but the next file's encoding is detected again.
                var used = job.plan
                used.encoding = plan.encoding
                _ = try await keel.imports.saveMapping(name: saveMapping, plan: used, as: principal)
            }
            let bar = ProgressBar(total: job.totalRows, done: job.doneRows)
            job = try await keel.imports.run(job.id) { bar.show($0.doneRows) }
            bar.finish()
            if let errors {
                try await ImportReport.errors(job.id, imports: keel.imports, as: principal).write(to: URL(fileURLWithPath: errors), options: .atomic)
            }
            return job
        }
    }

    struct Revert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Take an import back: delete what it created, restore what it changed.")

        @Argument(help: "The import's id.") var id: String
        @Option(name: .customLong("as"), help: "The e-mail of the user taking it back (default: the first active admin).") var user: String?

        func run() async throws {
            try await withKeel { keel in
                let principal = try await importer(keel, email: user)
                let job = try await keel.imports.revert(id, as: principal)
                let report = job.revertReport
                say("deleted \(report?["deleted"]?.intValue ?? 0), restored \(report?["restored"]?.intValue ?? 0), kept \(report?["kept"]?.arrayValue?.count ?? 0)")
                for kept in report?["kept"]?.arrayValue ?? [] {
                    say("kept row \(kept["row"]?.intValue ?? 0) (\(kept["record"]?.stringValue ?? "")): \(kept["reason"]?.stringValue ?? "")"
                        + (kept["fields"]?.arrayValue.map { " " + $0.compactMap(\.stringValue).joined(separator: ", ") } ?? ""))
                }
            }
        }
    }
}

/// The user an import runs as: the one with this e-mail, or the first active admin.
func importer(_ keel: Keel, email: String?) async throws -> Principal {
    let users = try await keel.database.read { try await DirectoryStore().users(on: $0) }.filter { $0.status == .active }
    if let email {
        guard let found = users.first(where: { $0.email == email.lowercased() }) else {
            throw KeelError(.badRequest, code: "unknown_user", message: "No active user has the e-mail \(email).")
        }
        return found.principal
    }
    guard let admin = users.first(where: { $0.role == .admin }) else {
        throw KeelError(.badRequest, code: "no_admin", message: "Keel has no active admin to import as; create one with keel user create, or pass --as.")
    }
    return admin.principal
}

/// A progress bar on stderr: rows done, rows per second and the time left, redrawn in place.
final class ProgressBar: @unchecked Sendable {
    let total: Int
    let start = Date()
    let first: Int
    let lock = NSLock()

    init(total: Int, done: Int) {
        (self.total, self.first) = (total, done)
    }

    func show(_ done: Int) {
        lock.lock()
        defer { lock.unlock() }
        let elapsed = max(Date().timeIntervalSince(start), 0.001)
        let rate = Double(done - first) / elapsed
        let share = total == 0 ? 1 : Double(done) / Double(total)
        let width = 30, filled = Int(share * Double(width))
        let eta = rate > 0 ? Int(Double(total - done) / rate) : 0
        let line = "\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(Int(share * 100))% \(done)/\(total) rows"
            + String(format: " %.0f rows/s", rate) + " ETA \(eta / 60)m\(String(format: "%02d", eta % 60))s"
        FileHandle.standardError.write(line)
    }

    func finish() { FileHandle.standardError.write("\n") }
}
