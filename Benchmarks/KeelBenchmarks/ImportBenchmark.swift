import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Synchronization

/// `keel import`'s engine on a generated sheet of Chinese accounts — phones in mixed formats, 5 % rows repeating an
/// earlier company (another written form of its name), 1 % with a phone that is no number — with validation, the
/// duplicate check, history and outbox, against `sqlite3 .import` of the same file into a plain table in the same run.
/// Rows per minute and the process's peak memory; on SQLite, also the time sqlite3 takes to `.import` the rows Keel stored
/// into an empty copy of its tables (what the writing alone costs). With `kills`, the `keel import` command beside this binary is
/// SIGKILLed that many times at random points and restarted, and every row must be imported exactly once.
struct ImportBenchmark {
    let rows: Int
    let kills: Int
    /// Also a dry run of the file (SQLite), for its time and the memory it keeps of what earlier batches created.
    var dryRun = false

    /// Writes the sheet (UTF-8, CRLF) a chunk at a time; returns how many rows are new companies and how many invalid.
    static func sheet(_ path: String, rows: Int) throws -> (unique: Int, invalid: Int) {
        FileManager.default.createFile(atPath: path, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        defer { try? handle.close() }
        var text = "客户名称,电话,城市,地址\r\n", unique = 0, invalid = 0
        for i in 0..<rows {
            let n: Int, name: String
            if i % 20 == 19 {
                // A repeat of an earlier company, written another way.
                n = (i * 7) % max(1, unique)
                name = Self.name(n, variant: true)
            } else {
                n = unique
                unique += 1
                name = Self.name(n, variant: false)
            }
            let phone: String
            if i % 100 == 37 {
                phone = "12345"
                invalid += 1
                if i % 20 != 19 { unique -= 1 }
            } else {
                let digits = String(format: "%08d", n % 100_000_000)
                switch n % 4 {
                case 0: phone = "138\(digits)"
                case 1: phone = "+86 139 \(digits.prefix(4)) \(digits.suffix(4))"
                case 2: phone = "0755-\(digits)"
                default: phone = "(010)\(digits)"
                }
            }
            let region = CompanyVocabulary.company(n).region
            text += "\(name),\(phone),\(region)市,\(region)市科技路 \(n % 999 + 1) 号\r\n"
            if text.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        try handle.write(contentsOf: Data(text.utf8))
        return (unique, invalid)
    }

    /// Company n (or another written form of it, with the region moved in or out of parentheses): region, trade name,
    /// industry and legal form. Past the 3-character trade names' combinations, a leading character makes the name new.
    static func name(_ n: Int, variant: Bool) -> String {
        let chars = CompanyVocabulary.chars, c = chars.count
        let (trade, region, industry) = CompanyVocabulary.company(n)
        let series = n / (c * c * c)
        let brand = series == 0 ? trade : String(chars[(series - 1) % c]) + trade
        switch (n % 3, variant) {
        case (0, false): return "\(region)市\(brand)\(industry)有限公司"
        case (1, false): return "\(brand)\(industry)(\(region))有限公司"
        case (_, false): return "\(region)\(brand)\(industry)股份有限公司"
        case (1, true): return "\(region)\(brand)\(industry)有限公司"
        default: return "\(brand)\(industry)（\(region)）有限公司"
        }
    }

    /// The process's resident memory that is not a file mapped in (SQLite maps up to 1 GB of its database file, and
    /// those pages count in the peak), in MB, from /proc.
    static func anonymousMB() -> Double {
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("RssAnon:") } ?? ""
        return (Double(line.split(separator: " ").dropFirst().first ?? "") ?? 0) / 1024
    }

    /// The process's peak resident memory so far, in MB.
    static func peakMB() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }

    /// `body`'s value and the most memory seen that is not a mapped file (`anonymousMB`), sampled every 50 ms.
    static func peakAnonymous<T: Sendable>(_ body: () async throws -> T) async throws -> (T, Double) {
        let peak = Mutex(anonymousMB())
        let sampler = Task {
            while !Task.isCancelled {
                let now = anonymousMB()
                peak.withLock { $0 = max($0, now) }
                try? await Task.sleep(for: .milliseconds(50))
            }
        }
        defer { sampler.cancel() }
        let value = try await body()
        return (value, peak.withLock { $0 })
    }

    func run() async throws {
        let path = Scratch.file("accounts.csv")
        let (unique, invalid) = try Self.sheet(path, rows: rows)
        let size = (try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0) / 1_048_576
        print("import (\(rows) rows, \(size) MB: \(unique) companies, \(rows - unique - invalid) repeats, \(invalid) invalid phones; memory before: \(String(format: "%.0f", Self.peakMB())) MB)")
        // Baseline: the sqlite3 shell's .import of the same file into a plain table.
        let plain = Scratch.file("plain.db")
        let baseline = try await Stats.time {
            let result = try runProcess("/usr/bin/sqlite3", [plain, ".mode csv", ".import \(path) accounts"], environment: [:])
            guard result.status == 0 else { throw KeelError(.internalError, code: "sqlite3", message: "sqlite3 .import failed: \(result.output)") }
        }
        print("  baseline, sqlite3 .import into a plain table: \(String(format: "%.2f", baseline)) s")
        var expected = unique
        try await onBothDatabases("import.db") { url in
            let (target, dropSchema) = try await Scratch.database(url, name: "import")
            let keel = try await Keel.open(target)
            do {
            let admin = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
            func importFile(dryRun: Bool) async throws -> (job: ImportJob, seconds: Double, anonymous: Double) {
                let clock = ContinuousClock.now
                let (job, anonymous) = try await Self.peakAnonymous {
                    let started = try await keel.imports.start(path: path, filename: "accounts.csv", plan: ImportPlan(object: "accounts"), dryRun: dryRun, as: admin)
                    return try await keel.imports.run(started.id)
                }
                let elapsed = ContinuousClock.now - clock
                return (job, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, anonymous)
            }
            if dryRun && keel.database.dialect == .sqlite {
                let (dry, seconds, anonymous) = try await importFile(dryRun: true)
                print("  keel import --dry-run (sqlite): \(String(format: "%.2f", seconds)) s, \(Int(Double(rows) / seconds * 60)) rows/min; \(dry.summary); "
                      + "at most \(String(format: "%.0f", anonymous)) MB of memory that is not the mapped database file")
            }
            let (done, seconds, anonymous) = try await importFile(dryRun: false)
            print("  keel import (\(keel.database.dialect.rawValue)): \(String(format: "%.2f", seconds)) s, \(String(format: "%.2f", seconds / baseline))× the baseline, "
                  + "\(Int(Double(rows) / seconds * 60)) rows/min; \(done.summary); peak memory \(String(format: "%.0f", Self.peakMB())) MB, "
                  + "of it at most \(String(format: "%.0f", anonymous)) MB not the database file SQLite maps")
            // Every row is accounted for; the invalid phones failed; the rest of the repeats were found (the duplicate check
            // may also take a few generated companies whose names differ by one character for one another).
            let created = done.counts[.created] ?? 0
            guard done.doneRows == rows, done.counts[.failed] == invalid, created <= unique else {
                throw KeelError(.internalError, code: "miscounted", message: "expected \(unique) created and \(invalid) failed of \(rows): \(done.summary)")
            }
            if created < unique { print("  \(unique - created) generated companies were taken for duplicates of others (names one character apart)") }
            if keel.database.dialect == .sqlite { expected = created }
            } catch {
                await keel.close()
                throw error
            }
            await keel.close()
            try await dropSchema?()
            if case .sqlite(let database) = target {
                let (stored, seconds) = try await Self.writingAlone(database)
                print("  sqlite3 .import of the database's \(stored) rows after the import (records, field history, outbox, search and match keys, the import's report) "
                      + "into an empty copy of its tables and indexes: \(String(format: "%.2f", seconds)) s, \(String(format: "%.2f", seconds / baseline))× the baseline "
                      + "— the writing alone, without reading the sheet, validation, the duplicate check or history hashes")
            }
        }
        if kills > 0 { try await killAndResume(path, created: expected) }
    }

    /// What writing the rows an import stored takes without any of Keel's work: every table of `database` exported as
    /// CSV and `.import`ed by sqlite3 (timed) into a new database with the same tables and indexes. Returns the rows.
    static func writingAlone(_ database: String) async throws -> (rows: Int, seconds: Double) {
        func sqlite3(_ file: String, _ commands: [String]) throws -> String {
            let result = try runProcess("/usr/bin/sqlite3", [file] + commands, environment: [:])
            guard result.status == 0 else { throw KeelError(.internalError, code: "sqlite3", message: "sqlite3 failed: \(result.output)") }
            return result.output
        }
        func count(_ file: String, _ tables: [String]) throws -> Int {
            try tables.reduce(0) { $0 + (Int(try sqlite3(file, ["SELECT COUNT(*) FROM \"\($1)\""]).trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0) }
        }
        let tables = try sqlite3(database, ["SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"])
            .split(separator: "\n").map(String.init)
        let schema = Scratch.file("schema.sql"), copy = Scratch.file("written.db"), files = tables.map { Scratch.file("stored-\($0).csv") }
        defer { for file in files + [schema, copy] { try? FileManager.default.removeItem(atPath: file) } }
        try sqlite3(database, ["SELECT sql || ';' FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' ORDER BY rowid"])
            .write(toFile: schema, atomically: true, encoding: .utf8)
        _ = try sqlite3(copy, [".read \(schema)"])
        for (table, file) in zip(tables, files) { _ = try sqlite3(database, [".mode csv", ".output \(file)", "SELECT * FROM \"\(table)\""]) }
        let seconds = try await Stats.time { _ = try sqlite3(copy, [".mode csv"] + zip(tables, files).map { ".import \($1) \($0)" }) }
        let rows = try count(database, tables)
        guard try count(copy, tables) == rows else { throw KeelError(.internalError, code: "sqlite3", message: "sqlite3 .import did not copy every row") }
        return (rows, seconds)
    }

    /// `keel import` killed `kills` times at random and restarted until it finishes: each row exactly once.
    func killAndResume(_ path: String, created: Int) async throws {
        let keelCommand = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("keel").path
        let database = Scratch.file("killed.db")
        let environment = ["KEEL_DATABASE_URL": "sqlite://" + database, "PATH": "/usr/bin:/bin"]
        _ = try runProcess(keelCommand, ["user", "create", "--email", "bench@example.com", "--password", "bench-password", "--role", "admin"], environment: environment)
        var generator = SystemRandomNumberGenerator()
        var killed = 0, last = ""
        while true {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: keelCommand)
            process.arguments = ["import", path, "--object", "accounts"]
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            if killed < kills {
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...3_000, using: &generator)))
                if process.isRunning {
                    kill(process.processIdentifier, SIGKILL)
                    process.waitUntilExit()
                    killed += 1
                    continue
                }
            }
            last = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            break
        }
        let keel = try await Keel.open(.sqlite(path: database))
        let (accounts, results, imports) = try await keel.database.read { db in
            (try await db.raw("SELECT COUNT(*) AS n FROM accounts").first()!.decode(column: "n", as: Int.self),
             try await db.raw("SELECT COUNT(*) AS n FROM import_rows").first()!.decode(column: "n", as: Int.self),
             try await db.raw("SELECT COUNT(*) AS n FROM imports").first()!.decode(column: "n", as: Int.self))
        }
        await keel.close()
        print("  killed \(killed) times and restarted: \(imports) import, \(results) row results for \(rows) rows, \(accounts) accounts (an uninterrupted import created \(created)); last line: \(last.split(separator: "\n").last ?? "")")
        guard accounts == created, results == rows, imports == 1 else {
            throw KeelError(.internalError, code: "not_exactly_once", message: "rows were not imported exactly once")
        }
    }
}

/// `#require` for a benchmark: the value, or an error.
func require<T>(_ value: T?) throws -> T {
    guard let value else { throw KeelError(.internalError, code: "missing", message: "a value was missing") }
    return value
}
