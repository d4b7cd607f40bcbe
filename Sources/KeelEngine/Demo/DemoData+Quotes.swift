import Foundation
import KeelCore

extension DemoData {
    /// The catalog a software and hardware reseller sells from (goods at 13 %, services at 6 %, one small-scale supplier's
    /// consulting at 3 %, one product no longer sold), and quotes on deals from proposal on, by their owners.
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
        let deals = try await keel.records.list(StandardObjects.opportunity.name, params: [
            ("filter[stage][in]", "proposal,negotiation,closed_won"), ("sort", "name"), ("limit", "40"),
        ], as: admin).records
        for (n, deal) in deals.enumerated() {
            var lines: [JSONValue] = []
            for k in 0..<(1 + n % 4) {
                let product = onSale[(n * 3 + k * 5) % onSale.count]
                var line: [String: JSONValue] = ["product": .string(product.id), "quantity": .number(Double([1, 2, 5, 10, 3][(n + k) % 5]))]
                if k == 0, n % 5 == 2 { line["discount"] = .string(["0.05", "0.1", "0.25"][n % 3]) }
                if k == 1, n % 7 == 3 { (line["unit_price"], line["price_reason"]) = (.string("2200.00"), "老客户续约价") }
                lines.append(.object(line))
            }
            let status = deal.value("stage") == "closed_won" ? "won" : n % 3 == 0 ? "sent" : "draft"
            _ = try await keel.quotes.create([
                "account": deal.value("account"), "opportunity": .string(deal.id), "owner": deal.value("owner"), "status": .string(status),
                "rounding_level": n % 6 == 5 ? "document" : "line", "lines": .array(lines),
            ], context: context)
        }
    }
}
