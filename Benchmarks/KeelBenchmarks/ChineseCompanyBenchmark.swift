import Foundation
import KeelMatching

/// A synthetic set of Chinese companies written the ways people write them — legal form changed, region moved into or
/// out of parentheses or left out, a homophone typo, Traditional characters, the English name, a department or head
/// office added, phones in five formats — plus look-alikes that are NOT the same company (the same trade name in
/// another region, a branch). `keel match`'s engine clusters it; the figures are the residual duplicate rate (records
/// still split from their entity) and the false-merge rate (records merged into another entity), per record.
struct ChineseCompanyBenchmark {
    let entities: Int

    static let (regions, chars, industries) = (CompanyVocabulary.regions, CompanyVocabulary.chars, CompanyVocabulary.industries)
    static let homophones: [Character: Character] = ["华": "化", "达": "大", "信": "新", "康": "抗", "源": "元", "泰": "太", "盛": "胜",
                                                    "宏": "红", "明": "名", "通": "同", "瑞": "锐", "兴": "星", "博": "搏", "鑫": "新"]
    static let traditional: [Character: Character] = ["华": "華", "达": "達", "东": "東", "兴": "興", "丰": "豐", "远": "遠", "创": "創",
                                                     "润": "潤", "鼎": "鼎", "飞": "飛", "航": "航", "银": "銀", "阳": "陽", "辉": "輝"]

    struct Row { var entity: Int; var name: String; var phone: String }

    /// A deterministic generator (LCG), so every run measures the same set.
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
    }

    func rows() -> [Row] {
        var r = Random(state: 42)
        var out: [Row] = []
        for e in 0..<entities {
            let trade = String((0..<3).map { _ in Self.chars[r.next(Self.chars.count)] })
            let region = Self.regions[r.next(Self.regions.count)], industry = Self.industries[r.next(Self.industries.count)]
            let mobile = "1\([3, 5, 8][r.next(3)])\(r.next(10))\(String(format: "%08d", r.next(100_000_000)))"
            let phones = [mobile, "\(mobile.prefix(3)) \(mobile.dropFirst(3).prefix(4)) \(mobile.suffix(4))", "+86 \(mobile.prefix(3))-\(mobile.dropFirst(3).prefix(4))-\(mobile.suffix(4))",
                          "0086 \(mobile)", "86-\(mobile)"]
            out.append(Row(entity: e, name: "\(region)市\(trade)\(industry)有限公司", phone: phones[0]))
            // 0–3 more ways of writing it (about 30% of records end up duplicates, as in the issue).
            for _ in 0..<[0, 0, 0, 1, 1, 2, 3][r.next(7)] {
                var name: String
                switch r.next(8) {
                case 0: name = "\(trade)\(industry)(\(region))有限公司"
                case 1: name = "\(trade)\(industry)（\(region)）股份有限公司"
                case 2: name = "\(trade)\(industry)有限公司"
                case 3: name = "\(region)\(String(trade.map { Self.homophones[$0] ?? $0 }))\(industry)有限公司"
                case 4: name = "\(String(trade.map { Self.traditional[$0] ?? $0 }))\(industry)(\(region))有限公司"
                case 5: name = "\(trade)-大客户部"
                case 6: name = "\(trade)\(region)总部"
                default: name = "\(TextFold.pinyin(trade)) \(TextFold.pinyin(region)) Co., Ltd."
                }
                out.append(Row(entity: e, name: name, phone: r.next(4) == 0 ? "" : phones[r.next(phones.count)]))
            }
            // Look-alikes that are other companies: the same trade name elsewhere, or a branch.
            if r.next(10) == 0 {
                let other = Self.regions.filter { $0 != region }[r.next(Self.regions.count - 1)]
                out.append(Row(entity: entities + e, name: "\(other)市\(trade)\(industry)有限公司", phone: "1390\(String(format: "%07d", r.next(10_000_000)))"))
            }
            if r.next(10) == 0 {
                out.append(Row(entity: 2 * entities + e, name: "\(region)市\(trade)\(industry)有限公司北京分公司", phone: ""))
            }
        }
        return out
    }

    func run() {
        let rows = rows()
        let engine = Deduplicator(roles: [.company, .region, .phone])
        let start = ContinuousClock.now
        let result = engine.run(rows.map { [$0.name, $0.name, $0.phone] })
        let seconds = Stats.seconds(ContinuousClock.now - start)
        // Per entity, how many clusters its records are split over; per cluster, how many entities it mixes.
        var clustersOf: [Int: Set<Int>] = [:], entitiesOf: [Int: Set<Int>] = [:]
        for (i, row) in rows.enumerated() {
            clustersOf[row.entity, default: []].insert(result.cluster[i])
            entitiesOf[result.cluster[i], default: []].insert(row.entity)
        }
        let duplicates = rows.count - clustersOf.count
        let residual = clustersOf.values.reduce(0) { $0 + $1.count - 1 }
        let falseMerges = entitiesOf.values.reduce(0) { $0 + $1.count - 1 }
        print(String(format: "chinese companies: %d records of %d entities (%.1f%% duplicates) in %.0f ms", rows.count, clustersOf.count,
                     100 * Double(duplicates) / Double(rows.count), seconds * 1000))
        print(String(format: "  residual duplicate rate %.2f%% (%d records still apart from their company); false-merge rate %.2f%% (%d records merged into another)",
                     100 * Double(residual) / Double(rows.count), residual, 100 * Double(falseMerges) / Double(rows.count), falseMerges))
        if ProcessInfo.processInfo.environment["KEEL_BENCH_VERBOSE"] != nil {
            for (cluster, entities) in entitiesOf where entities.count > 1 {
                print("   merged: " + rows.indices.filter { result.cluster[$0] == cluster }.map { "\(rows[$0].entity):\(rows[$0].name)" }.joined(separator: " | "))
            }
            for (_, clusters) in clustersOf.filter({ $0.value.count > 1 }).prefix(15) {
                print("   apart: " + rows.indices.filter { clusters.contains(result.cluster[$0]) }.map { "\(rows[$0].name) \(rows[$0].phone)" }.joined(separator: " | "))
            }
        }
    }
}
