import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

@Suite struct ConcurrencyTests {
    @Test(arguments: TestDatabase.all)
    func concurrentWritersKeepVersionsAndTheHashChainIntact(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let id = try #require(try await keel.records.create("leads", ["name": "并发测试", "score": 0], context: ctx).json["id"]?.stringValue)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 1...12 {
                    group.addTask { _ = try await keel.records.update("leads", id: id, ["score": JSONValue(Double(i))], expectedVersion: nil, context: ctx) }
                    group.addTask { _ = try await keel.records.create("leads", ["name": .string("线索\(i)")], context: ctx) }
                }
                try await group.waitForAll()
            }
            let (lead, _) = try await keel.records.get("leads", id: id, as: admin)
            let scoreChanges = try await keel.records.history("leads", id: id, as: admin).filter { $0.operation == "update" }
            // Every update landed once, in some order: 12 changes, each from the value the previous one left.
            #expect(scoreChanges.count == 12)
            #expect(lead.version == 13)
            for (previous, next) in zip(scoreChanges, scoreChanges.dropFirst()) { #expect(previous.newValue == next.oldValue) }
            #expect(scoreChanges.last?.newValue == lead.values["score"])
            #expect(try await keel.records.list("leads", params: [("limit", "100")], as: admin).records.count == 13)
            let report = try await AuditVerifier(database: keel.database).verify()
            #expect(report.ok, "\(report.reason ?? "")")

            // With If-Match, of several writers holding the same version exactly one wins.
            let version = lead.version
            var wins = 0
            var conflicts = 0
            try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await keel.records.update("leads", id: id, ["name": .string("改名\(i)")], expectedVersion: version, context: ctx)
                            return true
                        } catch let error as KeelError where error.kind == .conflict {
                            return false
                        }
                    }
                }
                for try await won in group { if won { wins += 1 } else { conflicts += 1 } }
            }
            #expect(wins == 1)
            #expect(conflicts == 5)
        }
    }

    /// Concurrent creates through the record service share commits on SQLite, yet each keeps its own outcome: those
    /// that fail validation or a duplicate check answer alone with nothing written, the others are all written, each
    /// with its history and outbox event; the chain verifies.
    @Test(arguments: TestDatabase.all)
    func concurrentWritesCommitTogetherWithTheirOwnOutcomes(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            _ = try await keel.records.create("accounts", ["name": "并发客户已有有限公司"], context: ctx)
            let before = keel.database.poolStatus.commits
            let outcomes = try await withThrowingTaskGroup(of: (Int, String?).self) { group in
                for i in 0..<96 {
                    group.addTask {
                        // Every sixth has an email that is not one; every eighth repeats a name already taken (a duplicate).
                        let name = i % 8 == 7 ? "并发客户已有有限公司" : "并发客户\(i)有限公司"
                        let email: JSONValue = i % 6 == 5 ? "not-an-email" : .string("c\(i)@example.com")
                        do {
                            _ = try await keel.records.create("accounts", ["name": .string(name), "email": email], context: ctx)
                            return (i, nil)
                        } catch let error as KeelError {
                            return (i, error.code)
                        }
                    }
                }
                return try await group.reduce(into: [Int: String?]()) { $0[$1.0] = $1.1 }
            }
            let failed = outcomes.filter { $0.value != nil }
            #expect(outcomes.count == 96)
            #expect(Set(failed.keys) == Set((0..<96).filter { $0 % 6 == 5 || $0 % 8 == 7 }), "\(failed)")
            #expect(failed.values.allSatisfy { $0 == "validation_failed" || $0 == "duplicate" })
            let written = try await keel.records.list("accounts", params: [("limit", "200")], as: admin).records
            #expect(written.count == 1 + 96 - failed.count)
            #expect(Set(written.compactMap { $0.value("name").stringValue })
                    == Set(outcomes.filter { $0.value == nil }.map { "并发客户\($0.key)有限公司" } + ["并发客户已有有限公司"]))
            let (entries, events) = try await keel.database.read { db in
                (try await db.raw("SELECT COUNT(DISTINCT record_id) AS n FROM field_history WHERE object = 'accounts'").first()?.decode(column: "n", as: Int.self),
                 try await db.raw("SELECT COUNT(*) AS n FROM outbox WHERE object = 'accounts'").first()?.decode(column: "n", as: Int.self))
            }
            #expect(entries == written.count && events == written.count)
            let report = try await AuditVerifier(database: keel.database).verify()
            #expect(report.ok, "\(report.reason ?? "")")
            if database == .sqlite {
                // Fewer commits than writes: groups formed.
                #expect(keel.database.poolStatus.commits - before < 96, "\(keel.database.poolStatus.commits - before) commits")
            }
        }
    }

    /// More writes waiting than the queue takes: the next is refused at once (503 `busy`, try again in a second) with
    /// nothing written, while those queued are all committed.
    @Test func aFullWriteQueueRefusesAtOnce() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-queue-\(UUID().uuidString).db").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let database = try await KeelDatabase.open(.sqlite(path: path), writeQueueLimit: 2)
        try await database.write { try await $0.raw("CREATE TABLE t (n INTEGER)").run() }
        // One write holds the writer while two queue behind it; a fourth finds the queue full.
        let (entered, signal) = AsyncStream<Void>.makeStream()
        let holder = Task {
            try await database.write { db in
                signal.yield()
                try await Task.sleep(for: .milliseconds(500))
                try await db.raw("INSERT INTO t (n) VALUES (0)").run()
            }
        }
        for await _ in entered { break }
        let queued = (1...2).map { n in Task { try await database.write { try await $0.raw("INSERT INTO t (n) VALUES (\(literal: n))").run() } } }
        while database.poolStatus.waitingWriters < 2 { try await Task.sleep(for: .milliseconds(5)) }
        let refused = await #expect(throws: KeelError.self) {
            try await database.write { try await $0.raw("INSERT INTO t (n) VALUES (99)").run() }
        }
        #expect(refused?.kind == .unavailable && refused?.code == "busy" && refused?.details["retryAfter"] == 1)
        try await holder.value
        for write in queued { try await write.value }
        let written = try await database.read { try await $0.raw("SELECT n FROM t ORDER BY n").all().map { try $0.decode(column: "n", as: Int.self) } }
        #expect(written == [0, 1, 2])
        await database.close()
    }
}
