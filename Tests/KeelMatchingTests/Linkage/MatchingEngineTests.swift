import KeelMatching
import Testing

/// The matching engine: company names as Chinese SMEs write them, field roles, agreement levels, Fellegi-Sunter
/// weights learned without labels, blocking and clustering.
@Suite struct MatchingEngineTests {
    func company(_ text: String, aliases: AliasTable = .standard) -> PreparedValue { PreparedValue(text, role: .company, aliases: aliases) }

    @Test func oneCustomerWrittenFourWaysComparesAsOne() {
        let written = ["腾讯科技(深圳)", "腾讯深圳总部", "Tecent Shenzhen", "腾讯-大客户部", "Tencent Technology (Shenzhen) Co., Ltd."]
        let values = written.map { company($0) }
        for a in values {
            for b in values { #expect(FieldRole.company.compare(a, b) != .disagree, "\(a.text) vs \(b.text)") }
        }
        #expect(company("Tencent Technology (Shenzhen) Co., Ltd.").text == "腾讯科技")
        #expect(company("Tecent Shenzhen").text == "腾讯")
        // A different company stays different.
        #expect(FieldRole.company.compare(company("腾讯科技(深圳)"), company("百度在线网络技术(北京)有限公司")) == .disagree)
    }

    @Test func registeredNamesWithTheRegionMovedAreTheSame() {
        #expect(FieldRole.company.compare(company("深圳市腾讯科技有限公司"), company("腾讯科技（深圳）有限公司")) == .exact)
        #expect(FieldRole.company.compare(company("騰訊科技(深圳)有限公司"), company("深圳腾讯科技有限公司")) == .exact)
        #expect(FieldRole.company.compare(company("宁波海天塑机集团有限公司"), company("海天塑机集团(宁波)有限公司")) == .exact)
    }

    @Test func aBranchIsNeverTheSameAsItsHeadOffice() {
        let head = company("腾讯科技(深圳)有限公司"), branch = company("腾讯科技(深圳)有限公司北京分公司")
        #expect(FieldRole.company.compare(head, branch) == .disagree)
        #expect(FieldRole.company.compare(branch, company("腾讯科技(深圳)有限公司上海分公司")) == .disagree)
        #expect(FieldRole.company.compare(branch, company("腾讯科技（深圳）有限公司北京分公司")) == .exact)
    }

    @Test func anOrganisationsOwnAliasesApply() {
        let table = AliasTable([["迈瑞医疗", "mindray medical"], ["云智科技", "cloudwise"]])
        #expect(company("Cloudwise", aliases: table).text == "云智科技")
        #expect(company("Cloudwize", aliases: table).text == "云智科技")       // one letter off
        #expect(company("yunzhikeji", aliases: table).text == "云智科技")      // the pinyin
        #expect(company("Cloudwise", aliases: .standard).text == "cloudwise")  // not in the standard table
        #expect(company("Cloud", aliases: table).text == "cloud")              // too short to be read as a typo
    }

    @Test func headersSuggestRoles() {
        let expected: [(String, FieldRole?)] = [
            ("given_name", .givenName), ("Surname", .surname), ("date_of_birth", .date), ("soc_sec_id", .idNumber),
            ("company_name", .company), ("客户名称", .company), ("手机", .phone), ("E-mail", .email), ("统一社会信用代码", .creditCode),
            ("postcode", .postcode), ("suburb", .city), ("address_1", .address), ("姓名", .name), ("notes", nil),
        ]
        for (header, role) in expected { #expect(FieldRole.detect(header: header) == role, "\(header)") }
    }

    @Test func agreementLevelsPerRole() {
        func compare(_ role: FieldRole, _ a: String, _ b: String) -> Agreement {
            role.compare(PreparedValue(a, role: role), PreparedValue(b, role: role))
        }
        #expect(compare(.phone, "+86 138 1234 1234", "13812341234") == .exact)
        #expect(compare(.phone, "021-65871234", "(021) 6587 1234") == .exact)
        #expect(compare(.phone, "13812341234", "13812341243") == .similar)   // two digits swapped
        #expect(compare(.phone, "13812341234", "13999990000") == .disagree)
        #expect(compare(.date, "19810312", "19811203") == .similar)          // day and month swapped
        #expect(compare(.date, "19810312", "19810313") == .similar)
        #expect(compare(.date, "19810312", "19900101") == .disagree)
        #expect(compare(.idNumber, "6988048", "6988084") == .similar)
        #expect(compare(.idNumber, "6988048", "1234567") == .disagree)
        #expect(compare(.surname, "Waller", "waler") == .similar)
        #expect(compare(.name, "张伟", "Zhang Wei") == .similar)             // the same name in pinyin
        #expect(compare(.email, "Li.Na@Example.COM", "li.na@example.com") == .exact)
        #expect(compare(.surname, "", "waller") == .missing)
    }

    @Test func expectationMaximisationRecoversTheModelThatMadeThePairs() {
        // 20,000 pairs drawn (in exact expectation) from a known model with independent fields; EM, started from the
        // generic guess, must find it again.
        let truth = FellegiSunter(m: [[0.05, 0.15, 0.80], [0.10, 0.10, 0.80], [0.20, 0.20, 0.60]],
                                  u: [[0.90, 0.08, 0.02], [0.85, 0.10, 0.05], [0.50, 0.20, 0.30]], prior: 0.1)
        var patterns: [[Agreement]: Int] = [:]
        let levels: [Agreement] = [.disagree, .similar, .exact]
        for a in 0..<3 { for b in 0..<3 { for c in 0..<3 {
            let m = truth.m[0][a] * truth.m[1][b] * truth.m[2][c], u = truth.u[0][a] * truth.u[1][b] * truth.u[2][c]
            patterns[[levels[a], levels[b], levels[c]]] = Int((20_000 * (truth.prior * m + (1 - truth.prior) * u)).rounded())
        } } }
        let model = FellegiSunter.train(patterns, start: .initial(roles: [.text, .text, .text]), iterations: 1_000)
        #expect(abs(model.prior - 0.1) < 0.005)
        for f in 0..<3 {
            for l in 0..<3 {
                #expect(abs(model.m[f][l] - truth.m[f][l]) < 0.02, "m[\(f)][\(l)]")
                #expect(abs(model.u[f][l] - truth.u[f][l]) < 0.02, "u[\(f)][\(l)]")
            }
        }
        #expect(model.probability([.exact, .exact, .exact]) > 0.99)
        #expect(model.probability([.disagree, .disagree, .disagree]) < 0.001)
        #expect(abs(model.probability([.missing, .missing, .missing]) - model.prior) < 1e-12)   // missing says nothing
    }

    @Test func thresholdsDecide() {
        let t = MatchThresholds(autoMerge: 0.95, review: 0.6)
        #expect(t.decide(0.97) == .merge)
        #expect(t.decide(0.95) == .merge)
        #expect(t.decide(0.7) == .review)
        #expect(t.decide(0.2) == .distinct)
    }

    @Test func deduplicatorClustersAPeopleList() {
        let roles: [FieldRole] = [.givenName, .surname, .date, .postcode, .idNumber]
        var rows: [[String]] = []
        var entity: [Int] = []
        let first = ["lachlan", "jessica", "oliver", "charlotte", "noah", "ava", "william", "mia", "jack", "grace", "thomas", "chloe"]
        let last = ["berry", "waller", "nguyen", "smith", "jones", "brown", "wilson", "taylor", "white", "martin", "clarke", "young"]
        for i in 0..<120 {
            let given = first[i % 12], surname = last[(i / 12 + i) % 12]
            let row = [given, surname, "19\(50 + i % 40)0\(1 + i % 9)1\(i % 10)", "\(2000 + i * 7)", "\(7_000_000 + i * 7_919)"]
            rows.append(row)
            entity.append(i)
            if i % 3 == 0 {   // a duplicate with a typo in the surname and a missing postcode
                rows.append([given, String(surname.dropLast()), row[2], "", row[4]])
                entity.append(i)
            }
            if i % 10 == 0 {  // and one with the wrong day of birth and two digits of the id swapped
                var id = Array(row[4]); id.swapAt(2, 3)
                rows.append([given, surname, String(row[2].prefix(6)) + "99", row[3], String(id)])
                entity.append(i)
            }
        }
        let result = Deduplicator(roles: roles).run(rows)
        for i in rows.indices {
            for j in rows.indices where j > i {
                #expect((result.cluster[i] == result.cluster[j]) == (entity[i] == entity[j]), "\(rows[i]) / \(rows[j])")
            }
        }
        let duplicated = entity.filter { e in entity.filter { $0 == e }.count > 1 }.count
        #expect(result.score.filter { $0 > 0 }.count == duplicated)
        #expect(result.cluster.indices.allSatisfy { result.cluster[$0] <= $0 })
    }

    @Test func aNameWithoutItsRegionDoesNotChainTwoCompaniesTogether() {
        let rows = [["青岛市隆美达机械有限公司"], ["隆美达机械有限公司"], ["广州市隆美达机械有限公司"], ["隆美达机械(青岛)有限公司"]]
        let result = Deduplicator(roles: [.company]).run(rows)
        #expect(result.cluster[0] == result.cluster[3])
        #expect(result.cluster[0] != result.cluster[2])
        #expect(result.cluster[1] == result.cluster[0] || result.cluster[1] == result.cluster[2])
    }

    @Test func sortedNeighbourhoodFindsPairsWhoseKeysAllHaveTypos() {
        let roles: [FieldRole] = [.givenName, .surname, .date]
        let rows = [["katherine", "worthington", "19700101"], ["catherine", "worthingten", "19700110"]]
            + (0..<50).map { ["person\($0)", "family\($0)", "1980\(10 + $0 % 3)01"] }
        let prepared = Deduplicator(roles: roles).prepare(rows)
        let pairs = Blocking(roles: roles).pairs(prepared)
        #expect(pairs.contains { $0 == (0, 1) })
    }
}

extension MatchingEngineTests {
    @Test func theSameTradeNameInAnotherRegionIsOnlySimilar() {
        #expect(FieldRole.company.compare(company("华强科技(深圳)有限公司"), company("北京华强科技有限公司")) == .similar)
        #expect(FieldRole.company.compare(company("华强科技(深圳)有限公司"), company("华强科技有限公司")) == .exact)
        #expect(FieldRole.company.compare(company("Tencent Technology (Shenzhen)"), company("深圳市腾讯科技有限公司")) == .exact)
    }
}

/// The online duplicate check's scores: what is refused, what is only shown, and why.
@Suite struct IdentityMatcherTests {
    let accounts = IdentityMatcher(fields: [.init("name", .company), .init("name", .region), .init("credit_code", .creditCode)])
    let people = IdentityMatcher(fields: [.init("name", .name), .init("mobile", .phone), .init("email", .email)])

    func score(_ m: IdentityMatcher, _ a: [String: String], _ b: [String: String]) -> Double { m.score(a, b).probability }

    @Test func companiesWrittenAnotherWayAreRefused() {
        let existing = ["name": "深圳市腾讯科技有限公司"]
        for written in ["腾讯科技（深圳）有限公司", "Tecent Shenzhen", "腾讯-大客户部", "腾讯深圳总部"] {
            #expect(score(accounts, existing, ["name": written]) >= accounts.block, "\(written)")
        }
        // The same trade name in another region: shown, not refused. Another company: neither.
        let elsewhere = score(accounts, ["name": "华强科技(深圳)有限公司"], ["name": "北京华强科技有限公司"])
        #expect(elsewhere >= accounts.warn && elsewhere < accounts.block)
        #expect(score(accounts, existing, ["name": "百度在线网络技术(北京)有限公司"]) < accounts.warn)
        // The credit code outweighs a different name; different codes outweigh the same name.
        #expect(score(accounts, ["name": "甲公司", "credit_code": "91110000600037341L"], ["name": "乙公司", "credit_code": "91110000600037341L"]) >= accounts.block)
        #expect(score(accounts, ["name": "甲科技有限公司", "credit_code": "91110000600037341L"], ["name": "甲科技有限公司", "credit_code": "9144030071526726XG"]) < accounts.block)
    }

    @Test func aCommonNameAloneIsNotEnough() {
        let zhang = ["name": "张伟", "mobile": "13812341234"]
        let sameName = score(people, zhang, ["name": "张伟", "mobile": "13900001111"])
        #expect(sameName < people.block)
        #expect(score(people, zhang, ["name": "张伟"]) < people.block)
        #expect(score(people, zhang, ["name": "张伟", "mobile": "+86 138-1234-1234"]) >= people.block)
        #expect(score(people, zhang, ["name": "Zhang Wei", "email": "x@example.com", "mobile": "138 1234 1234"]) >= people.block)
        let reasons = people.score(zhang, ["name": "张伟", "mobile": "+86 138-1234-1234"]).reasons
        #expect(reasons.map(\.field) == ["mobile", "name"])
        #expect(reasons.map(\.agreement) == [.exact, .exact])
    }

    @Test func keysMeetOnTradeNameAndSound() {
        let keys = accounts.keys(["name": "深圳市华大基因科技有限公司"])
        #expect(!keys.isDisjoint(with: accounts.keys(["name": "华大基因股份有限公司"])))     // the trade name
        #expect(!keys.isDisjoint(with: accounts.keys(["name": "华大机因科技有限公司"])))     // a homophone typo
        #expect(keys.isDisjoint(with: accounts.keys(["name": "百度在线网络技术(北京)有限公司"])))
        #expect(score(accounts, ["name": "深圳市华大基因科技有限公司"], ["name": "华大机因科技有限公司"]) >= accounts.warn)
        // One character apart in Chinese is usually another company; numbers always are.
        #expect(score(accounts, ["name": "华为技术有限公司"], ["name": "华美技术有限公司"]) < accounts.warn)
        #expect(score(accounts, ["name": "第一人民医院"], ["name": "第二人民医院"]) < accounts.warn)
        #expect(score(accounts, ["name": "医院1"], ["name": "医院2"]) < accounts.warn)
    }
}
