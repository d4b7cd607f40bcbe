import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelServer
import KeelStore

/// Server time per web page with many accounts (SQLite): each page requested through the real router with a signed-in
/// session, p50/p95, against the JSON API's list of the same 50 accounts as baseline. Records are seeded through the
/// record store (rows and search keys, no history: setup, not measured).
struct PageBenchmark {
    let accounts: Int
    /// Fewer at a tiny size (the smoke run), 100 from 1,000 accounts up.
    var samples: Int { min(100, max(10, accounts / 10)) }

    func run() async throws {
        let keel = try await Keel.open(.sqlite(path: Scratch.file("pages.db")))
        let me = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
        var owners = [me.userID]
        for i in 1..<10 {
            owners.append(try await keel.auth.createUser(NewUser(email: "rep\(i)@example.com", password: "bench-password", role: .member), by: nil).id)
        }
        let seeding = try await Stats.time { try await seed(keel, owners: owners) }
        let sample = try await keel.records.list("accounts", params: [("filter[owner][eq]", me.userID), ("limit", "1")], as: me).records[0]
        for city in ["杭州", "宁波", "温州"] {
            _ = try await keel.records.update("accounts", id: sample.id, ["city": .string(city)], expectedVersion: nil, context: WriteContext(principal: me, source: .web))
        }
        let (cookie, _) = try await keel.auth.startSession(email: "bench@example.com", password: "bench-password", locale: "zh-CN")
        print("pages (SQLite, \(accounts) accounts, \(accounts) contacts, \(accounts / 5) deals, \(accounts / 5) leads, seeded in \(String(format: "%.0f", seeding)) s; \(samples) requests per page)")

        let pages: [(String, String)] = [
            ("baseline: GET /api/v1/accounts?limit=50", "/api/v1/accounts?limit=50"),
            ("today", "/"),
            ("accounts list", "/o/accounts"),
            ("accounts list, filter city + sort by name", "/o/accounts?ff=city&fo=eq&fv=%E6%B7%B1%E5%9C%B3&sort=-name"),
            ("accounts list, page 3 (cursor)", ""),
            ("account page with related lists and history", "/o/accounts/\(sample.id)"),
            ("edit form", "/o/accounts/\(sample.id)/edit"),
            ("search by phone", "/search?q=%2B86%20138-0001-2345"),
            ("search by name", "/search?q=%E5%85%AC%E5%8F%B8777"),
            ("board (mine)", "/board"),
            ("board (all)", "/board?owner=all"),
            ("dashboard", "/dashboard"),
        ]
        let app = buildApplication(keel: keel, configuration: ServerConfiguration(host: "127.0.0.1", port: 0))
        try await app.test(.router) { client in
            let headers: HTTPFields = [.cookie: "keel_session=\(cookie)", .authorization: "Bearer " + (try await keel.auth.login(email: "bench@example.com", password: "bench-password").token)]
            func get(_ uri: String) async throws -> String {
                let response = try await client.execute(uri: uri, method: .get, headers: headers)
                guard response.status == .ok else { throw KeelError(.internalError, code: "bench", message: "\(uri) answered \(response.status)") }
                return String(buffer: response.body)
            }
            // Page 3 of the list: follow two "next" links.
            var third = "/o/accounts"
            for _ in 0..<2 {
                let html = try await get(third)
                guard let r = html.range(of: #"<a href="([^"]+)" rel="next">"#, options: .regularExpression) else { break }
                third = String(html[r].dropFirst(9).prefix { $0 != "\"" }).replacingOccurrences(of: "&amp;", with: "&")
            }
            var baseline = 0.0
            for (name, path) in pages {
                let uri = path.isEmpty ? third : path
                for _ in 0..<5 { _ = try await get(uri) }
                var times: [Double] = []
                for _ in 0..<samples { times.append(try await Stats.time { _ = try await get(uri) }) }
                let p50 = Stats.percentile(times, 0.5), p95 = Stats.percentile(times, 0.95)
                if baseline == 0 { baseline = p50 }
                print("  \(name.padding(toLength: 46, withPad: " ", startingAt: 0)) p50 \(Stats.ms(p50))  p95 \(Stats.ms(p95))  (\(String(format: "%.1f", p50 / baseline))× baseline p50)")
            }
        }
        await keel.close()
    }

    /// Accounts with phones and cities, a contact per account, deals and leads, tasks due for the benchmark user.
    func seed(_ keel: Keel, owners: [String]) async throws {
        let catalog = try await keel.metadata.catalog()
        let store = RecordStore(dialect: keel.database.dialect)
        let cities = ["深圳", "杭州", "上海", "北京", "广州", "成都", "苏州", "南京"]
        let channels = ["官网", "展会", "百度", "微信", "转介绍", "抖音", "电话"]
        let now = ValueFormats.formatDateTime(Date())
        func record(_ object: String, _ n: Int, _ values: [String: JSONValue]) -> Record {
            Record(object: object, id: RecordID.make(), version: 1, createdAt: now, updatedAt: now, createdBy: owners[n % owners.count],
                   updatedBy: owners[n % owners.count], values: values.merging(["owner": .string(owners[n % owners.count])]) { a, _ in a })
        }
        var accountIDs: [String] = []
        for start in stride(from: 0, to: accounts, by: 10_000) {
            try await keel.database.write { db in
                for n in start..<min(accounts, start + 10_000) {
                    let r = record("accounts", n, ["name": .string("公司\(n)"), "city": .string(cities[n % cities.count]),
                                                   "phone": .string(String(format: "0755-%08d", n)), "industry": "制造业"])
                    try await store.insert(r, object: try catalog.require("accounts"), on: db)
                    accountIDs.append(r.id)
                    let c = record("contacts", n, ["name": .string("联系人\(n)"), "mobile": .string(String(format: "+86 138 %08d", n)), "account": .string(r.id)])
                    try await store.insert(c, object: try catalog.require("contacts"), on: db)
                    if n % 5 == 0 {
                        let stage = StandardObjects.opportunityStages[(n / 5) % StandardObjects.opportunityStages.count]
                        try await store.insert(record("opportunities", n / 5, ["name": .string("商机\(n)"), "stage": .string(stage),
                                                                               "amount": JSONValue(Double(n % 97) * 10_000), "account": .string(r.id)]),
                                               object: try catalog.require("opportunities"), on: db)
                        try await store.insert(record("leads", n / 5, ["name": .string("线索\(n)"), "channel": .string(channels[n % channels.count]),
                                                                       "status": .string(StandardObjects.leadStatuses[n % 4])]),
                                               object: try catalog.require("leads"), on: db)
                    }
                    if n % 50 == 0 {
                        try await store.insert(record("tasks", 0, ["subject": .string("回访\(n)"), "due": .string(keel.day(Date().addingTimeInterval(Double(n % 7 - 3) * 86_400))),
                                                                   "assignee": .string(owners[n % owners.count]), "related_to": .string(r.id)]),
                                               object: try catalog.require("tasks"), on: db)
                    }
                }
            }
        }
        try await keel.database.write { try await $0.raw("ANALYZE").run() }
    }
}
