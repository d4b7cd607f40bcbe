import KeelMatching
import Testing

/// Clusters never chain two entities through weak links (issue 15): rows with different credit codes or ID numbers
/// stay apart whatever links them, and a row with little evidence joins only the entity it matches best.
@Suite struct ClusterIntegrityTests {
    static func code(_ body: String) -> String { body + String(CreditCode.checkCharacter(for: body)!) }

    @Test func aBrandAndDepartmentRowJoinsOneCompanyAndIsFlagged() {
        let beijing = Self.code("91110108MA01ABCDE"), suzhou = Self.code("91320594MA1NXYTWQ")
        let rows = [
            ["北京远航科技有限公司", "北京远航科技有限公司", beijing, "010-62671188"],
            ["远航科技(北京)有限公司", "远航科技(北京)有限公司", beijing, ""],
            ["苏州远航科技有限公司", "苏州远航科技有限公司", suzhou, "0512-62881234"],
            ["远航科技(苏州)有限公司", "远航科技(苏州)有限公司", "", "0512-62881234"],
            ["远航-大客户部", "远航-大客户部", "", ""],
        ]
        let result = Deduplicator(roles: [.company, .region, .creditCode, .phone]).run(rows)
        #expect(result.cluster[0] == result.cluster[1] && result.cluster[2] == result.cluster[3], "\(result.cluster)")
        #expect(result.cluster[0] != result.cluster[2], "Beijing and Suzhou, two credit codes: never one cluster")
        // The brand-plus-department row is in at most one of them, and a person is asked.
        #expect([result.cluster[0], result.cluster[2], 4].contains(result.cluster[4]))
        #expect(result.review[4] || result.cluster[4] == 4)
    }

    @Test func differentCreditCodesOrIdNumbersNeverShareACluster() {
        let a = Self.code("91440300MA5F0000A"), b = Self.code("91440300MA5F0000B")
        // The same name and phone, two registered companies: apart, however much else agrees.
        let companies = Deduplicator(roles: [.company, .creditCode, .phone]).run([
            ["深圳市华强科技有限公司", a, "0755-83218888"], ["深圳市华强科技有限公司", b, "0755-83218888"], ["华强科技(深圳)有限公司", "", "0755-83218888"],
        ])
        #expect(companies.cluster[0] != companies.cluster[1], "\(companies.cluster)")
        let people = Deduplicator(roles: [.name, .idNumber, .phone]).run([
            ["王伟", "11010519491231002X", "13812345678"], ["王伟", "110105194912310038", "13812345678"], ["王伟", "", "13812345678"],
        ])
        #expect(people.cluster[0] != people.cluster[1], "\(people.cluster)")
    }
}
