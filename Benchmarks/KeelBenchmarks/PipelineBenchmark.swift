import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelServer
import KeelStore

/// Board and forecast over many deals (SQLite): `deals` opportunities with ten stage moves each, through the real
/// router with a signed-in admin, p50/p95, against the JSON API's list of 50 deals as the baseline. Deals and moves
/// are seeded through the stores (setup, not measured).
struct PipelineBenchmark {
    let deals: Int
    var samples: Int { min(100, max(10, deals / 1_000)) }

    func run() async throws {
        let keel = try await Keel.open(.sqlite(path: Scratch.file("pipeline.db")))
        let me = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
        var owners = [me.userID]
        for i in 1..<10 {
            owners.append(try await keel.auth.createUser(NewUser(email: "rep\(i)@example.com", password: "bench-password", role: .member), by: nil).id)
        }
        var moves = 0
        let seeding = try await Stats.time { moves = try await seed(keel, owners: owners) }
        let (cookie, _) = try await keel.auth.startSession(email: "bench@example.com", password: "bench-password", locale: "zh-CN")
        print("pipeline (SQLite, \(deals) deals, \(moves) stage transitions, seeded in \(String(format: "%.0f", seeding)) s; \(samples) requests per page)")
        let pages: [(String, String)] = [
            ("baseline: GET /api/v1/opportunities?limit=50", "/api/v1/opportunities?limit=50"),
            ("board (all deals)", "/board?owner=all"),
            ("forecast page (company, with backtest)", "/forecast?scope=company"),
            ("GET /api/v1/forecast?scope=company", "/api/v1/forecast?scope=company"),
            ("a deal's page with its stage history", ""),
        ]
        let deal = try await keel.records.list("opportunities", params: [("limit", "1")], as: me).records[0].id
        let app = buildApplication(keel: keel, configuration: ServerConfiguration(host: "127.0.0.1", port: 0))
        try await app.test(.router) { client in
            let headers: HTTPFields = [.cookie: "keel_session=\(cookie)", .authorization: "Bearer " + (try await keel.auth.login(email: "bench@example.com", password: "bench-password").token)]
            func get(_ uri: String) async throws {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                guard response.status == .ok else { throw KeelError(.internalError, code: "bench", message: "\(uri) answered \(response.status)") }
            }
            var baseline = 0.0
            for (name, path) in pages {
                let uri = path.isEmpty ? "/o/opportunities/\(deal)" : path
                let first = try await Stats.time { try await get(uri) }
                for _ in 0..<3 { try await get(uri) }
                var times: [Double] = []
                for _ in 0..<samples { times.append(try await Stats.time { try await get(uri) }) }
                let p50 = Stats.percentile(times, 0.5), p95 = Stats.percentile(times, 0.95)
                if baseline == 0 { baseline = p95 }
                print("  \(name.padding(toLength: 46, withPad: " ", startingAt: 0)) first \(Stats.ms(first))  p50 \(Stats.ms(p50))  p95 \(Stats.ms(p95))  (\(String(format: "%.1f", p95 / baseline))× baseline p95)")
            }
        }
        await keel.close()
    }

    /// Deals opened over eighteen months, each with ten moves (forward, two back, forward again, then won, lost or still
    /// open); the record holds its last stage and amount.
    func seed(_ keel: Keel, owners: [String]) async throws -> Int {
        let object = try await keel.metadata.catalog().require("opportunities")
        let store = RecordStore(dialect: keel.database.dialect), stages = StageStore()
        let path = ["prospecting", "qualification", "needs_analysis", "proposal", "needs_analysis", "proposal", "negotiation", "proposal", "negotiation"]
        let now = Date()
        var rng = SeededGenerator(seed: 42)
        var count = 0
        for start in stride(from: 0, to: deals, by: 5_000) {
            try await keel.database.write { db in
                var transitions: [StageTransition] = []
                for n in start..<min(deals, start + 5_000) {
                    var at = now.addingTimeInterval(-Double.random(in: 20...548, using: &rng) * 86_400)
                    let owner = owners[n % owners.count], amount = Double(Int.random(in: 20...3_000, using: &rng) * 1_000)
                    let end = ["closed_won", "closed_lost", "closed_lost", "negotiation"][n % 4]
                    let id = RecordID.make(), opened = ValueFormats.formatDateTime(at)
                    let close = keel.day(at.addingTimeInterval(Double.random(in: 30...120, using: &rng) * 86_400))
                    var previous: String?
                    for stage in path + [end] where at < now {
                        transitions.append(StageTransition(id: RecordID.make(), object: object.name, recordID: id, pipeline: "standard", from: previous, to: stage,
                                                           at: ValueFormats.formatDateTime(at), actor: owner, source: "import", reason: nil, secondsInStage: nil,
                                                           workingSecondsInStage: nil, back: false, firstTime: true, owner: owner, amount: amount, expectedClose: close))
                        previous = stage
                        at = min(now.addingTimeInterval(-60), at.addingTimeInterval(Double.random(in: 0.5...6, using: &rng) * 86_400))
                    }
                    let record = Record(object: object.name, id: id, version: 1, createdAt: opened, updatedAt: opened, createdBy: owner, updatedBy: owner,
                                        values: ["name": .string("商机\(n)"), "stage": .string(previous ?? "prospecting"), "amount": JSONValue(amount),
                                                 "probability": JSONValue(StageProbability.byStage[previous ?? "prospecting"] ?? 10), "expected_close_date": .string(close),
                                                 "owner": .string(owner)])
                    try await store.insert(record, object: object, on: db)
                }
                try await stages.insert(transitions, on: db)
                count += transitions.count
            }
        }
        try await keel.database.write { try await $0.raw("ANALYZE").run() }
        return count
    }
}
