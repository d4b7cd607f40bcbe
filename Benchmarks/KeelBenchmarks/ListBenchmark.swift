import Foundation
import KeelCore
import KeelEngine
import KeelStore
import SQLKit

/// List with a filter on a custom field over many records, through the record service, p50/p95, against
/// hand-written SQL for the same page (all columns, same order) as baseline. Rows are seeded raw with bulk inserts (setup, not
/// measured; see `Seed`): no history, match keys or outbox events, none of which a list reads.
struct ListBenchmark {
    let records: Int
    /// Fewer at a tiny size (the smoke run), 200 from 20,000 records up.
    var samples: Int { min(200, max(20, records / 100)) }

    func run(on url: DatabaseURL) async throws {
        let (target, dropSchema) = try await Scratch.database(url, name: "bench")
        let keel = try await Keel.open(target)
        let admin = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
        _ = try await keel.metadata.addField(to: "accounts", ["name": "tier", "type": "picklist", "options": ["A", "B", "C", "D", "E"]], as: admin)
        _ = try await keel.metadata.addField(to: "accounts", ["name": "score", "type": "number"], as: admin)

        let seeding = try await Stats.time { try await seed(keel, owner: admin.userID) }
        print("list (\(keel.database.dialect.rawValue), \(records) accounts seeded in \(String(format: "%.0f", seeding)) s, \(samples) samples per query)")

        let catalog = try await keel.metadata.catalog()
        let object = try catalog.require("accounts")
        let dialect = keel.database.dialect
        let tier = dialect.valueExpression(object.field("tier")!)
        let score = dialect.valueExpression(object.field("score")!)
        let cases: [(String, [(String, String)], (Int) -> SQLQueryString)] = [
            ("filter[tier][eq]=<t>, 50 rows by id", [("filter[tier][eq]", "C"), ("limit", "50")],
             { _ in "SELECT * FROM accounts WHERE \(tier) = \(bind: "C") ORDER BY id LIMIT 51" }),
            ("filter[score][gte]=<n>&sort=-score, 50 rows", [("filter[score][gte]", "9990"), ("sort", "-score"), ("limit", "50")],
             { _ in "SELECT * FROM accounts WHERE \(score) >= \(bind: 9990.0) ORDER BY \(score) DESC, id DESC LIMIT 51" }),
            ("filter[score][eq]=<n>, a few rows", [("filter[score][eq]", "4242"), ("limit", "50")],
             { _ in "SELECT * FROM accounts WHERE \(score) = \(bind: 4242.0) ORDER BY id LIMIT 51" }),
        ]
        for (name, params, raw) in cases {
            var serviceTimes: [Double] = []
            var rawTimes: [Double] = []
            for i in 0..<samples {
                rawTimes.append(try await Stats.time { _ = try await keel.database.read { try await $0.raw(raw(i)).all() } })
                serviceTimes.append(try await Stats.time { _ = try await keel.records.list("accounts", params: params, as: admin) })
            }
            let p50 = Stats.percentile(serviceTimes, 0.5), p95 = Stats.percentile(serviceTimes, 0.95)
            let b50 = Stats.percentile(rawTimes, 0.5), b95 = Stats.percentile(rawTimes, 0.95)
            print("  \(name): service p50 \(Stats.ms(p50)) p95 \(Stats.ms(p95)); bare SQL p50 \(Stats.ms(b50)) p95 \(Stats.ms(b95)); ratio p50 \(String(format: "%.2f", p50 / b50))×")
        }
        await keel.close()
        try await dropSchema?()
    }

    /// Bulk-inserts `records` accounts with custom tier and score values.
    func seed(_ keel: Keel, owner: String) async throws {
        let tiers = ["A", "B", "C", "D", "E"]
        try await Seed.accounts(keel, count: records, columns: ["name", "owner", "custom"]) { n in
            [.string("公司\(n)"), .string(owner), ["tier": .string(tiers[n % 5]), "score": JSONValue(Double((n * 7919) % 10_000))]]
        }
    }
}
