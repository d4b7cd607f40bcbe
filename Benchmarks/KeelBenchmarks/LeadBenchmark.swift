import Foundation
import KeelCore
import KeelEngine
import KeelStore
import SQLKit

/// Lead intake and response timers, in process (no HTTP).
/// - Intake: leads arriving at a steady 200/s (open loop: each at its own moment, whatever the previous ones are
///   doing), each scored, routed by region with round-robin and capacity, its SLA timers started, all in its own
///   transaction; p50/p99 from arrival to the answer carrying the owner. Baseline in the same run: the same leads with
///   auto-assignment off (the creator owns them).
/// - Timers: `timers` leads routed with an SLA, their deadlines then spread evenly over `spread` seconds from a
///   moment just ahead; the worker's timer loop fires them (each: the owner notified, the breach written on the lead
///   with its history). Lateness = when it fired − its deadline, p50/p99/max; baseline: the loop's beat.
struct LeadBenchmark {
    let leads: Int
    let timers: Int
    let spread: Double
    static let rate = 200.0

    func run(on base: DatabaseURL) async throws {
        let (url, drop) = try await Scratch.database(base, name: "lead_bench")
        let keel = try await Keel.open(url)
        do {
            try await measure(keel, url)
        } catch {
            await keel.close()
            throw error
        }
        await keel.close()
        try await drop?()
    }

    func measure(_ keel: Keel, _ url: DatabaseURL) async throws {
        let admin = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
        var reps: [String] = []
        for i in 0..<8 {
            reps.append(try await keel.auth.createUser(NewUser(email: "rep\(i)@example.com", password: "bench-password", name: "销售\(i)", role: .member),
                                                       by: nil).principal.userID)
        }
        let routing: JSONValue = [
            "rules": [
                ["id": "east", "name": "华东", "when": ["regions": ["上海", "江苏", "浙江"]], "members": .array(reps.prefix(4).map(JSONValue.string)), "capacity": 10_000],
                ["id": "rest", "name": "其他", "strategy": "weighted", "members": .array(reps.suffix(4).enumerated().map { ["user": .string($1), "weight": JSONValue(Double($0 + 1))] })],
            ],
            "sla": ["calendar": "24x7", "targets": ["viewed": 600]],
        ]
        _ = try await keel.records.setLeadRouting(routing, by: admin)
        let ctx = WriteContext(principal: admin, source: .api)
        let provinces = ["上海", "江苏", "浙江", "广东", "四川", "湖北"]
        func lead(_ n: Int, _ tag: String) -> [String: JSONValue] {
            ["name": .string("线索\(tag)\(n)"), "company": .string("测试\(tag)\(n)科技有限公司"), "phone": .string(String(format: "139%08d", n + ["b": 50_000_000, "r": 0, "t": 20_000_000][tag]!)),
             "province": .string(provinces[n % provinces.count]), "channel": "web_form"]
        }

        /// Latencies of `count` creates arriving at `rate` per second, and how many were refused because too many
        /// writes were waiting (a client would retry them later).
        func intake(_ tag: String) async throws -> (latencies: [Double], refused: Int) {
            let start = ContinuousClock.now
            return try await withThrowingTaskGroup(of: Double?.self) { group in
                for n in 0..<leads {
                    let at = start + .milliseconds(Int(Double(n) * 1000 / Self.rate))
                    try await Task.sleep(until: at, clock: .continuous)
                    group.addTask {
                        do {
                            let record = try await keel.records.create("leads", lead(n, tag), context: ctx).json
                            guard record["assigned_at"]?.stringValue != nil else { throw KeelError(.conflict, code: "unassigned", message: "a lead was not assigned") }
                            return Stats.seconds(ContinuousClock.now - at)
                        } catch let error as KeelError where error.code == "busy" {
                            return nil
                        }
                    }
                }
                return try await group.reduce(into: ([], 0)) { out, latency in
                    if let latency { out.0.append(latency) } else { out.1 += 1 }
                }
            }
        }
        var off = routing.objectValue!
        off["enabled"] = false
        _ = try await keel.records.setLeadRouting(.object(off), by: admin)
        let baseline = try await intake("b")
        _ = try await keel.records.setLeadRouting(routing, by: admin)
        let routed = try await intake("r")

        // Timers: their leads first, then their deadlines spread over the coming seconds.
        for chunk in stride(from: 0, to: timers, by: 500) {
            _ = try await keel.records.createBatch("leads", (chunk..<min(chunk + 500, timers)).map { lead($0, "t") }, context: ctx)
        }
        let first = Date().addingTimeInterval(2)
        try await keel.database.write { db in
            let ids = try await db.raw("SELECT id FROM sla_timers WHERE status = 'pending' ORDER BY id").all().map { try $0.decode(column: "id", as: String.self) }
            for (i, id) in ids.enumerated() {
                let due = ValueFormats.formatDateTime(first.addingTimeInterval(spread * Double(i) / Double(max(ids.count, 1))))
                try await db.raw("UPDATE sla_timers SET due_at = \(bind: due), deadline = \(bind: due) WHERE id = \(bind: id)").run()
            }
        }
        let pending = try await keel.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM sla_timers WHERE status = 'pending'").first()!.decode(column: "n", as: Int.self) }
        let loop = Task { await Worker(keel: keel).runTimers() }
        while try await keel.escalations.nextDue() != nil, Date() < first.addingTimeInterval(spread + 120) {
            try await Task.sleep(for: .milliseconds(250))
        }
        loop.cancel()
        _ = await loop.value
        let rows = try await keel.database.read { try await $0.raw("SELECT due_at, closed_at FROM sla_timers WHERE status = 'fired'").all() }
        let lateness = try rows.map { row in
            let due = ValueFormats.parseDateTime(try row.decode(column: "due_at", as: String.self))!
            let fired = ValueFormats.parseDateTime(try row.decode(column: "closed_at", as: String.self))!
            return fired.timeIntervalSince(due)
        }
        let name = if case .postgres = url { "PostgreSQL" } else { "SQLite" }
        print("leads (\(name), \(leads) leads arriving at \(Int(Self.rate))/s; \(pending) SLA timers due over \(Int(spread)) s)")
        let refused = { (n: Int) in n == 0 ? "" : "; \(n) refused as busy" }
        print("  intake, auto-assignment off (baseline): p50 \(Stats.ms(Stats.percentile(baseline.latencies, 0.5))), "
              + "p99 \(Stats.ms(Stats.percentile(baseline.latencies, 0.99)))\(refused(baseline.refused))")
        print("  intake → assigned (scored, routed, timers): p50 \(Stats.ms(Stats.percentile(routed.latencies, 0.5))), "
              + "p99 \(Stats.ms(Stats.percentile(routed.latencies, 0.99)))\(refused(routed.refused))"
              + String(format: "  (%.2f× the baseline's p99)", Stats.percentile(routed.latencies, 0.99) / max(Stats.percentile(baseline.latencies, 0.99), 1e-9)))
        print("  timers fired: \(lateness.count) of \(pending); lateness p50 \(Stats.ms(Stats.percentile(lateness, 0.5))), p99 \(Stats.ms(Stats.percentile(lateness, 0.99))), "
              + "max \(Stats.ms(lateness.max() ?? 0))  (the loop's beat: \(Stats.ms(Stats.seconds(Worker.timerBeat))))")
    }
}
