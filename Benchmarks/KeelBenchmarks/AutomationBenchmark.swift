import Foundation
import KeelCore
import KeelEngine
import KeelStore

/// End-to-end automation throughput: N committed changes in the outbox, then the worker dispatches them, runs the
/// automation each fires (a condition, a field set through the record service, a notification) and records every
/// run. Baseline, measured in the same run: the same N field sets made directly through the record service, i.e. the
/// write each run has to make anyway.
struct AutomationBenchmark {
    let events: Int

    func run(on base: DatabaseURL) async throws {
        let (url, drop) = try await Scratch.database(base, name: "automation_bench")
        let keel = try await Keel.open(url)
        let admin = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
        let ctx = WriteContext(principal: admin, source: .api)
        var ids: [String] = []
        for chunk in stride(from: 0, to: events * 2, by: 500) {
            let inputs: [[String: JSONValue]] = (chunk..<min(chunk + 500, events * 2)).map { ["name": .string("商机\($0)"), "amount": JSONValue(Double($0 % 1000))] }
            ids += try await keel.records.createBatch("opportunities", inputs, context: ctx).map(\.id)
        }
        let worker = Worker(keel: keel)
        try await worker.drain()

        // Baseline: the field set, done directly.
        let direct = try await Stats.time {
            for id in ids.prefix(events) {
                _ = try await keel.records.update("opportunities", id: id, ["probability": 40], expectedVersion: nil, context: ctx)
            }
        }
        try await worker.drain()

        _ = try await keel.automations.publish([
            "id": "bench", "object": "opportunities", "trigger": ["type": "field_changed", "field": "stage"], "condition": "amount >= 0",
            "actions": [["type": "set_fields", "values": ["probability": "60"]], ["type": "notify", "to": ["owner"], "message": "name & \" 阶段变了\""]],
        ], by: admin)
        for id in ids.suffix(events) {
            _ = try await keel.records.update("opportunities", id: id, ["stage": "qualification"], expectedVersion: nil, context: ctx)
        }
        let automated = try await Stats.time { try await worker.drain(maxPasses: 1_000_000) }
        let stats = try await keel.automations.stats().first { $0.ref == "bench" }
        await keel.close()
        try await drop?()

        let name = if case .postgres = url { "PostgreSQL" } else { "SQLite" }
        print("automations (\(name), \(events) events, one worker)")
        print(String(format: "  direct field sets (baseline):  %8.0f /s", Double(events) / direct))
        print(String(format: "  automation runs end to end:    %8.0f events/s  (%.2f× the baseline; dispatch + condition + field set + notification + run log)",
                     Double(events) / automated, direct / automated))
        print("  runs done: \(stats?.succeeded ?? 0), failed: \(stats?.failed ?? 0)")
    }
}
