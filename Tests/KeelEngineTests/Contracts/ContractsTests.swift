import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

@Suite struct ContractsTests {
    static func wonQuote(_ keel: Keel, _ admin: Principal, shop: QuotesTests.Shop? = nil) async throws -> (quote: Quotes.Document, shop: QuotesTests.Shop) {
        var made = shop
        if made == nil { made = try await QuotesTests.shop(keel, admin) }
        let shop = made!
        let quote = try await keel.quotes.create(["account": .string(shop.account), "lines": [["product": .string(shop.server), "quantity": 3],
                                                                                             ["product": .string(shop.service), "quantity": 2]]],
                                                 context: WriteContext(principal: admin, source: .api))
        return (quote, shop)
    }

    @Test(arguments: TestDatabase.all)
    func aQuoteBecomesOneContractWithItsLinesAsQuoted(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let (quote, shop) = try await Self.wonQuote(keel, admin)
            let account = shop.account
            let document = try await keel.contracts.fromQuote(quote.quote.id, ["delivery_date": "2027-01-15"], context: ctx)
            #expect(document.contract.value("account") == .string(account) && document.contract.value("quote") == .string(quote.quote.id))
            #expect(document.contract.value("total_incl_tax") == quote.quote.value("total_incl_tax") && document.contract.value("total_incl_tax") == 5412.99)
            #expect(document.lines.map { $0.value("amount_incl_tax") } == quote.lines.map { $0.value("amount_incl_tax") })
            #expect(try await keel.records.get("quotes", id: quote.quote.id, as: admin).0.value("status") == "won")
            let again = await #expect(throws: KeelError.self) { try await keel.contracts.fromQuote(quote.quote.id, [:], context: ctx) }
            #expect(again?.code == "contract_exists")
            // A contract's lines and totals are Keel's: never written by a caller.
            let line = await #expect(throws: KeelError.self) {
                try await keel.records.update("contract_lines", id: document.lines[0].id, ["quantity": 1], expectedVersion: nil, context: ctx)
            }
            #expect(line?.code == "written_through")
            let total = await #expect(throws: KeelError.self) {
                try await keel.records.update("contracts", id: document.contract.id, ["total_incl_tax": 1], expectedVersion: nil, context: ctx)
            }
            #expect(total?.violations.map(\.code) == ["read_only"])
            // A lost quote does not become a contract.
            let (other, _) = try await Self.wonQuote(keel, admin, shop: shop)
            _ = try await keel.records.update("quotes", id: other.quote.id, ["status": "lost"], expectedVersion: nil, context: ctx)
            let lost = await #expect(throws: KeelError.self) { try await keel.contracts.fromQuote(other.quote.id, [:], context: ctx) }
            #expect(lost?.code == "quote_not_convertible")
            #expect(try await QuotesTests.count(keel, "contracts") == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aPaymentPlanAddsUpToTheFenAndKeepsToThePolicyOrWaitsForApproval(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let (quote, _) = try await Self.wonQuote(keel, admin)
            let contract = try await keel.contracts.fromQuote(quote.quote.id, ["delivery_date": "2027-01-15"], context: ctx).contract
            // 5,412.99 in thirds: the shares become amounts that add up exactly.
            let thirds = try await keel.contracts.setPlan(contract.id, [
                ["kind": "deposit", "share": "0.3333", "due_date": "2026-12-20"], ["kind": "milestone", "share": "0.3333", "days_after_delivery": 0],
                ["kind": "final", "share": "0.3334", "days_after_delivery": 60],
            ], expectedVersion: nil, context: ctx)
            #expect(thirds.plan.map { $0.value("amount") } == [1804.15, 1804.15, 1804.69])
            #expect(thirds.contract.value("plan_status") == "within_policy" && thirds.contract.value("plan_breaches") == .null)
            // Not adding up, a bad kind, both an amount and a share: every problem at once, nothing written.
            let bad = await #expect(throws: KeelError.self) {
                try await keel.contracts.setPlan(contract.id, [["kind": "advance", "amount": 100, "due_date": "2026-12-20"],
                                                               ["kind": "final", "amount": 1, "share": 0.5, "days_after_delivery": 30]], expectedVersion: nil, context: ctx)
            }
            #expect(Set((bad?.violations ?? []).map { "\($0.field) \($0.code)" }) == ["lines[0].kind invalid_option", "lines[1].amount required"])
            let short = await #expect(throws: KeelError.self) {
                try await keel.contracts.setPlan(contract.id, [["kind": "deposit", "amount": "5412.98", "due_date": "2026-12-20"]], expectedVersion: nil, context: ctx)
            }
            #expect(short?.violations.map(\.code) == ["plan_total"])
            #expect(try await keel.contracts.document(contract.id, as: admin).plan.count == 3)
            // A small deposit and a retention a year after delivery break the policy: the contract waits for approval.
            let outside = try await keel.contracts.setPlan(contract.id, [
                ["kind": "deposit", "share": 0.2, "due_date": "2026-12-20"], ["kind": "final", "share": 0.7, "days_after_delivery": 30],
                ["kind": "retention", "amount": .string((Decimal(string: "5412.99")! - Decimal(string: "1082.60")! - Decimal(string: "3789.09")!).text(places: 2)),
                 "due_date": "2028-01-15"],
            ], expectedVersion: nil, context: ctx)
            #expect(outside.contract.value("plan_status") == "needs_approval")
            #expect(outside.contract.value("plan_breaches") == "deposit_below|20%|30%\ndue_after_delivery|retention|365|90")
            // The approval an admin configured decides it, and only its outcome may set the plan's status.
            _ = try await keel.approvals.publish(["id": "plan-exception", "object": "contracts", "entry": "ISPICKVAL(plan_status, \"needs_approval\")",
                                                  "steps": [["name": "总监", "approver": "role:admin"]], "on_approve": ["plan_status": "\"approved\""]], by: admin)
            let request = try #require(try await keel.approvals.start("plan-exception", object: "contracts", recordID: contract.id, by: admin))
            _ = try await keel.approvals.decide(request.id, approve: true, comment: "战略客户，同意", by: admin)
            #expect(try await keel.records.get("contracts", id: contract.id, as: admin).0.value("plan_status") == "approved")
            let selfApproved = await #expect(throws: KeelError.self) {
                try await keel.records.update("contracts", id: contract.id, ["plan_status": "approved"], expectedVersion: nil, context: ctx)
            }
            #expect(selfApproved?.violations.map(\.code) == ["read_only"])
            // Payments are recorded against the plan: paid and outstanding follow.
            _ = try await keel.records.create("payments", ["contract": .string(contract.id), "plan_line": .string(outside.plan[0].id), "amount": "1082.60",
                                                           "received_on": "2026-12-18"], context: ctx)
            let read = try await keel.contracts.document(contract.id, as: admin)
            #expect(read.paid(read.plan[0]) == Decimal(string: "1082.60")! && read.json["outstanding"] == 4330.39)
            // Once signed, the contract's terms stay as signed: its plan, its name, its rounding; it is not deleted or
            // made unsigned. How it ends, its delivery and its owner still change.
            _ = try await keel.records.update("contracts", id: contract.id, ["status": "signed", "signed_at": "2026-12-03T10:00:00+08:00"],
                                              expectedVersion: nil, context: ctx)
            let closed = await #expect(throws: KeelError.self) {
                try await keel.contracts.setPlan(contract.id, [["kind": "final", "share": 1, "days_after_delivery": 0]], expectedVersion: nil, context: ctx)
            }
            #expect(closed?.code == "contract_signed")
            for change: [String: JSONValue] in [["name": "改过的合同"], ["rounding_mode": "half_even", "delivery_date": "2027-02-01"], ["status": "draft"]] {
                let refused = await #expect(throws: KeelError.self) {
                    try await keel.records.update("contracts", id: contract.id, change, expectedVersion: nil, context: ctx)
                }
                #expect(refused?.code == "contract_signed")
            }
            let deleted = await #expect(throws: KeelError.self) { try await keel.records.delete("contracts", id: contract.id, expectedVersion: nil, context: ctx) }
            #expect(deleted?.code == "contract_signed")
            let done = try await keel.records.update("contracts", id: contract.id, ["status": "completed", "delivery_date": "2027-02-01", "name": contract.value("name")],
                                                     expectedVersion: nil, context: ctx)
            #expect(done.value("status") == "completed" && done.value("delivery_date") == "2027-02-01")
        }
    }

    /// A receivable past its day tells the contract's owner and finance, once a week while it stays unpaid; a policy an
    /// admin sets is what plans are checked against.
    @Test(arguments: TestDatabase.all)
    func overdueReceivablesAlertTheOwnerAndFinance(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let finance = try await keel.makeUser("cashier@example.com", role: .member)
            let ctx = WriteContext(principal: admin, source: .api)
            let refused = await #expect(throws: KeelError.self) {
                _ = try await keel.contracts.setPolicy(["minDeposit": 1.5, "maxDaysAfterDelivery": 60, "finance": [.string(RecordID.make())]], by: admin)
            }
            #expect(Set((refused?.violations ?? []).map(\.field)) == ["minDeposit"])
            let missing = await #expect(throws: KeelError.self) {
                _ = try await keel.contracts.setPolicy(["minDeposit": 0.5, "maxDaysAfterDelivery": 60, "finance": [.string(RecordID.make())]], by: admin)
            }
            #expect(missing?.violations.map(\.code) == ["reference_not_found"])
            await expectKeelError("forbidden") { _ = try await keel.contracts.setPolicy(["minDeposit": 0.5, "maxDaysAfterDelivery": 60], by: rep) }
            _ = try await keel.contracts.setPolicy(["minDeposit": 0.5, "maxDaysAfterDelivery": 60, "finance": [.string(finance.userID)]], by: admin)
            let (quote, _) = try await Self.wonQuote(keel, admin)
            _ = try await keel.records.update("quotes", id: quote.quote.id, ["owner": .string(rep.userID)], expectedVersion: nil, context: ctx)
            let contract = try await keel.contracts.fromQuote(quote.quote.id, ["delivery_date": "2026-11-01"], context: ctx).contract
            let plan = try await keel.contracts.setPlan(contract.id, [
                ["kind": "deposit", "share": 0.4, "due_date": "2026-10-15"], ["kind": "final", "share": 0.6, "days_after_delivery": 30],
            ], expectedVersion: nil, context: ctx)
            // Against the policy set: a 40 % deposit is below its 50 %.
            #expect(plan.contract.value("plan_breaches") == "deposit_below|40%|50%")
            // The deposit was half paid; the final payment fell due on 2026-12-01.
            _ = try await keel.records.create("payments", ["contract": .string(contract.id), "plan_line": .string(plan.plan[0].id), "amount": 1000,
                                                           "received_on": "2026-10-20"], context: ctx)
            let day = { (s: String) in ValueFormats.parseDateTime(s)! }
            #expect(try await keel.contracts.alertOverdue(at: day("2026-11-30T10:00:00+08:00")) == 1)
            #expect(try await keel.contracts.alertOverdue(at: day("2026-12-03T10:00:00+08:00")) == 2)
            let told = { (p: Principal) in try await keel.notifier.notifications(of: p).items.map(\.title) }
            let repHeard = try await told(rep), financeHeard = try await told(finance), adminHeard = try await told(admin)
            // The deposit on 11-30 (46 days late) and again on 12-03 (a week on: 49), the final payment on 12-03.
            #expect(repHeard.count == 3 && financeHeard.count == 3 && adminHeard.isEmpty, "\(repHeard)")
            // The deposit: 40 % of 5,412.99 is 2,165.20, 1,000 of it paid, due 2026-10-15.
            #expect(repHeard.contains { $0.contains("逾期 49 天") && $0.contains("¥1,165.20") })
            // Told once a week, not on every pass.
            _ = try await keel.contracts.alertOverdue(at: day("2026-12-04T10:00:00+08:00"))
            #expect(try await told(rep).count == 3)
            // Paid in full, a receivable is no longer overdue.
            _ = try await keel.records.create("payments", ["contract": .string(contract.id), "plan_line": .string(plan.plan[1].id), "amount": plan.plan[1].value("amount"),
                                                           "received_on": "2026-12-04"], context: ctx)
            #expect(try await keel.contracts.alertOverdue(at: day("2026-12-04T10:00:00+08:00")) == 1)
        }
    }
}
