import Foundation
import KeelCore
import KeelEngine
import KeelStore
import SQLKit

/// Durable single-record creates per second: through the record service (validation, row, hash-chained history,
/// outbox, one transaction each) against raw inserts of the same rows with the same durability
/// (SQLite WAL, synchronous=FULL, one transaction per insert, same writer connection).
struct CreateBenchmark {
    let count: Int

    func run() async throws {
        let keel = try await Keel.open(.sqlite(path: Scratch.file("creates.db")))
        let admin = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
        let ctx = WriteContext(principal: admin, source: .api)
        func input(_ i: Int) -> [String: JSONValue] {
            ["name": .string("基准测试公司\(i)有限公司"), "industry": "制造业", "city": "深圳", "phone": "0755-86013388", "email": "info@example.com"]
        }
        // Warm up both paths.
        for i in 0..<50 { _ = try await keel.records.create("accounts", input(i), context: ctx) }
        let raw = try await Stats.time {
            for i in 0..<count {
                try await keel.database.write { db in
                    let now = ValueFormats.formatDateTime(Date())
                    try await db.raw("""
                        INSERT INTO accounts (id, version, created_at, updated_at, created_by, updated_by, name, industry, city, phone, email, custom)
                        VALUES (\(bind: RecordID.make()), 1, \(bind: now), \(bind: now), \(bind: admin.userID), \(bind: admin.userID),
                                \(bind: "基准测试公司\(i)有限公司"), '制造业', '深圳', '0755-86013388', 'info@example.com', '{}')
                        """).run()
                }
            }
        }
        let service = try await Stats.time {
            for i in 0..<count { _ = try await keel.records.create("accounts", input(i), context: ctx) }
        }
        await keel.close()
        let rawRate = Double(count) / raw
        let serviceRate = Double(count) / service
        print("creates (SQLite, WAL, synchronous=FULL, \(count) each, one transaction per record)")
        print(String(format: "  raw SQL inserts:        %8.0f /s", rawRate))
        print(String(format: "  record service creates: %8.0f /s  (%.2f× the raw rate; each writes 5 history entries + 1 outbox event)",
                     serviceRate, serviceRate / rawRate))
    }
}
