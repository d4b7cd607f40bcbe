import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct ReconciliationsTests {
    /// A signed contract (numbered by Keel) with one payment.
    static func signedContract(_ keel: Keel, _ admin: Principal) async throws -> (contract: Record, net: Decimal, tax: Decimal) {
        let ctx = WriteContext(principal: admin, source: .api)
        let (quote, _) = try await ContractsTests.wonQuote(keel, admin)
        let made = try await keel.contracts.fromQuote(quote.quote.id, ["delivery_date": "2026-11-20"], context: ctx).contract
        let contract = try await keel.records.update("contracts", id: made.id, ["status": "signed", "signed_at": "2026-11-05T10:00:00+08:00"],
                                                     expectedVersion: nil, context: ctx)
        _ = try await keel.records.create("payments", ["contract": .string(made.id), "amount": 1000, "received_on": "2026-11-10"], context: ctx)
        return (contract, Decimal(exactly: contract.value("total_excl_tax"))!, Decimal(exactly: contract.value("total_tax"))!)
    }

    @Test(arguments: TestDatabase.all)
    func theERPsDocumentsAreReconciledAndWhatFinanceConfirmedIsWrittenBack(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let (contract, net, tax) = try await Self.signedContract(keel, admin)
            let number = try #require(contract.value("number").stringValue)
            #expect(number.hasPrefix("HT-") && number.hasSuffix("-0001") && number.count == "HT-20261202-0001".count)
            // Nothing from the ERP yet: the contract and its payment are missing there.
            let first = try await keel.reconciliations.run(as: admin)
            #expect(first.lines.map { "\($0.kind.rawValue) \($0.difference.rawValue)" } == ["receivable missing_in_erp", "receipt missing_in_erp"])
            #expect(first.lines.allSatisfy { $0.owner == admin.userID && $0.contract == contract.id })

            // The ERP's export: the receivable and the receipt as the CRM has them, and a receivable the CRM does not know.
            let csv = """
                单据编号,合同编号,业务日期,价税合计,税额,单据类型
                AR-1,\(number),2026-11-06,\(net + tax),\(tax),应收单
                SK-1,\(number),2026/11/12,1000,0,收款单
                AR-9,HT-OLD-7,2026-11-08,500.00,57.52,应收单
                """
            #expect(try await keel.reconciliations.importFile(Array(csv.utf8), kind: nil, as: admin) == 3)
            let run = try await keel.reconciliations.run(as: admin)
            #expect(run.lines.map { "\($0.contractNumber ?? "") \($0.difference.rawValue)" } == ["HT-OLD-7 missing_in_crm"])
            #expect(run.lines[0].owner == nil && run.lines[0].erpAmount == 500)
            #expect(run.periods.map(\.period) == ["2026-11"] && run.periods[0].crm == net && run.periods[0].erp == net + Decimal(string: "442.48")!)
            // Finance's figure is on the contract, written by the ERP (in its history), and nobody else writes it.
            let (stored, _) = try await keel.records.get("contracts", id: contract.id, as: admin)
            #expect(Decimal(exactly: stored.value("finance_confirmed_amount")) == net)
            let history = try await keel.records.history("contracts", id: contract.id, as: admin)
            #expect(history.contains { $0.field == "finance_confirmed_amount" && $0.source == "erp" })
            let typed = await #expect(throws: KeelError.self) {
                try await keel.records.update("contracts", id: contract.id, ["finance_confirmed_amount": 1], expectedVersion: nil,
                                              context: WriteContext(principal: admin, source: .api))
            }
            #expect(typed?.violations.map(\.code) == ["read_only"])
            // The run in force is the last one.
            #expect(try await keel.reconciliations.run(nil, as: admin)?.id == run.id)

            // A rep: may neither import nor run; sees the lines of their own contracts, no revenue figures.
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            for attempt in [{ _ = try await keel.reconciliations.run(as: rep) }, { _ = try await keel.reconciliations.importFile(Array(csv.utf8), kind: nil, as: rep) }] {
                let refused = await #expect(throws: KeelError.self) { try await attempt() }
                #expect(refused?.code == "forbidden")
            }
            let seen = try #require(try await keel.reconciliations.run(nil, as: rep))
            #expect(seen.lines.isEmpty && seen.periods.isEmpty)
            // A finance user of the payment policy sees it all.
            let finance = try await keel.makeUser("finance@example.com", role: .member)
            var policy = try await keel.contracts.policy()
            policy.finance = [finance.userID]
            _ = try await keel.contracts.setPolicy(policy.json, by: admin)
            #expect(try await keel.reconciliations.run(nil, as: finance)?.lines.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aRunThatFailsHalfWayLeavesThePreviousInForce(_ database: TestDatabase) async throws {
        struct InjectedFailure: Error {}
        let armed = ArmedStep()
        try await database.withKeel(afterStep: { step in if armed.step == step { throw InjectedFailure() } }) { keel in
            let admin = try await keel.makeUser()
            let (contract, net, tax) = try await Self.signedContract(keel, admin)
            let number = contract.value("number").stringValue!
            let previous = try await keel.reconciliations.run(as: admin)
            let csv = "单据编号,合同编号,业务日期,价税合计,税额\nAR-1,\(number),2026-11-06,\(net + tax),\(tax)\n"
            _ = try await keel.reconciliations.importFile(Array(csv.utf8), kind: .receivable, as: admin)
            // The write-back of finance's figure fails after the run's lines are written: nothing of the run stays.
            armed.step = .writeHistory
            await #expect(throws: InjectedFailure.self) { try await keel.reconciliations.run(as: admin) }
            armed.step = nil
            let inForce = try #require(try await keel.reconciliations.run(nil, as: admin))
            #expect(inForce.id == previous.id && inForce.lines.count == 2)
            #expect(try await keel.records.get("contracts", id: contract.id, as: admin).0.value("finance_confirmed_amount") == .null)
            // The failure is kept, with its problem and no lines.
            let runs = try await keel.reconciliations.runs(as: admin)
            #expect(runs.map(\.status) == [.failed, .completed] && runs[0].problem?.contains("InjectedFailure") == true)
            #expect(try await keel.reconciliations.run(runs[0].id, as: admin)?.lines.isEmpty == true)
            // A run on demand answers its caller; a nightly one that fails tells the admins (nobody is watching it).
            #expect(try await keel.notifier.notifications(of: admin).items.isEmpty)
            armed.step = .writeHistory
            let night = try #require(ISO8601DateFormatter().date(from: "2026-12-05T02:30:00+08:00"))
            await #expect(throws: InjectedFailure.self) { try await keel.reconciliations.runIfDue(at: night) }
            armed.step = nil
            #expect(try await keel.notifier.notifications(of: admin).items.map(\.title) == ["夜间收入对账失败，上一次对账结果仍然有效；原因见收入对账页。"])
            #expect(try #require(try await keel.reconciliations.run(nil, as: admin)).id == previous.id)

            // A bad file changes nothing: every problem is reported, no document is mirrored.
            let bad = "单据编号,合同编号,业务日期,价税合计,税额\nAR-2,\(number),2026-11-31,12,0\nAR-3,\(number),2026-11-06,x,0\n"
            let refused = await #expect(throws: KeelError.self) { try await keel.reconciliations.importFile(Array(bad.utf8), kind: .receipt, as: admin) }
            #expect(refused?.violations.map(\.field) == ["rows[2].day", "rows[3].amount"])
            let after = try await keel.reconciliations.run(as: admin)
            #expect(after.lines.map(\.difference) == [.missingInERP] && after.entries == 1)
            #expect(Decimal(exactly: try await keel.records.get("contracts", id: contract.id, as: admin).0.value("finance_confirmed_amount")) == net)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theNightlyRunRunsOnceANightAfterTwo(_ database: TestDatabase) async throws {
        try await database.withKeel(timeZone: TimeZone(identifier: "Asia/Shanghai")!) { keel in
            _ = try await keel.makeUser()
            func at(_ text: String) -> Date { ValueFormats.parseDateTime(text)! }
            #expect(try await keel.reconciliations.runIfDue(at: at("2026-12-02T01:30:00+08:00")) == nil)
            let night = try #require(try await keel.reconciliations.runIfDue(at: at("2026-12-02T02:10:00+08:00")))
            #expect(night.trigger == "nightly")
            #expect(try await keel.reconciliations.runIfDue(at: at("2026-12-02T23:10:00+08:00")) == nil)
            #expect(try await keel.reconciliations.runIfDue(at: at("2026-12-03T02:00:00+08:00")) != nil)
        }
    }
}
