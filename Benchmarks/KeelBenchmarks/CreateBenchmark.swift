import AsyncHTTPClient
import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit

/// Durable creates over real HTTP: a `keel serve` process on SQLite (WAL, synchronous=FULL, group commit) and 1, 8
/// and 32 clients each sending `POST /api/v1/accounts` one after another. Every create goes through the record service
/// (validation, duplicate check, row, match keys, hash-chained history, outbox). Baseline, same run: the same rows
/// inserted raw in batches of 100 per transaction, with the same durability. Then `kills` times: the server is
/// SIGKILLed at a random moment under 32 clients' load and restarted; every acknowledged create must be there,
/// `keel audit verify` must pass and `PRAGMA integrity_check` must say ok.
///
/// Needs the `keel` executable next to this one (`swift build -c release` builds both).
struct CreateBenchmark {
    let count: Int
    let kills: Int

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    func run() async throws {
        guard FileManager.default.isExecutableFile(atPath: keelExecutable) else {
            throw Failure(description: "\(keelExecutable) is missing: build it first (swift build -c release)")
        }
        let folder = Scratch.folder.appendingPathComponent("creates")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let path = Scratch.file("creates/keel.db")
        let keel = try await Keel.open(.sqlite(path: path))
        _ = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil)
        await keel.close()
        let raw = try await rawBaseline()

        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(
            connectionPool: .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)))
        let environment = ["KEEL_DATABASE_URL": "sqlite://" + path, "PATH": "/usr/bin:/bin"]
        var server = try await ServedKeel.start(keelExecutable, ["serve", "--port", "0"], in: folder, environment: environment)
        let token = try await HTTP.post(server.base + "/api/v1/auth/token",
                                        json: ["email": "bench@example.com", "password": "bench-password"]).json["token"]?.stringValue ?? ""
        print("creates over HTTP (keel serve on SQLite: WAL, synchronous=FULL, group commit; \(count) creates per run; "
              + "\(ProcessInfo.processInfo.activeProcessorCount) cores shared by server and clients)")
        print(String(format: "  baseline, raw inserts (100 per transaction):  %8.0f rows/s", raw))
        var single = 0.0
        for clients in [1, 8, 32] {
            let before = try await commits(server.base)
            let run = try await load(client, server.base, token: token, clients: clients, total: count, tag: "c\(clients)")
            let committed = try await commits(server.base) - before
            if clients == 1 { single = run.rate }
            print(String(format: "  %2d client%@ %8.0f creates/s  %5.2f× one client  %4.2f× raw   p50 %@  p99 %@  %4.1f creates per commit  (%d failed)",
                         clients, clients == 1 ? ": " : "s:", run.rate, run.rate / single, run.rate / raw,
                         Stats.ms(Stats.percentile(run.latencies, 0.5)), Stats.ms(Stats.percentile(run.latencies, 0.99)),
                         Double(run.ids.count) / Double(max(1, committed)), run.failed))
        }
        server.stop()

        // Crashes under load: nothing acknowledged may be lost, and the file and the history chain stay sound.
        var acknowledged: [String] = []
        var rng = SystemRandomNumberGenerator()
        for round in 0..<kills {
            server = try await ServedKeel.start(keelExecutable, ["serve", "--port", "0"], in: folder, environment: environment)
            let killAfter = Double.random(in: 0.1...1.0, using: &rng)
            let base = server.base
            let process = server.process
            async let ids = load(client, base, token: token, clients: 32, total: .max, tag: "k\(round)", until: killAfter).ids
            try await Task.sleep(for: .seconds(killAfter))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            acknowledged += try await ids
        }
        try await client.shutdown()
        if kills > 0 {
            let reopened = try await Keel.open(.sqlite(path: path))
            var found = 0
            for start in stride(from: 0, to: acknowledged.count, by: 500) {
                let chunk = Array(acknowledged[start..<min(start + 500, acknowledged.count)])
                found += try await reopened.database.read { db in
                    try await db.raw("SELECT COUNT(*) AS n FROM accounts WHERE id IN (\(binds: chunk))").first()?.decode(column: "n", as: Int.self) ?? 0
                }
            }
            let integrity = try await reopened.database.read { db in
                try await db.raw("PRAGMA integrity_check").first()?.decode(column: "integrity_check", as: String.self) ?? ""
            }
            await reopened.close()
            let audit = try runProcess(keelExecutable, ["audit", "verify"], environment: environment)
            print("  SIGKILL under 32 clients' load, \(kills) times: \(acknowledged.count) creates acknowledged, \(acknowledged.count - found) lost; "
                  + "keel audit verify: \(audit.status == 0 ? "clean" : "FAILED"); PRAGMA integrity_check: \(integrity)")
            guard found == acknowledged.count, audit.status == 0, integrity == "ok" else {
                throw Failure(description: "crash test failed: \(acknowledged.count - found) lost, audit: \(audit.output), integrity: \(integrity)")
            }
        }
    }

    /// What `clients` concurrent clients achieve creating `total` accounts between them (or as many as they can until
    /// `until` seconds have passed, or the server goes away): creates/s, each request's latency, and the ids answered
    /// 201 (acknowledged: durable).
    func load(_ client: HTTPClient, _ base: String, token: String, clients: Int, total: Int, tag: String,
              until: Double? = nil) async throws -> (rate: Double, latencies: [Double], failed: Int, ids: [String]) {
        let start = ContinuousClock.now
        let results = try await withThrowingTaskGroup(of: ([Double], Int, [String]).self) { group in
            for c in 0..<clients {
                group.addTask {
                    var latencies: [Double] = [], failed = 0, ids: [String] = []
                    var i = c
                    while i < total {
                        if let until, Stats.seconds(ContinuousClock.now - start) > until + 5 { break }
                        var request = HTTPClientRequest(url: base + "/api/v1/accounts")
                        request.method = .POST
                        request.headers.add(name: "Authorization", value: "Bearer " + token)
                        request.headers.add(name: "Content-Type", value: "application/json")
                        let body: JSONValue = ["name": .string("基准\(tag)客户\(i)有限公司"), "industry": "制造业", "city": "深圳",
                                               "phone": .string(String(format: "1380%07d", i % 10_000_000)), "email": .string("c\(i)@\(tag).example.com")]
                        request.body = .bytes(Array(body.canonicalText().utf8))
                        let sent = ContinuousClock.now
                        do {
                            let response = try await client.execute(request, timeout: .seconds(30))
                            let reply = try await response.body.collect(upTo: 1 << 20)
                            latencies.append(Stats.seconds(ContinuousClock.now - sent))
                            if response.status.code == 201, let id = (try? JSONValue.parse(Data(buffer: reply)))?["id"]?.stringValue {
                                ids.append(id)
                            } else {
                                failed += 1
                            }
                        } catch where until != nil {
                            break  // the server was killed: this request was never acknowledged
                        }
                        i += clients
                    }
                    return (latencies, failed, ids)
                }
            }
            return try await group.reduce(into: ([Double](), 0, [String]())) { $0.0 += $1.0; $0.1 += $1.1; $0.2 += $1.2 }
        }
        let elapsed = Stats.seconds(ContinuousClock.now - start)
        return (Double(results.2.count) / elapsed, results.0, results.1, results.2)
    }

    /// The server's commits so far (`keel_db_commits_total` on /metrics: every write transaction, the worker's too).
    func commits(_ base: String) async throws -> Int {
        let text = try String(contentsOf: URL(string: base + "/metrics")!, encoding: .utf8)
        return text.split(separator: "\n").first { $0.hasPrefix("keel_db_commits_total ") }.flatMap { Double($0.split(separator: " ")[1]) }.map { Int($0) } ?? 0
    }

    /// Raw inserts of the same rows, 100 per transaction, into a scratch file with the same durability: rows/s.
    func rawBaseline() async throws -> Double {
        let database = try await KeelDatabase.open(.sqlite(path: Scratch.file("creates-raw.db")))
        try await database.write { db in
            try await db.raw("CREATE TABLE accounts (id TEXT PRIMARY KEY, name TEXT, industry TEXT, city TEXT, phone TEXT, email TEXT, created_at TEXT)").run()
        }
        let seconds = try await Stats.time {
            for batch in stride(from: 0, to: count, by: 100) {
                try await database.write { db in
                    let now = ValueFormats.formatDateTime(Date())
                    let rows: [SQLQueryString] = (batch..<min(batch + 100, count)).map { i in
                        "(\(bind: RecordID.make()), \(bind: "基准客户\(i)有限公司"), '制造业', '深圳', \(bind: String(format: "1380%07d", i)), \(bind: "c\(i)@example.com"), \(bind: now))"
                    }
                    try await db.raw("INSERT INTO accounts (id, name, industry, city, phone, email, created_at) VALUES \(rows.joined(separator: ", "))").run()
                }
            }
        }
        await database.close()
        return Double(count) / seconds
    }
}
