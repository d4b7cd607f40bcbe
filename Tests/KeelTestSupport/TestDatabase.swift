import Foundation
import KeelCore
import KeelEngine
import KeelIntegrations
import KeelStore
import SQLKit

/// The databases the persistence suite runs on: SQLite always, PostgreSQL when `KEEL_TEST_POSTGRES_URL` is set.
public enum TestDatabase: String, Sendable {
    case sqlite, postgres

    public static var all: [TestDatabase] {
        ProcessInfo.processInfo.environment["KEEL_TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }


    /// A fresh, migrated Keel: a new SQLite file, or a new PostgreSQL schema. Removed afterwards.
    /// The largest attached file a test's Keel takes.
    public static let testFileLimit = 64 * 1024

    public func withKeel<T>(
        afterStep: (@Sendable (WriteStep) throws -> Void)? = nil,
        clock: any KeelClock = SystemClock(),
        timeZone: TimeZone = Keel.timeZone(),
        transport: any WebhookTransport = HTTPWebhookTransport.shared,
        webhookTimeout: TimeInterval = 10,
        registry: (any BusinessRegistry)? = nil,
        esign: ESignSettings? = nil,
        erp: [any ERPConnector] = [],
        _ body: (Keel) async throws -> T
    ) async throws -> T {
        try await TestGate.run {
            let (url, cleanup) = try await provision()
            let database = try await KeelDatabase.open(url)
            try await Migrator.migrate(database)
            // Attached files go to a folder of the test's own, removed with it; a small limit, so that tests can pass it.
            let files = FileManager.default.temporaryDirectory.appendingPathComponent("keel-files-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: files) }
            let keel = Keel(database: database, timeZone: timeZone, clock: clock, transport: transport, webhookTimeout: webhookTimeout, registry: registry,
                            files: (files, Self.testFileLimit), esign: esign, erp: erp, afterStep: afterStep)
            do {
                let result = try await body(keel)
                await keel.close()
                try await cleanup()
                return result
            } catch {
                await keel.close()
                try? await cleanup()
                throw error
            }
        }
    }

    /// Several Keels on ONE fresh database, each with its own connections (as separate processes would have).
    public func withKeels<T>(_ count: Int, clock: any KeelClock, timeZone: TimeZone, _ body: ([Keel]) async throws -> T) async throws -> T {
        try await TestGate.run {
            let (url, cleanup) = try await provision()
            var keels: [Keel] = []
            do {
                for _ in 0..<count {
                    let database = try await KeelDatabase.open(url)
                    try await Migrator.migrate(database)
                    keels.append(Keel(database: database, timeZone: timeZone, clock: clock, registry: nil))
                }
                let result = try await body(keels)
                for keel in keels { await keel.close() }
                try await cleanup()
                return result
            } catch {
                for keel in keels { await keel.close() }
                try? await cleanup()
                throw error
            }
        }
    }

    func provision() async throws -> (DatabaseURL, @Sendable () async throws -> Void) {
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-test-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
            return (.sqlite(path: dir.appendingPathComponent("keel.db").path), { try? FileManager.default.removeItem(at: dir) })
        case .postgres:
            let base = try DatabaseURL(ProcessInfo.processInfo.environment["KEEL_TEST_POSTGRES_URL"] ?? "")
            let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            let admin = try await KeelDatabase.open(base)
            try await admin.write { db in try await db.raw("CREATE SCHEMA \(ident: String(schema))").run() }
            await admin.close()
            return (base.with(schema: String(schema)), {
                let admin = try await KeelDatabase.open(base)
                try await admin.write { db in try await db.raw("DROP SCHEMA \(ident: String(schema)) CASCADE").run() }
                await admin.close()
            })
        }
    }
}

extension Keel {
    /// Creates a user and returns their principal.
    public func makeUser(_ email: String = "admin@example.com", role: Role = .admin, password: String = "correct horse") async throws -> Principal {
        try await auth.createUser(NewUser(email: email, password: password, role: role), by: nil).principal
    }

    /// Runs background work until none is left that is due now — also work another worker (a server's) holds. Waits
    /// up to a minute: on a loaded machine (the whole suite on PostgreSQL) a server's worker can hold a job for seconds.
    public func settle() async throws {
        let worker = Worker(keel: self)
        for _ in 0..<2_400 {
            try await worker.drain()
            let now = ValueFormats.formatDateTime(clock.now())
            let busy = try await database.read { db in
                try await db.raw("""
                    SELECT COUNT(*) AS n FROM jobs WHERE status = 'running' OR (status = 'pending' AND next_at <= \(bind: now))
                    """).first()!.decode(column: "n", as: Int.self) + (try await JournalStore(dialect: database.dialect).backlog(on: db))
            }
            if busy == 0 { return }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    /// The duplicate-check index, one `object key record` line per entry, sorted.
    public func matchKeys() async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT object, key, record_id FROM match_keys ORDER BY object, key, record_id").all().map {
                "\(try $0.decode(column: "object", as: String.self)) \(try $0.decode(column: "key", as: String.self)) \(try $0.decode(column: "record_id", as: String.self))"
            }
        }
    }

    /// Row counts of a record table, the field history and the outbox: what a failed write must leave unchanged.
    public func footprint(table: String = "accounts") async throws -> [Int] {
        try await database.read { db in
            var counts: [Int] = []
            for t in [table, "field_history", "outbox", "idempotency_keys"] {
                counts.append(try await db.raw("SELECT COUNT(*) AS n FROM \(ident: t)").first()!.decode(column: "n", as: Int.self))
            }
            return counts
        }
    }
}
