import Foundation
@testable import KeelMatching
import Testing

/// People are told apart: the online duplicate check on a generated Chinese people set where namesakes are frequent
/// (issue 15). A "create" is checked against every earlier record that shares an index key, as the record service does.
@Suite struct PeopleIdentityTests {
    /// The person fields of contacts, as the record service reads them.
    static let matcher = IdentityMatcher(fields: [
        .init("name", .name), .init("id_number", .idNumber), .init("mobile", .phone), .init("email", .email), .init("account", .employer),
    ])

    @Test func aNamesakeWithASimilarAddressElsewhereIsNotBlocked() {
        let m = Self.matcher
        let existing = ["name": "曹娜", "mobile": "13912345678", "email": "caona@163.com", "account": "acc-1"]
        // Another 曹娜, her own mobile, the same name part at another provider: at most a warning.
        let other = m.score(existing, ["name": "曹娜", "mobile": "13687654321", "email": "caona@qq.com", "account": "acc-2"])
        #expect(other.probability < m.warn, "\(other.probability)")
        // Without a mobile, a typo in the address at the same provider: a warning, not a block.
        let typo = m.score(existing, ["name": "曹娜", "email": "caoan@163.com"])
        #expect(typo.probability >= m.warn && typo.probability < m.block, "\(typo.probability)")
        // The same mobile is the same person, whatever else changed.
        let moved = m.score(existing, ["name": "曹娜", "mobile": "139 1234 5678", "account": "acc-9"])
        #expect(moved.probability >= m.block)
    }

    @Test func onAGeneratedPeopleSetBlocksArePreciseAndDuplicatesAreCaught() {
        var generator = PeopleGenerator(seed: 2026)
        let records = generator.records(people: 4_000, duplicateShare: 0.25)
        let m = Self.matcher
        var index: [String: [Int]] = [:]
        var prepared: [[PreparedValue]] = []
        var (blocked, blockedRight, duplicates, caught, namesakePairs) = (0, 0, 0, 0, 0)
        for (i, record) in records.enumerated() {
            let p = m.prepared(record.values)
            let keys = m.keys(prepared: p)
            let candidates = Set(keys.flatMap { index[$0] ?? [] })
            var best = 0.0, sameScore = 0.0
            for j in candidates {
                let score = m.score(p, prepared[j]).probability
                best = max(best, score)
                if records[j].person == record.person { sameScore = max(sameScore, score) }
                if records[j].person != record.person, records[j].values["name"] == record.values["name"] { namesakePairs += 1 }
            }
            // A refused create is right when the person was indeed there already.
            if best >= m.block {
                blocked += 1
                if sameScore >= m.block { blockedRight += 1 }
            }
            if record.isDuplicate {
                duplicates += 1
                if sameScore >= m.warn { caught += 1 }
            }
            prepared.append(p)
            for key in keys { index[key, default: []].append(i) }
        }
        let precision = Double(blockedRight) / Double(max(blocked, 1))
        let recall = Double(caught) / Double(max(duplicates, 1))
        print("people: \(records.count) records, \(duplicates) true duplicates, \(namesakePairs) namesake pairs; blocked \(blocked), "
              + "block precision \(String(format: "%.4f", precision)); duplicates refused or warned \(String(format: "%.4f", recall))")
        #expect(namesakePairs > 1_000, "namesakes must be frequent for the measure to mean anything")
        #expect(precision >= 0.99)
        #expect(recall >= 0.95)
    }
}

/// Chinese people as a CRM holds them: surnames and given names drawn with realistic frequency (王, 李, 张 lead; 伟,
/// 芳, 娜 are the commonest given names), so namesakes are frequent; mobiles, e-mails at common providers or the
/// employer's domain, and employers. A share of people is entered twice: with or without the mobile, after a change
/// of employer, with a typo in the e-mail.
struct PeopleGenerator {
    struct Entry {
        var person: Int
        var values: [String: String]
        var isDuplicate: Bool
    }

    var rng: SplitMix

    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    static let surnames: [(String, Double)] = [
        ("王", 7.1), ("李", 7.0), ("张", 6.7), ("刘", 5.4), ("陈", 4.5), ("杨", 3.1), ("黄", 2.2), ("赵", 2.0), ("吴", 2.0), ("周", 1.9),
        ("徐", 1.7), ("孙", 1.5), ("马", 1.3), ("朱", 1.3), ("胡", 1.3), ("郭", 1.2), ("何", 1.2), ("高", 1.1), ("林", 1.1), ("罗", 0.9),
        ("郑", 0.9), ("梁", 0.8), ("谢", 0.7), ("宋", 0.7), ("唐", 0.6), ("许", 0.6), ("韩", 0.6), ("冯", 0.6), ("邓", 0.5), ("曹", 0.5),
    ]
    static let given: [(String, Double)] = [
        ("伟", 6), ("芳", 5), ("娜", 5), ("敏", 4.5), ("静", 4.5), ("丽", 4), ("强", 4), ("磊", 3.5), ("军", 3.5), ("洋", 3.5),
        ("勇", 3), ("艳", 3), ("杰", 3), ("娟", 2.8), ("涛", 2.8), ("明", 2.6), ("超", 2.6), ("秀英", 2.4), ("霞", 2.4), ("平", 2.2),
        ("刚", 2.2), ("桂英", 2), ("建华", 1.5), ("晓燕", 1.5), ("志强", 1.4), ("海燕", 1.3), ("文博", 1), ("子涵", 1), ("雨萱", 1), ("浩然", 1),
        ("思远", 0.8), ("嘉怡", 0.8), ("俊杰", 0.8), ("欣怡", 0.8), ("梓轩", 0.7), ("一诺", 0.7), ("宇航", 0.6), ("诗涵", 0.6), ("晨曦", 0.5), ("锦程", 0.5),
    ]
    static let providers = ["163.com", "qq.com", "126.com", "sina.com", "gmail.com", "foxmail.com"]
    static let segments = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "155", "158", "159", "176", "177", "180",
                           "181", "186", "187", "188", "189", "199"]

    mutating func pick(_ table: [(String, Double)]) -> String {
        var r = rng.unit() * table.reduce(0) { $0 + $1.1 }
        for (value, weight) in table {
            r -= weight
            if r <= 0 { return value }
        }
        return table[table.count - 1].0
    }

    mutating func mobile() -> String {
        Self.segments[rng.below(Self.segments.count)] + String(format: "%08d", rng.below(100_000_000))
    }

    mutating func typo(_ local: String) -> String {
        var chars = Array(local)
        let i = rng.below(chars.count)
        switch rng.below(3) {
        case 0: chars.remove(at: i)
        case 1 where i + 1 < chars.count: chars.swapAt(i, i + 1)
        default: chars.insert(Character(String(UnicodeScalar(UInt8(97 + rng.below(26))))), at: i)
        }
        return String(chars)
    }

    mutating func records(people: Int, duplicateShare: Double) -> [Entry] {
        var out: [Entry] = []
        var taken: Set<String> = []  // an address is one person's: namesakes get wangwei2@…
        for person in 0..<people {
            let name = pick(Self.surnames) + pick(Self.given)
            let pinyin = TextFold.pinyin(name).replacingOccurrences(of: " ", with: "")
            let employer = "acc-\(rng.below(400))"
            var local = pinyin + (rng.unit() < 0.6 ? String(rng.below(1000)) : "")
            let domain = rng.unit() < 0.7 ? Self.providers[rng.below(Self.providers.count)] : "\(employer).cn"
            while taken.contains("\(local)@\(domain)") { local += String(rng.below(10)) }
            taken.insert("\(local)@\(domain)")
            var values = ["name": name, "account": employer]
            if rng.unit() < 0.85 { values["mobile"] = mobile() }
            if rng.unit() < 0.75 { values["email"] = "\(local)@\(domain)" }
            out.append(Entry(person: person, values: values, isDuplicate: false))
            guard rng.unit() < duplicateShare, values["mobile"] != nil || values["email"] != nil else { continue }
            // The same person entered again, as people do.
            var again = ["name": name]
            switch rng.below(4) {
            case 0:  // the mobile only, written another way
                if let m = values["mobile"] { again["mobile"] = String(m.prefix(3)) + " " + String(m.dropFirst(3).prefix(4)) + " " + String(m.suffix(4)) } else { again["email"] = values["email"] }
            case 1:  // moved to another employer, kept the mobile (or the private e-mail)
                again["account"] = "acc-\(rng.below(400))"
                if let m = values["mobile"] { again["mobile"] = m } else { again["email"] = values["email"] }
            case 2:  // the e-mail with a typo, same employer, no mobile
                if let e = values["email"], let at = e.firstIndex(of: "@") {
                    again["email"] = typo(String(e[..<at])) + String(e[at...])
                    again["account"] = employer
                } else { again["mobile"] = values["mobile"] }
            default:  // everything again, the e-mail upper-cased
                again = values
                again["email"] = values["email"]?.uppercased()
            }
            out.append(Entry(person: person, values: again, isDuplicate: true))
        }
        return out
    }
}

/// A small, seeded generator (SplitMix64): the same data on every machine.
struct SplitMix {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}
