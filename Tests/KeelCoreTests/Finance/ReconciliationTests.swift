import Foundation
import KeelCore
import Testing

@Suite struct ReconciliationTests {
    /// A company of 400 contracts whose ERP mirrors them exactly, then discrepancies of every class injected into
    /// contracts picked at random: every injected difference is a line of its class, and there is no other line.
    @Test(arguments: [1, 2, 3])
    func everyInjectedDifferenceIsOneLineAndNothingElseIs(_ seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        func fen(_ range: ClosedRange<Int>) -> Decimal { Decimal(Int.random(in: range, using: &rng)) / 100 }
        func day(_ month: Int, _ d: Int) -> String { String(format: "2026-%02d-%02d", month, d) }
        var contracts: [Reconciliation.Contract] = [], entries: [ERPEntry] = []
        for i in 0..<400 {
            let month = Int.random(in: 1...10, using: &rng), signed = day(month, Int.random(in: 1...28, using: &rng))
            let net = fen(100_00...5_000_000_00), tax = (net * Decimal(string: "0.13")!).rounded(2, .halfUp)
            let discounted = i % 3 == 0
            let undiscounted = discounted ? ((net + tax) * Decimal(string: "1.25")!).rounded(2, .halfUp) : nil
            // One to three payments adding up to the total, the first in the month signed.
            var left = net + tax, payments: [Reconciliation.Payment] = []
            for k in 0..<Int.random(in: 1...3, using: &rng) where left > 0 {
                let amount = k == 2 ? left : (left * Decimal(Int.random(in: 3...7, using: &rng)) / 10).rounded(2, .halfUp)
                payments.append(.init(id: "p\(i)-\(k)", amount: amount, day: day(min(12, month + k), Int.random(in: 1...28, using: &rng))))
                left -= amount
            }
            if left > 0 { payments.append(.init(id: "p\(i)-9", amount: left, day: day(12, 20))) }
            let c = Reconciliation.Contract(id: "c\(i)", number: String(format: "HT-2026-%04d", i), owner: "u\(i % 7)", signedDay: signed,
                                            totalExclTax: net, totalTax: tax, undiscountedInclTax: undiscounted, payments: payments)
            contracts.append(c)
            // The ERP as it should be: the receivable in the month signed, each receipt the day paid (or another day that month).
            entries.append(ERPEntry(source: "kingdee", kind: .receivable, document: "AR\(i)", contractNumber: c.number, day: signed, amount: net + tax, tax: tax))
            for (k, p) in payments.enumerated() {
                let shifted = k == 1 ? String(p.day.prefix(8)) + "28" : p.day
                entries.append(ERPEntry(source: "kingdee", kind: .receipt, document: "SK\(i)-\(k)", contractNumber: c.number, day: shifted, amount: p.amount))
            }
            entries.append(ERPEntry(source: "kingdee", kind: .cost, document: "CB\(i)", contractNumber: c.number, day: signed, amount: net / 2))
        }
        #expect(Reconciliation.lines(contracts, entries).isEmpty)

        // Inject: each contract at most once; remember the line each should give.
        var picked = Array(contracts.indices).shuffled(using: &rng)[...]
        var expected: [String] = []
        func receivable(_ c: Reconciliation.Contract) -> Int { entries.firstIndex { $0.kind == .receivable && $0.contractNumber == c.number }! }
        func receipt(_ c: Reconciliation.Contract) -> Int { entries.firstIndex { $0.kind == .receipt && $0.contractNumber == c.number }! }
        func next(_ month: String) -> String { let m = Int(month.dropFirst(5).prefix(2))!; return day(m + 1, 15) }
        for _ in 0..<5 {
            var c = contracts[picked.popFirst()!]
            entries[receivable(c)].day = next(c.signedDay)
            expected.append("\(c.number) receivable timing")
            c = contracts[picked.popFirst()!]
            let r = receipt(c)
            entries[r].day = next(entries[r].day)
            expected.append("\(c.number) receipt timing")
            c = contracts[picked.popFirst()!]
            entries.remove(at: receivable(c))
            expected.append("\(c.number) receivable missing_in_erp")
            c = contracts[picked.popFirst()!]
            entries.remove(at: receipt(c))
            expected.append("\(c.number) receipt missing_in_erp")
            c = contracts[picked.popFirst()!]
            entries.append(ERPEntry(source: "kingdee", kind: .receipt, document: "SKX-\(c.number)", contractNumber: c.number, day: c.signedDay, amount: fen(1...99)))
            expected.append("\(c.number) receipt missing_in_crm")
            entries.append(ERPEntry(source: "kingdee", kind: .receivable, document: "ARX-\(c.number)", contractNumber: "HT-OLD-\(c.number)", day: c.signedDay, amount: 100))
            expected.append("HT-OLD-\(c.number) receivable missing_in_crm")
            c = contracts[picked.popFirst()!]
            entries[receivable(c)].amount += 100
            expected.append("\(c.number) receivable amount")
            c = contracts[picked.popFirst()!]
            entries[receipt(c)].amount -= Decimal(string: "0.01")!
            expected.append("\(c.number) receipt amount")
            c = contracts[picked.popFirst()!]
            entries[receivable(c)].amount += 5
            entries[receivable(c)].tax += 5
            expected.append("\(c.number) receivable tax")
            c = contracts[picked.first { contracts[$0].undiscountedInclTax != contracts[$0].totalInclTax }!]
            picked.removeAll { contracts[$0].number == c.number }
            entries[receivable(c)].amount = c.undiscountedInclTax
            expected.append("\(c.number) receivable discount")
            c = contracts[picked.popFirst()!]
            entries[receivable(c)].currency = "USD"
            expected.append("\(c.number) receivable currency")
            c = contracts[picked.popFirst()!]
            entries[receipt(c)].currency = "HKD"
            expected.append("\(c.number) receipt currency")
        }
        let lines = Reconciliation.lines(contracts, entries)
        let found = lines.map { "\($0.contractNumber ?? "-") \($0.kind.rawValue) \($0.difference.rawValue)" }
        #expect(found.sorted() == expected.sorted())
        #expect(Set(lines.map(\.difference)) == Set(Reconciliation.Difference.allCases))
        // A line the CRM has is its contract owner's to clear; one only the ERP has is finance's.
        #expect(lines.allSatisfy { ($0.owner == nil) == ($0.contract == nil) })
        // A receipt booked in another currency is not also missing in the CRM: the payment it was for is.
        #expect(lines.filter { $0.difference == .currency && $0.kind == .receipt }.allSatisfy { $0.erpAmount != nil })
    }

    @Test func revenuePerMonthAndWhatFinanceConfirmed() {
        let contracts = [
            Reconciliation.Contract(id: "a", number: "HT-1", owner: "u", signedDay: "2026-10-08", totalExclTax: 1000, totalTax: 130),
            Reconciliation.Contract(id: "b", number: "HT-2", owner: "u", signedDay: "2026-11-20", totalExclTax: 2000, totalTax: 260),
        ]
        let entries = [
            ERPEntry(source: "csv", kind: .receivable, document: "AR1", contractNumber: "HT-1", day: "2026-10-09", amount: 1130, tax: 130),
            ERPEntry(source: "csv", kind: .receivable, document: "AR2", contractNumber: "HT-2", day: "2026-12-01", amount: 1130, tax: 130),
            ERPEntry(source: "csv", kind: .receivable, document: "AR3", contractNumber: "HT-2", day: "2026-12-02", amount: 1130, tax: 130),
            ERPEntry(source: "csv", kind: .receivable, document: "AR4", contractNumber: "HT-2", day: "2026-12-02", amount: 10, tax: 0, currency: "USD"),
        ]
        let periods = Reconciliation.periods(contracts, entries)
        #expect(periods.map(\.period) == ["2026-10", "2026-11", "2026-12"])
        #expect(periods.map(\.crm) == [1000, 2000, 0] && periods.map(\.erp) == [1000, 0, 2010])
        #expect(periods[0].deviation == 0 && periods[1].deviation == nil)
        // Only receivables in the contract's own currency confirm its revenue.
        #expect(Reconciliation.confirmed(contracts, entries) == ["HT-1": 1000, "HT-2": 2000])
    }

    @Test func anERPFileIsReadWholeOrRefusedWithEveryProblem() throws {
        let good = "单据编号,合同编号,业务日期,价税合计,税额,币别\nAR-001,HT-1,2026/11/3,\"1,130.00\",130,CNY\nAR-002,,2026-11-04,￥80,0,\n"
        for bytes in [Array(good.utf8), ImportFileTests.gbk(good)] {
            let entries = try ERPEntryFile.parse(bytes, kind: .receivable)
            #expect(entries.map(\.document) == ["AR-001", "AR-002"] && entries.map(\.day) == ["2026-11-03", "2026-11-04"])
            #expect(entries[0].amount == 1130 && entries[0].net == 1000 && entries[1].contractNumber == nil && entries[1].currency == "CNY")
        }
        let bad = "单据编号,合同编号,业务日期,价税合计,税额,单据类型\nAR-001,HT-1,2026-02-30,abc,0,应收单\nAR-001,HT-1,2026-11-03,10,20,应收单\nAR-003,HT-1,2026-11-03,10.005,0,发票\n"
        do {
            _ = try ERPEntryFile.parse(Array(bad.utf8), kind: nil)
            Issue.record("a bad file was read")
        } catch {
            #expect(Set(error.violations.map { "\($0.field) \($0.code)" }) == [
                "rows[2].day invalid_format", "rows[2].amount invalid_amount", "rows[3].tax invalid_amount",
                "rows[4].kind invalid_option", "rows[4].amount invalid_amount",
            ])
        }
        for (text, code) in [("", "empty"), ("单据编号,业务日期,价税合计\n", "no_rows"), ("单据编号,价税合计\nA,1\n", "missing_columns"),
                             ("单据编号,单据号,业务日期,价税合计\nA,B,2026-01-01,1\n", "duplicate_header")] {
            #expect(throws: KeelError.self) { try ERPEntryFile.parse(Array(text.utf8), kind: .receipt) }
            do { _ = try ERPEntryFile.parse(Array(text.utf8), kind: .receipt) } catch { #expect(error.violations.map(\.code) == [code]) }
        }
        #expect(throws: KeelError.self) { try ERPEntryFile.parse([0x41, 0xFF, 0xFE, 0x0A], kind: .receipt) }
    }
}
