import KeelCore
import KeelEngine
import KeelTestSupport
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
                    group.addTask { _ = try await keel.records.update("leads", id: id, ["score": .number(Double(i))], expectedVersion: nil, context: ctx) }
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
}
