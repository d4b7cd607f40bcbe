import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

/// Within an import's batch the duplicate look-ups are read once and answered from memory: the answers must stay
/// what the database would say as rows add keys, replace them, and fail.
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
                return try await batch.run(on: sql) {
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
}
