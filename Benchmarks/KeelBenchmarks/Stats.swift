import Foundation
import KeelCore
import KeelEngine
import KeelStore
import SQLKit

/// Wall-clock helpers and percentiles.
enum Stats {
    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func time(_ body: () async throws -> Void) async rethrows -> Double {
        let start = ContinuousClock.now
        try await body()
        return seconds(ContinuousClock.now - start)
    }

    static func percentile(_ values: [Double], _ p: Double) -> Double {
        let sorted = values.sorted()
        guard !sorted.isEmpty else { return 0 }
        return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
    }

    static func ms(_ s: Double) -> String { String(format: "%.2f ms", s * 1000) }
}

/// Benchmark databases live in a fresh temporary folder.
enum Scratch {
    static let folder: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("keel-bench-\(ProcessInfo.processInfo.processIdentifier)")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// On PostgreSQL, a fresh schema for one benchmark and how to drop it; SQLite URLs are used as they are.
    static func database(_ url: DatabaseURL, name: String) async throws -> (DatabaseURL, (() async throws -> Void)?) {
        guard case .postgres = url else { return (url, nil) }
        let schema = "\(name)_\(ProcessInfo.processInfo.processIdentifier)"
        let admin = try await KeelDatabase.open(url)
        try await admin.write { try await $0.raw("CREATE SCHEMA \(ident: schema)").run() }
        await admin.close()
        return (url.with(schema: schema), {
            let admin = try await KeelDatabase.open(url)
            try await admin.write { try await $0.raw("DROP SCHEMA \(ident: schema) CASCADE").run() }
            await admin.close()
        })
    }

    static func file(_ name: String) -> String {
        let path = folder.appendingPathComponent(name).path
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return path
    }
}

/// Benchmark set-up: accounts written with bulk inserts (500 per statement, 20,000 per transaction), not through the
/// record service — so without history, match keys or outbox events: for benchmarks of reads only — then `ANALYZE`. `values(n)` gives row n's values for `columns`; the JSON column takes an object.
enum Seed {
    static func accounts(_ keel: Keel, count: Int, columns: [String], values: (Int) -> [JSONValue]) async throws {
        let dialect = keel.database.dialect
        var next = 0
        while next < count {
            let end = min(count, next + 20_000)
            try await keel.database.write { db in
                var i = next
                while i < end {
                    let batchEnd = min(end, i + 500)
                    let now = ValueFormats.formatDateTime(Date())
                    let rows: [SQLQueryString] = (i..<batchEnd).map { n in
                        let cells: [SQLQueryString] = zip(columns, values(n)).map { column, value in
                            column == "custom" ? dialect.jsonBind(value.canonicalText()) : "\(bind: value.stringValue)"
                        }
                        return "(\(bind: RecordID.make()), 1, \(bind: now), \(bind: now), \(cells.joined(separator: ", ")))"
                    }
                    try await db.raw("""
                        INSERT INTO accounts (id, version, created_at, updated_at, \(unsafeRaw: columns.joined(separator: ", ")))
                        VALUES \(rows.joined(separator: ", "))
                        """).run()
                    i = batchEnd
                }
            }
            next = end
        }
        try await keel.database.write { db in try await db.raw(dialect == .postgres ? "ANALYZE accounts" : "ANALYZE").run() }
    }
}
