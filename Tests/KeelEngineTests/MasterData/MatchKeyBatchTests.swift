import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

/// Within an import's batch the duplicate look-ups and the records they find are read once and answered from memory:
/// the answers must stay what the database would say as rows add keys and records, change them, and fail.
@Suite struct MatchKeyBatchTests {
    @Test(arguments: TestDatabase.all)
    func aBatchAnswersLookUpsAsTheDatabaseWould(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let keys = MatchKeyStore()
            struct Late: Error {}
            func found(_ key: String, on sql: any SQLDatabase) async throws -> [String] {
                try await keys.candidates(object: "accounts", keys: [key], excluding: nil, limit: 20, on: sql).sorted()
            }
            try await keel.database.write { sql in
                try await keys.insert(object: "accounts", keys: ["r1": ["name=甲"]], on: sql)
            }
            let answers = try await keel.database.write { sql in
                let batch = WriteBatch()
                return try await batch.run(on: sql) { sql in
                    try await keys.prefetch(object: "accounts", keys: ["name=甲", "name=乙"], limit: 20, on: sql)
                    var seen: [[String]] = [try await found("name=甲", on: sql), try await found("name=乙", on: sql)]
                    // A row adds a key: the next look-up finds it, though it is still held back.
                    try await batch.row(on: sql) { sql in try await keys.insert(object: "accounts", keys: ["r2": ["name=乙"]], on: sql) }
                    seen.append(try await found("name=乙", on: sql))
                    // A row that moves r1 to 乙 and then fails leaves both look-ups as they were.
                    await #expect(throws: Late.self) {
                        try await batch.row(on: sql) { sql in
                            try await keys.replace(object: "accounts", keys: ["r1": ["name=乙"]], on: sql)
                            throw Late()
                        }
                    }
                    seen += [try await found("name=甲", on: sql), try await found("name=乙", on: sql)]
                    // The same move, kept.
                    try await batch.row(on: sql) { sql in try await keys.replace(object: "accounts", keys: ["r1": ["name=乙"]], on: sql) }
                    seen += [try await found("name=甲", on: sql), try await found("name=乙", on: sql)]
                    return seen
                }
            }
            #expect(answers == [["r1"], [], ["r2"], ["r1"], ["r2"], [], ["r1", "r2"]])
            // The database agrees with what the batch answered last.
            let stored = try await keel.database.read { sql in [try await found("name=甲", on: sql), try await found("name=乙", on: sql)] }
            #expect(stored == [[], ["r1", "r2"]])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBatchAnswersRecordReadsAsTheDatabaseWould(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let store = RecordStore(dialect: keel.database.dialect)
            let accounts = try await keel.metadata.catalog().require("accounts")
            struct Late: Error {}
            func account(_ id: String, _ name: String, version: Int = 1) -> Record {
                Record(object: "accounts", id: id, version: version, createdAt: "2026-12-01T08:00:00Z", updatedAt: "2026-12-01T08:00:00Z",
                       createdBy: nil, updatedBy: nil, values: ["name": .string(name), "phone": "+8613812345678", "registry_checked_at": "2026-11-30T02:00:00Z",
                                                                 "other_phones": "+862165871234"]).withEveryField(accounts)
            }
            func names(_ records: [Record]) -> [String] { records.map { $0.value("name").stringValue ?? "" }.sorted() }
            try await keel.database.write { sql in try await store.insert(account("r1", "甲公司"), object: accounts, on: sql) }
            let (seen, held) = try await keel.database.write { sql in
                let batch = WriteBatch()
                return try await batch.run(on: sql) { sql in
                    _ = try await store.prefetch(accounts, ids: ["r1"], on: sql)
                    let first = try await store.fetch(accounts, ids: ["r1"], on: sql)
                    var seen = [names(first)]
                    // A row's new record is read back as it will be written while it is still held back.
                    try await batch.row(on: sql) { sql in try await store.insert(account("r2", "乙公司"), object: accounts, on: sql) }
                    let both = try await store.fetch(accounts, ids: ["r1", "r2"], on: sql)
                    seen.append(names(both))
                    // A row that fails takes its record with it.
                    await #expect(throws: Late.self) {
                        try await batch.row(on: sql) { sql in
                            try await store.insert(account("r3", "丙公司"), object: accounts, on: sql)
                            throw Late()
                        }
                    }
                    seen.append(names(try await store.fetch(accounts, ids: ["r3"], on: sql)))
                    // A change to the record read ahead is what the next read finds.
                    let updated = try await batch.row(on: sql) { sql in
                        try await store.update(account("r1", "甲乙公司", version: 2), replacing: first[0], object: accounts, on: sql)
                    }
                    #expect(updated)
                    seen.append(names(try await store.fetch(accounts, ids: ["r1"], on: sql)))
                    return (seen, both.first { $0.id == "r2" })
                }
            }
            #expect(seen == [["甲公司"], ["乙公司", "甲公司"], [], ["甲乙公司"]])
            // The database agrees, and holds the record answered from memory as it was answered.
            let stored = try await keel.database.read { sql in try await store.fetch(accounts, ids: ["r1", "r2", "r3"], on: sql) }
            #expect(names(stored) == ["乙公司", "甲乙公司"])
            #expect(held != nil && stored.first { $0.id == "r2" } == held)
        }
    }

    @Test(arguments: TestDatabase.all)
    func rowsWrittenInTheBackgroundAreSeenAndTheirFailureFailsTheBatch(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let keys = MatchKeyStore()
            func count(_ object: String, on sql: any SQLDatabase) async throws -> Int {
                try await sql.raw("SELECT COUNT(*) AS n FROM match_keys WHERE object = \(bind: object)").first()!.decode(column: "n", as: Int.self)
            }
            func rows(_ range: Range<Int>) -> [String: Set<String>] { Dictionary(uniqueKeysWithValues: range.map { ("r\($0)", ["k\($0)"]) }) }
            // A row that leaves enough rows held back has them written in the background; the next statement sees them.
            let (seen, later) = try await keel.database.write { sql in
                let batch = WriteBatch()
                return try await batch.run(on: sql) { sql in
                    try await batch.row(on: sql) { sql in try await keys.insert(object: "streamed", keys: rows(0..<1_200), on: sql) }
                    let seen = try await count("streamed", on: sql)
                    // Fewer are held back until the batch ends or a read asks for them.
                    try await batch.row(on: sql) { sql in try await keys.insert(object: "streamed", keys: rows(1_200..<1_300), on: sql) }
                    let held = try await count("streamed", on: sql)
                    try await WriteBatch.flush(on: sql)
                    return ([seen, held], try await count("streamed", on: sql))
                }
            }
            #expect(seen == [1_200, 1_200] && later == 1_300)
            // Rows whose background write fails (a key twice) fail the whole batch, though each row had ended well.
            await #expect(throws: (any Error).self) {
                try await keel.database.write { sql in
                    let batch = WriteBatch()
                    try await batch.run(on: sql) { sql in
                        try await batch.row(on: sql) { sql in try await keys.insert(object: "failed", keys: rows(0..<600), on: sql) }
                        try await batch.row(on: sql) { sql in try await keys.insert(object: "failed", keys: rows(599..<1_200), on: sql) }
                        _ = try await count("failed", on: sql)
                    }
                }
            }
            let stored = try await keel.database.read { sql in (try await count("streamed", on: sql), try await count("failed", on: sql)) }
            #expect(stored == (1_300, 0))
        }
    }
}
