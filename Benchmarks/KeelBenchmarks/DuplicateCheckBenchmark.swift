import Foundation
import KeelCore
import KeelEngine
import KeelStore

/// The online duplicate check of one new account against many: `POST /{object}/duplicate-check`'s service call
/// (index look-up, candidate fetch, scoring) p50/p99, against reading one account by id in the same run as baseline.
/// Accounts are bulk-inserted with generated Chinese company names, then indexed by the engine (`reindexDuplicates`).
struct DuplicateCheckBenchmark {
    let records: Int
    /// Fewer at a tiny size (the smoke run), 1,000 from 10,000 accounts up.
    var samples: Int { min(1_000, max(50, records / 10)) }

    /// Company n: region + a three-character trade name + industry + legal form, in one of three written forms.
    static func name(_ n: Int) -> String {
        let (trade, region, industry) = CompanyVocabulary.company(n)
        switch n % 3 {
        case 0: return "\(region)市\(trade)\(industry)有限公司"
        case 1: return "\(trade)\(industry)(\(region))有限公司"
        default: return "\(region)\(trade)\(industry)股份有限公司"
        }
    }

    func run(on url: DatabaseURL) async throws {
        let (target, dropSchema) = try await Scratch.database(url, name: "dupcheck")
        let keel = try await Keel.open(target)
        let admin = try await keel.auth.createUser(NewUser(email: "bench@example.com", password: "bench-password", role: .admin), by: nil).principal
        let seeding = try await Stats.time {
            try await Seed.accounts(keel, count: records, columns: ["name", "owner"]) { n in [.string(Self.name(n)), .string(admin.userID)] }
        }
        let indexing = try await Stats.time { try await keel.records.reindexDuplicates() }
        let someID = try await keel.records.list("accounts", params: [("limit", "1")], as: admin).records[0].id
        print("duplicate check (\(keel.database.dialect.rawValue), \(records) accounts seeded in \(String(format: "%.0f", seeding)) s, indexed in \(String(format: "%.0f", indexing)) s, \(samples) samples)")

        var check: [Double] = [], byID: [Double] = []
        var refused = 0
        for i in 0..<samples {
            // Half the new names are another written form of an existing company, half are new companies.
            let n = (i * 7_919) % records
            let variant = i % 2 == 0 ? Self.variant(of: n) : Self.newName(i)
            byID.append(try await Stats.time { _ = try await keel.records.get("accounts", id: someID, as: admin) })
            var blocked = false
            check.append(try await Stats.time {
                blocked = try await keel.records.possibleDuplicates("accounts", ["name": .string(variant)], principal: admin)["blocked"] == true
            })
            if blocked { refused += 1 }
        }
        let p50 = Stats.percentile(check, 0.5), p99 = Stats.percentile(check, 0.99)
        let b50 = Stats.percentile(byID, 0.5), b99 = Stats.percentile(byID, 0.99)
        print("  check one new account: p50 \(Stats.ms(p50)) p99 \(Stats.ms(p99)); read one by id p50 \(Stats.ms(b50)) p99 \(Stats.ms(b99)); ratio p50 \(String(format: "%.2f", p50 / b50))×, p99 \(String(format: "%.2f", p99 / b99))×")
        print("  refused: \(refused) of \(samples / 2) rewritten existing companies (the other \(samples / 2) names are new)")
        await keel.close()
        try await dropSchema?()
    }

    /// A company that is not among the seeded ones: its trade name comes from characters the seeds never use.
    static func newName(_ i: Int) -> String {
        let fresh = Array("甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥")
        let trade = String([fresh[i % fresh.count], fresh[(i / fresh.count) % fresh.count], fresh[(i / (fresh.count * fresh.count)) % fresh.count]])
        let regions = CompanyVocabulary.regions, industries = CompanyVocabulary.industries
        return "\(regions[i % regions.count])市\(trade)\(industries[i % industries.count])有限公司"
    }

    /// Company n written in another of the three forms (region moved into or out of parentheses, legal form changed).
    static func variant(of n: Int) -> String {
        let (trade, region, industry) = CompanyVocabulary.company(n)
        return n % 3 == 1 ? "\(region)\(trade)\(industry)有限公司" : "\(trade)\(industry)（\(region)）有限公司"
    }
}

/// What generated Chinese company names are made of, shared by the duplicate-check and Chinese-company benchmarks.
enum CompanyVocabulary {
    static let regions = ["深圳", "上海", "北京", "杭州", "广州", "成都", "武汉", "南京", "苏州", "西安", "宁波", "青岛"]
    static let chars = Array("华泰安信达通瑞康源恒盛兴隆嘉禾丰美宏远博创新科星海天成润德鑫鼎腾飞宇航金银明阳光辉东方正和睿智")
    static let industries = ["科技", "贸易", "医疗器械", "电子", "信息技术", "生物科技", "机械", "物流", "软件"]

    /// Company n's trade name (three characters), region and industry, spread over every combination.
    static func company(_ n: Int) -> (trade: String, region: String, industry: String) {
        let c = chars.count
        return (String([chars[n % c], chars[(n / c) % c], chars[(n / (c * c)) % c]]), regions[(n / 7) % regions.count], industries[(n / 13) % industries.count])
    }
}
