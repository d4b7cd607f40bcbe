import Foundation
import KeelMatching

/// A synthetic set of Chinese companies written the ways people write them — legal form changed, region moved into or
/// out of parentheses or left out, a homophone typo, Traditional characters, the English name, a head office added,
/// phones in five formats, the credit code on most rows — plus the hard cases of a messy customer list:
/// - the same brand as distinct companies in several cities (their own credit codes and phones);
/// - a group's subsidiaries (the group's trade name, another industry, their own codes);
/// - brand-plus-department rows (`远航-大客户部`: no code, no city) and rows with nothing but the brand, which belong to
///   one of the brand's companies;
/// - branch offices (`…北京分公司`), separate legal entities.
/// `keel match`'s engine clusters it, and so does a plain exact-key baseline (same credit code, same normalised full
/// name, or same phone) in the same run. Per case: the false-merge rate (records put with another entity) and the
/// residual duplicate rate (records left apart from their entity), per record of the whole set; overall pairwise
/// precision, recall and F1 of both. A brand or department row with nothing else, whose brand several companies carry,
/// cannot be placed by anyone: the engine should flag it for review, and the residual rate is also told without those.
struct ChineseCompanyBenchmark {
    let entities: Int

    static let (regions, chars, industries) = (CompanyVocabulary.regions, CompanyVocabulary.chars, CompanyVocabulary.industries)
    static let homophones: [Character: Character] = ["华": "化", "达": "大", "信": "新", "康": "抗", "源": "元", "泰": "太", "盛": "胜",
                                                    "宏": "红", "明": "名", "通": "同", "瑞": "锐", "兴": "星", "博": "搏", "鑫": "新"]
    static let traditional: [Character: Character] = ["华": "華", "达": "達", "东": "東", "兴": "興", "丰": "豐", "远": "遠", "创": "創",
                                                     "润": "潤", "鼎": "鼎", "飞": "飛", "航": "航", "银": "銀", "阳": "陽", "辉": "輝"]

    enum Case: String, CaseIterable {
        case variant = "written another way", otherCity = "same brand, other city", subsidiary = "group subsidiary"
        case department = "brand + department", brandOnly = "brand only", branch = "branch office"
    }

    struct Row {
        var entity: Int, kind: Case, name: String, code: String, phone: String
        /// The trade name the row was written from (shared on purpose by other-city companies, subsidiaries, branches).
        var brand: String
    }

    /// A deterministic generator (LCG), so every run measures the same set.
    struct Random {
        var state: UInt64
        mutating func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
    }

    static let codeAlphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    func rows() -> [Row] {
        var r = Random(state: 42)
        var next = entities
        func newEntity() -> Int { next += 1; return next }
        func code() -> String {
            let body = "9144" + String((0..<13).map { _ in Self.codeAlphabet[r.next(Self.codeAlphabet.count)] })
            return body + String(CreditCode.checkCharacter(for: body)!)
        }
        // Mobile segments in use (a made-up 154… is no number at all, and the engine rightly will not read it as one).
        let segments = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "177", "180", "186", "188", "199"]
        func mobile() -> String { segments[r.next(segments.count)] + String(format: "%08d", r.next(100_000_000)) }
        var out: [Row] = []
        // Each company its own trade name: two brands that collide by chance would make brand-only rows ambiguous with
        // no truth to measure against; brands shared on purpose are the "other city" and "subsidiary" cases.
        var trades: Set<String> = []
        for e in 0..<entities {
            var trade = ""
            repeat { trade = String((0..<3).map { _ in Self.chars[r.next(Self.chars.count)] }) } while !trades.insert(trade).inserted
            let region = Self.regions[r.next(Self.regions.count)], industry = Self.industries[r.next(Self.industries.count)]
            let credit = code(), phone = mobile()
            let phones = [phone, "\(phone.prefix(3)) \(phone.dropFirst(3).prefix(4)) \(phone.suffix(4))", "+86 \(phone.prefix(3))-\(phone.dropFirst(3).prefix(4))-\(phone.suffix(4))",
                          "0086 \(phone)", "86-\(phone)"]
            out.append(Row(entity: e, kind: .variant, name: "\(region)市\(trade)\(industry)有限公司", code: credit, phone: phones[0], brand: trade))
            // 0–3 more ways of writing it (about 30% of records end up duplicates).
            for _ in 0..<[0, 0, 0, 1, 1, 2, 3][r.next(7)] {
                let name = switch r.next(6) {
                case 0: "\(trade)\(industry)(\(region))有限公司"
                case 1: "\(trade)\(industry)（\(region)）股份有限公司"
                case 2: "\(region)\(String(trade.map { Self.homophones[$0] ?? $0 }))\(industry)有限公司"
                case 3: "\(String(trade.map { Self.traditional[$0] ?? $0 }))\(industry)(\(region))有限公司"
                case 4: "\(trade)\(region)总部"
                default: "\(TextFold.pinyin(trade)) \(TextFold.pinyin(region)) Co., Ltd."
                }
                out.append(Row(entity: e, kind: .variant, name: name, code: r.next(3) == 0 ? "" : credit, phone: r.next(4) == 0 ? "" : phones[r.next(phones.count)], brand: trade))
            }
            // The hard cases, each for a share of the companies.
            if r.next(8) == 0 {
                // The brand in one or two other cities: other companies.
                for other in Self.regions.filter({ $0 != region }).shuffled(using: &r).prefix(1 + r.next(2)) {
                    let id = newEntity(), own = code()
                    out.append(Row(entity: id, kind: .otherCity, name: "\(other)市\(trade)\(industry)有限公司", code: own, phone: mobile(), brand: trade))
                    if r.next(2) == 0 { out.append(Row(entity: id, kind: .variant, name: "\(trade)\(industry)(\(other))有限公司", code: own, phone: "", brand: trade)) }
                }
            }
            if r.next(12) == 0 {
                let other = Self.industries.filter { $0 != industry }[r.next(Self.industries.count - 1)]
                out.append(Row(entity: newEntity(), kind: .subsidiary, name: "\(region)市\(trade)\(other)有限公司", code: code(), phone: mobile(), brand: trade))
            }
            if r.next(6) == 0 {
                out.append(Row(entity: e, kind: .department, name: "\(trade)-\(["大客户部", "采购部", "销售部"][r.next(3)])", code: "", phone: r.next(2) == 0 ? phones[r.next(phones.count)] : "", brand: trade))
            }
            if r.next(10) == 0 { out.append(Row(entity: e, kind: .brandOnly, name: trade, code: "", phone: "", brand: trade)) }
            if r.next(10) == 0 {
                out.append(Row(entity: newEntity(), kind: .branch, name: "\(region)市\(trade)\(industry)有限公司\(["北京", "上海", "广州"][r.next(3)])分公司", code: code(), phone: "", brand: trade))
            }
        }
        return out
    }

    /// The baseline: records with the same credit code, the same normalised full name, or the same phone are one.
    static func exactKeys(_ rows: [Row]) -> [Int] {
        var parent = Array(rows.indices)
        func root(_ x: Int) -> Int { var x = x; while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }; return x }
        var first: [String: Int] = [:]
        for (i, row) in rows.enumerated() {
            let name = CompanyName(row.name)
            let keys = [row.code.isEmpty ? nil : "code:\(row.code)", "name:\(name.key)|\(name.region ?? "")",
                        row.phone.isEmpty ? nil : "phone:\(PhoneNumber(row.phone).e164 ?? row.phone)"].compactMap { $0 }
            for key in keys {
                if let j = first[key] { parent[root(i)] = root(j) } else { first[key] = i }
            }
        }
        return rows.indices.map(root)
    }

    struct Figures {
        var falseMerged: [Case: Int] = [:], residual: [Case: Int] = [:], falseMergedRows: Set<Int> = []
        var precision = 0.0, recall = 0.0
        var f1: Double { precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall) }
    }

    /// The records not in the cluster that holds most of their entity.
    static func residualRows(_ rows: [Row], cluster: [Int]) -> [Int] {
        var byEntity: [Int: [Int: Int]] = [:]
        for (i, row) in rows.enumerated() { byEntity[row.entity, default: [:]][cluster[i], default: 0] += 1 }
        let main = byEntity.mapValues { counts in counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key }
        return rows.indices.filter { main[rows[$0].entity] != cluster[$0] }
    }

    /// Rows no one could place: a brand or a department with no phone, whose brand (read aloud) several companies
    /// carry — the right answer is "ask a person", a flag for review.
    static func undecidable(_ rows: [Row]) -> Set<Int> {
        var entitiesBySound: [String: Set<Int>] = [:]
        for row in rows { entitiesBySound[TextFold.pinyin(row.brand), default: []].insert(row.entity) }
        return Set(rows.indices.filter {
            [.department, .brandOnly].contains(rows[$0].kind) && rows[$0].phone.isEmpty && entitiesBySound[TextFold.pinyin(rows[$0].brand)]!.count > 1
        })
    }

    /// Per record: falsely merged when its cluster belongs mostly to another entity; residual when it is not in the
    /// cluster that holds most of its entity. Pairwise precision and recall over all pairs of records.
    static func figures(_ rows: [Row], cluster: [Int]) -> Figures {
        var byCluster: [Int: [Int: Int]] = [:], byEntity: [Int: [Int: Int]] = [:]
        for (i, row) in rows.enumerated() {
            byCluster[cluster[i], default: [:]][row.entity, default: 0] += 1
            byEntity[row.entity, default: [:]][cluster[i], default: 0] += 1
        }
        func majority(_ counts: [Int: Int]) -> Int { counts.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }!.key }
        var f = Figures()
        for (i, row) in rows.enumerated() {
            if majority(byCluster[cluster[i]]!) != row.entity { f.falseMerged[row.kind, default: 0] += 1; f.falseMergedRows.insert(i) }
            if majority(byEntity[row.entity]!) != cluster[i] { f.residual[row.kind, default: 0] += 1 }
        }
        func pairs(_ n: Int) -> Double { Double(n * (n - 1) / 2) }
        let truePositives = byCluster.values.reduce(0.0) { $0 + $1.values.reduce(0.0) { $0 + pairs($1) } }
        let predicted = byCluster.values.reduce(0.0) { $0 + pairs($1.values.reduce(0, +)) }
        let actual = byEntity.values.reduce(0.0) { $0 + pairs($1.values.reduce(0, +)) }
        f.precision = predicted == 0 ? 1 : truePositives / predicted
        f.recall = actual == 0 ? 1 : truePositives / actual
        return f
    }

    func run() {
        let rows = rows()
        let engine = Deduplicator(roles: [.company, .region, .creditCode, .phone])
        let start = ContinuousClock.now
        let result = engine.run(rows.map { [$0.name, $0.name, $0.code, $0.phone] })
        let seconds = Stats.seconds(ContinuousClock.now - start)
        let keel = Self.figures(rows, cluster: result.cluster), baseline = Self.figures(rows, cluster: Self.exactKeys(rows))
        let entityCount = Set(rows.map(\.entity)).count
        print(String(format: "chinese companies: %d records of %d entities in %.0f ms; %d rows flagged for review", rows.count, entityCount,
                     seconds * 1000, result.review.filter { $0 }.count))
        print("  case                     records   false-merge (engine / exact keys)   residual duplicates (engine / exact keys)")
        func rate(_ n: Int?) -> String { String(format: "%6.3f%%", 100 * Double(n ?? 0) / Double(rows.count)) }
        for kind in Case.allCases {
            let count = rows.filter { $0.kind == kind }.count
            print("  " + kind.rawValue.padding(toLength: 24, withPad: " ", startingAt: 0) + String(format: "%8d", count)
                  + "   \(rate(keel.falseMerged[kind])) / \(rate(baseline.falseMerged[kind]))             \(rate(keel.residual[kind])) / \(rate(baseline.residual[kind]))")
        }
        let all = { (f: Figures, d: [Case: Int]) in d.values.reduce(0, +) }
        print("  all records             \(String(format: "%8d", rows.count))   \(rate(all(keel, keel.falseMerged))) / \(rate(all(baseline, baseline.falseMerged)))             "
              + "\(rate(all(keel, keel.residual))) / \(rate(all(baseline, baseline.residual)))")
        let residualRows = Set(Self.residualRows(rows, cluster: result.cluster)), undecidable = Self.undecidable(rows)
        let asked = residualRows.filter { undecidable.contains($0) && result.review[$0] }.count
        print(String(format: "  %d rows no one could place (a brand several companies carry, nothing else): %d flagged for review, %d joined rightly, %d joined wrongly",
                     undecidable.count, undecidable.filter { result.review[$0] }.count, undecidable.filter { !residualRows.contains($0) && !result.review[$0] }.count,
                     undecidable.filter { keel.falseMergedRows.contains($0) }.count))
        print(String(format: "  residual duplicates other than those flagged rows: %.3f%% (%d of %d records)",
                     100 * Double(residualRows.count - asked) / Double(rows.count), residualRows.count - asked, rows.count))
        print(String(format: "  pairwise precision / recall / F1: engine %.4f / %.4f / %.4f; exact keys %.4f / %.4f / %.4f (F1 ratio %.2fx)",
                     keel.precision, keel.recall, keel.f1, baseline.precision, baseline.recall, baseline.f1, keel.f1 / max(baseline.f1, 1e-9)))
        if ProcessInfo.processInfo.environment["KEEL_BENCH_VERBOSE"] != nil {
            for i in residualRows.sorted() {
                let mates = rows.indices.filter { rows[$0].entity == rows[i].entity && $0 != i }
                print("   residual\(result.review[i] ? "(review)" : ""): \(rows[i].entity):\(rows[i].name) \(rows[i].code) \(rows[i].phone) | " + mates.prefix(4).map { "\(rows[$0].name) \(rows[$0].code) \(rows[$0].phone)" }.joined(separator: " | "))
            }
            for (i, row) in rows.enumerated() where keel.falseMerged[row.kind] != nil {
                let mates = rows.indices.filter { result.cluster[$0] == result.cluster[i] && rows[$0].entity != row.entity }
                if !mates.isEmpty { print("   merged: \(row.entity):\(row.name) \(row.code) | " + mates.prefix(4).map { "\(rows[$0].entity):\(rows[$0].name) \(rows[$0].code)" }.joined(separator: " | ")) }
            }
        }
    }
}

extension ChineseCompanyBenchmark.Random: RandomNumberGenerator {
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
}
