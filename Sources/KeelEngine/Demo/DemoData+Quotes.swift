import Foundation
import KeelCore

extension DemoData {
    /// The catalog a software and hardware reseller sells from (goods at 13 %, services at 6 %, one small-scale supplier's
    /// consulting at 3 %, one product no longer sold), a regional and a large-customer price book, and quotes on deals from
    /// proposal on, by their owners.
    static func loadQuotes(into keel: Keel, by admin: Principal) async throws {
        let catalog: [(String, String, String, String, String, Bool, Bool)] = [
            // name, SKU, unit, list price, tax rate, price includes tax, sold
            ("Keel 企业版 软件许可", "KEEL-ENT", "套", "48000.00", "0.13", false, true),
            ("Keel 标准版 软件许可", "KEEL-STD", "套", "19800.00", "0.13", false, true),
            ("云服务器 4核16G", "ECS-4C16G", "台·年", "6980.00", "0.13", true, true),
            ("企业级交换机 24口", "SW-24G", "台", "3299.00", "0.13", true, true),
            ("实施服务", "SVC-IMPL", "人天", "2500.00", "0.06", false, true),
            ("年度运维服务", "SVC-OPS", "年", "12000.00", "0.06", false, true),
            ("用户培训", "SVC-TRAIN", "人次", "800.00", "0.06", false, true),
            ("数据迁移咨询", "SVC-MIGR", "项", "15000.00", "0.03", false, true),
            ("Keel 旧版 软件许可", "KEEL-V1", "套", "9800.00", "0.13", false, false),
        ]
        let context = WriteContext(principal: admin, source: .demo)
        let products = try await keel.records.createBatch(StandardObjects.product.name, catalog.map { name, sku, unit, price, rate, included, active in
            ["name": .string(name), "sku": .string(sku), "unit": .string(unit), "unit_price": .string(price), "tax_rate": .string(rate),
             "tax_included": .bool(included), "active": .bool(active)]
        }, context: context)
        let onSale = products.filter { $0.value("active") == true }
        // Guangdong's customers buy the licences at 5 % off; the largest customers have their agreement price.
        let south = try await keel.records.create(StandardObjects.priceBook.name, ["name": "华南区域价 2026", "province": "广东", "valid_from": "2026-01-01",
                                                                                 "valid_to": "2026-12-31"], context: context).json["id"] ?? .null
        let large = try await keel.records.create(StandardObjects.priceBook.name, ["name": "大客户协议价", "segment": "1000+"], context: context).json["id"] ?? .null
        for (book, sku, price) in [(south, "KEEL-ENT", "45600.00"), (south, "KEEL-STD", "18810.00"), (large, "KEEL-ENT", "42000.00"), (large, "SVC-IMPL", "2200.00")] {
            guard let product = products.first(where: { $0.value("sku") == .string(sku) }) else { continue }
            _ = try await keel.records.create(StandardObjects.priceBookEntry.name, ["price_book": book, "product": .string(product.id), "unit_price": .string(price)],
                                              context: context)
        }
        let deals = try await keel.records.list(StandardObjects.opportunity.name, params: [
            ("filter[stage][in]", "proposal,negotiation,closed_won"), ("sort", "name"), ("limit", "40"),
        ], as: admin).records
        for (n, deal) in deals.enumerated() {
            var lines: [JSONValue] = []
            for k in 0..<(1 + n % 4) {
                let product = onSale[(n * 3 + k * 5) % onSale.count]
                var line: [String: JSONValue] = ["product": .string(product.id), "quantity": JSONValue([1, 2, 5, 10, 3][(n + k) % 5])]
                if k == 0, n % 5 == 2 { line["discount"] = .string(["0.05", "0.1", "0.25"][n % 3]) }
                if k == 1, n % 7 == 3, let list = Decimal(exactly: product.value("unit_price")) {
                    (line["unit_price"], line["price_reason"]) = (.string((list * Decimal(string: "0.9")!).text(places: 2)), "老客户续约九折")
                }
                lines.append(.object(line))
            }
            let status = deal.value("stage") == "closed_won" ? "won" : n % 3 == 0 ? "sent" : "draft"
            let quote = try await keel.quotes.create([
                "account": deal.value("account"), "opportunity": .string(deal.id), "owner": deal.value("owner"), "status": .string(status),
                "rounding_level": n % 6 == 5 ? "document" : "line", "lines": .array(lines),
            ], context: context)
            if status == "won" { try await loadContract(of: quote.quote, n: n, into: keel, context: context) }
        }
    }

    /// A draft quote with a line discounted by more than 20 % goes to the rep's manager before it may be sent, and so does a
    /// payment plan outside the policy: configuration as data, approval processes and the automations that start them.
    static func loadQuoteApproval(into keel: Keel, by admin: Principal) async throws {
        _ = try await keel.approvals.publish([
            "id": "quote-discount", "label": "报价折扣审批", "object": "quotes", "entry": "max_discount > 0.2",
            "steps": [["name": "销售经理", "approver": "manager"]],
            "on_approve": ["status": "\"approved\""], "on_reject": ["status": "\"draft\""],
        ], by: admin)
        let actions: JSONValue = [["type": "set_fields", "values": ["status": "\"in_approval\""]], ["type": "start_approval", "process": "quote-discount"]]
        let condition = "AND(max_discount > 0.2, ISPICKVAL(status, \"draft\"))"
        _ = try await keel.automations.publish(["id": "quote-discount-new", "label": "新报价折扣超过 20% 送审", "object": "quotes",
                                                "trigger": ["type": "created"], "condition": .string(condition), "actions": actions], by: admin)
        // A payment plan outside the payment policy goes to the rep's manager; approved, the contract says so.
        _ = try await keel.approvals.publish([
            "id": "plan-exception", "label": "回款计划例外审批", "object": "contracts", "entry": "ISPICKVAL(plan_status, \"needs_approval\")",
            "steps": [["name": "销售经理", "approver": "manager"]], "on_approve": ["plan_status": "\"approved\""],
        ], by: admin)
        _ = try await keel.automations.publish(["id": "plan-exception", "label": "回款计划超出政策送审", "object": "contracts",
                                                "trigger": ["type": "field_changed", "field": "plan_status", "to": "needs_approval"],
                                                "actions": [["type": "start_approval", "process": "plan-exception"]]], by: admin)
        // The plans made before the process existed wait for it too.
        for contract in try await keel.records.list(StandardObjects.contract.name, params: [("filter[plan_status][eq]", "needs_approval")], as: admin).records {
            _ = try await keel.approvals.start("plan-exception", object: StandardObjects.contract.name, recordID: contract.id, by: admin)
        }
        _ = try await keel.automations.publish(["id": "quote-discount-changed", "label": "报价明细改后折扣超过 20% 送审", "object": "quotes",
                                                "trigger": ["type": "field_changed", "field": "max_discount"], "condition": .string(condition), "actions": actions], by: admin)
    }

    /// A won quote's contract, signed weeks ago and delivered (or due), with a plan — 30 % deposit, 60 % a month after
    /// delivery, 10 % retained; now and then a retention of a year, outside the policy — and the payments received.
    static func loadContract(of quote: Record, n: Int, into keel: Keel, context: WriteContext) async throws {
        let calendar = Calendar(identifier: .gregorian)
        let signed = calendar.date(byAdding: .day, value: -(20 + n * 3), to: Date())!, delivered = calendar.date(byAdding: .day, value: 30, to: signed)!
        let contract = try await keel.contracts.fromQuote(quote.id, ["signed_at": .string(ValueFormats.formatDateTime(signed)),
                                                                      "delivery_date": .string(keel.day(delivered))], context: context).contract
        let plan = try await keel.contracts.setPlan(contract.id, [
            ["kind": "deposit", "share": 0.3, "due_date": .string(keel.day(calendar.date(byAdding: .day, value: 7, to: signed)!)), "description": "合同签订后 7 天内"],
            ["kind": "final", "share": 0.6, "days_after_delivery": 30, "description": "验收合格后 30 天"],
            ["kind": "retention", "share": 0.1, "days_after_delivery": n % 4 == 1 ? 365 : 90, "description": "质保金"],
        ], expectedVersion: nil, context: context).plan
        _ = try await keel.records.update(StandardObjects.contract.name, id: contract.id, ["status": "signed"], expectedVersion: nil, context: context)
        // The deposit came in; for older contracts the final payment too.
        for (k, line) in plan.enumerated() where k == 0 || (k == 1 && n % 2 == 0) {
            _ = try await keel.records.create(StandardObjects.payment.name, [
                "contract": .string(contract.id), "plan_line": .string(line.id), "amount": line.value("amount"),
                "received_on": .string(keel.day(calendar.date(byAdding: .day, value: k == 0 ? 5 : 55, to: signed)!)), "reference": .string("HX\(20_261_000 + n * 10 + k)"),
                "owner": contract.value("owner"),
            ], context: context)
        }
    }
}
