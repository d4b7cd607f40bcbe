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
            // Payments are recorded against the plan: paid and outstanding follow.
            _ = try await keel.records.create("payments", ["contract": .string(contract.id), "plan_line": .string(outside.plan[0].id), "amount": "1082.60",
                                                           "received_on": "2026-12-18"], context: ctx)
            let read = try await keel.contracts.document(contract.id, as: admin)
            #expect(read.paid(read.plan[0]) == Decimal(string: "1082.60")! && read.json["outstanding"] == 4330.39)
            // A completed contract keeps its plan.
            _ = try await keel.records.update("contracts", id: contract.id, ["status": "completed"], expectedVersion: nil, context: ctx)
            let closed = await #expect(throws: KeelError.self) {
                try await keel.contracts.setPlan(contract.id, [["kind": "final", "share": 1, "days_after_delivery": 0]], expectedVersion: nil, context: ctx)
            }
            #expect(closed?.code == "contract_closed")
        }
    }
}
