import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

@Suite struct QuotesTests {
    /// A catalog of three products (a price without tax, one with tax in it, a service at 6 %) and an account.
    struct Shop {
        var server: String, box: String, service: String, account: String
    }

    static func shop(_ keel: Keel, _ admin: Principal) async throws -> Shop {
        let ctx = WriteContext(principal: admin, source: .api)
        func product(_ values: [String: JSONValue]) async throws -> String { try #require(try await keel.records.create("products", values, context: ctx).json["id"]?.stringValue) }
        let server = try await product(["name": "服务器", "sku": "SRV", "unit": "台", "unit_price": "33.33", "tax_rate": "0.13"])
        let box = try await product(["name": "机柜", "sku": "BOX", "unit_price": 113, "tax_rate": 0.13, "tax_included": true])
        let service = try await product(["name": "实施服务", "sku": "SVC", "unit": "人天", "unit_price": 2500, "tax_rate": 0.06])
        let account = try #require(try await keel.records.create("accounts", ["name": "深圳市腾讯计算机系统有限公司"], context: ctx).json["id"]?.stringValue)
        return Shop(server: server, box: box, service: service, account: account)
    }

    static func count(_ keel: Keel, _ table: String) async throws -> Int {
        try await keel.database.read { try await $0.raw("SELECT COUNT(*) AS n FROM \(ident: table)").first()!.decode(column: "n", as: Int.self) }
    }

    @Test(arguments: TestDatabase.all)
    func aQuoteIsPricedFromItsLines(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let shop = try await Self.shop(keel, admin)
            let document = try await keel.quotes.create([
                "account": .string(shop.account), "owner": .string(rep.userID),
                "lines": [["product": .string(shop.server), "quantity": 3],
                          ["product": .string(shop.box), "quantity": "2"],
                          ["product": .string(shop.service), "quantity": 1.5, "unit_price": "2200", "discount": "0.1", "price_reason": "老客户"]],
            ], context: WriteContext(principal: admin, source: .api))
            // 99.99 + 13.00 tax; 226.00 with tax in it = 200.00 + 26.00; 1.5 × 2,200 × 0.9 = 2,970.00 + 178.20.
            let amounts = document.lines.map { [$0.value("amount_excl_tax"), $0.value("tax"), $0.value("amount_incl_tax")] }
            #expect(amounts == [[99.99, 13, 112.99], [200, 26, 226], [2970, 178.2, 3148.2]])
            #expect(document.quote.value("total_excl_tax") == 3269.99 && document.quote.value("total_tax") == 217.2
                    && document.quote.value("total_incl_tax") == 3487.19)
            #expect(document.quote.value("name") == .string("深圳市腾讯计算机系统有限公司 报价 \(ValueFormats.formatLocal(Date(), in: keel.timeZone).prefix(10))"))
            #expect(document.quote.value("max_discount") == 0.1)
            #expect(document.lines[2].value("list_price") == 2500 && document.lines[2].value("unit_price") == 2200 && document.lines[2].value("price_reason") == "老客户")
            #expect(document.json["tax_by_rate"] == [["rate": 0.13, "tax": 39], ["rate": 0.06, "tax": 178.2]])
            // The lines are the owner's as the quote is: the rep reads the quote with its lines.
            let read = try await keel.quotes.document(document.quote.id, as: rep)
            #expect(read.lines.map(\.id) == document.lines.map(\.id))
            // Document-level rounding: 3 × 0.05 with 0.0065 tax each is 0.02 of tax, not 0.03.
            let penny = try #require(try await keel.records.create("products", ["name": "螺丝", "sku": "SCREW", "unit_price": 0.05, "tax_rate": 0.13],
                                                                   context: WriteContext(principal: admin, source: .api)).json["id"]?.stringValue)
            let three: JSONValue = .array(Array(repeating: ["product": .string(penny), "quantity": 1], count: 3))
            let perLine = try await keel.quotes.create(["account": .string(shop.account), "lines": three], context: WriteContext(principal: admin, source: .api))
            let perDocument = try await keel.quotes.create(["account": .string(shop.account), "rounding_level": "document", "lines": three],
                                                           context: WriteContext(principal: admin, source: .api))
            #expect(perLine.quote.value("total_tax") == 0.03 && perDocument.quote.value("total_tax") == 0.02)
            #expect(perDocument.lines.map { $0.value("tax").numberValue ?? 0 }.reduce(0, +) == 0.02)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badLinesAreAllReportedAndNothingIsWritten(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let shop = try await Self.shop(keel, admin)
            let ctx = WriteContext(principal: admin, source: .api)
            let old = try #require(try await keel.records.create("products", ["name": "旧版", "sku": "OLD", "unit_price": 10, "tax_rate": 0.13, "active": false],
                                                                 context: ctx).json["id"]?.stringValue)
            let before = [try await Self.count(keel, "quotes"), try await Self.count(keel, "quote_lines"), try await keel.footprint()[1]]
            let error = await #expect(throws: KeelError.self) {
                try await keel.quotes.create([
                    "account": .string(RecordID.make()), "status": "maybe",
                    "lines": [["product": .string(RecordID.make()), "quantity": 1],
                              ["product": .string(old), "quantity": 1],
                              ["product": .string(shop.server), "quantity": -2, "discount": 1.5, "colour": "red"],
                              ["product": .string(shop.server), "quantity": 1, "unit_price": "12.345"]],
                ], context: ctx)
            }
            let found = Set((error?.violations ?? []).map { "\($0.field) \($0.code)" })
            #expect(found == ["account reference_not_found", "status invalid_option", "lines[0].product reference_not_found", "lines[1].product inactive_product",
                              "lines[2].quantity out_of_range", "lines[2].discount out_of_range", "lines[2].colour unknown_field", "lines[3].unit_price out_of_range"])
            #expect(error?.kind == .unprocessable)
            #expect([try await Self.count(keel, "quotes"), try await Self.count(keel, "quote_lines"), try await keel.footprint()[1]] == before)
            // A total above what Keel keeps.
            let huge = try #require(try await keel.records.create("products", ["name": "整栋大楼", "sku": "TOWER", "unit_price": 999_999_999, "tax_rate": 0.13],
                                                                  context: ctx).json["id"]?.stringValue)
            let tooMuch = await #expect(throws: KeelError.self) {
                try await keel.quotes.create(["account": .string(shop.account), "lines": [["product": .string(huge), "quantity": 100_000]]], context: ctx)
            }
            #expect(tooMuch?.violations.map(\.code) == ["out_of_range"])
            #expect(try await Self.count(keel, "quotes") == before[0])
        }
    }

    @Test(arguments: TestDatabase.all)
    func whatKeelPricesIsNotWrittenByCallers(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let shop = try await Self.shop(keel, admin)
            let ctx = WriteContext(principal: admin, source: .api)
            let document = try await keel.quotes.create(["account": .string(shop.account), "lines": [["product": .string(shop.server), "quantity": 1]]], context: ctx)
            let total = await #expect(throws: KeelError.self) {
                try await keel.records.update("quotes", id: document.quote.id, ["total_incl_tax": 1, "name": "改名"], expectedVersion: nil, context: ctx)
            }
            #expect(total?.violations.map { "\($0.field) \($0.code)" } == ["total_incl_tax read_only"])
            let line = document.lines[0]
            for attempt in [
                { _ = try await keel.records.create("quote_lines", ["quote": .string(document.quote.id)], context: ctx) },
                { _ = try await keel.records.update("quote_lines", id: line.id, ["quantity": 5], expectedVersion: nil, context: ctx) },
                { try await keel.records.delete("quote_lines", id: line.id, expectedVersion: nil, context: ctx) },
            ] as [() async throws -> Void] {
                let refused = await #expect(throws: KeelError.self) { try await attempt() }
                #expect(refused?.kind == .methodNotAllowed && refused?.code == "written_through")
            }
            let second = try await keel.quotes.create(["account": .string(shop.account)], context: ctx)
            let merge = await #expect(throws: KeelError.self) {
                try await keel.records.merge("quotes", try MergeRequest.parse(["survivor": .string(document.quote.id), "merged": [.string(second.quote.id)]]), context: ctx)
            }
            #expect(merge?.code == "not_mergeable")
            let (stored, _) = try await keel.records.get("quote_lines", id: line.id, as: admin)
            #expect(stored.value("quantity") == 1 && stored.version == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func linesAreReplacedWhileDraftAndGoWithTheirQuote(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let shop = try await Self.shop(keel, admin)
            let ctx = WriteContext(principal: admin, source: .api)
            let document = try await keel.quotes.create(["account": .string(shop.account), "status": "approved",
                                                         "lines": [["product": .string(shop.server), "quantity": 1]]], context: ctx)
            let changed = try await keel.quotes.setLines(document.quote.id, [["product": .string(shop.service), "quantity": 2]], expectedVersion: 1, context: ctx)
            #expect(changed.lines.count == 1 && changed.quote.value("total_incl_tax") == 5300 && changed.quote.value("status") == "draft")
            #expect(try await Self.count(keel, "quote_lines") == 1)
            let history = try await keel.records.history("quotes", id: document.quote.id, as: admin)
            #expect(history.contains { $0.field == "total_incl_tax" && $0.oldValue == 37.66 && $0.newValue == 5300 })
            // A quote sent to the customer keeps its lines.
            _ = try await keel.records.update("quotes", id: document.quote.id, ["status": "sent"], expectedVersion: nil, context: ctx)
            let fixed = await #expect(throws: KeelError.self) {
                try await keel.quotes.setLines(document.quote.id, [["product": .string(shop.server), "quantity": 9]], expectedVersion: nil, context: ctx)
            }
            #expect(fixed?.code == "quote_fixed")
            let stale = await #expect(throws: KeelError.self) {
                try await keel.quotes.setLines(document.quote.id, [["product": .string(shop.server), "quantity": 9]], expectedVersion: 1, context: ctx)
            }
            #expect(stale?.code == "version_conflict")
            try await keel.records.delete("quotes", id: document.quote.id, expectedVersion: nil, context: ctx)
            #expect(try await Self.count(keel, "quote_lines") == 0)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCatalogIsKeptByAdminsAndReadByEveryone(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let shop = try await Self.shop(keel, admin)
            let taken = await #expect(throws: KeelError.self) {
                try await keel.records.create("products", ["name": "另一台", "sku": "SRV", "unit_price": 1, "tax_rate": 0.13], context: WriteContext(principal: admin, source: .api))
            }
            #expect(taken?.kind == .conflict && taken?.violations.map(\.code) == ["name_taken"])
            let rates = await #expect(throws: KeelError.self) {
                try await keel.records.create("products", ["name": "x", "sku": "X", "unit_price": "1.005", "tax_rate": 0.12], context: WriteContext(principal: admin, source: .api))
            }
            #expect(Set((rates?.violations ?? []).map { "\($0.field) \($0.code)" }) == ["unit_price invalid_format", "tax_rate invalid_option"])
            let (product, _) = try await keel.records.get("products", id: shop.server, as: rep)
            #expect(product.value("unit_price") == 33.33)
            let refused = await #expect(throws: KeelError.self) {
                try await keel.records.update("products", id: shop.server, ["unit_price": 1], expectedVersion: nil, context: WriteContext(principal: rep, source: .api))
            }
            #expect(refused?.kind == .forbidden)
            // A rep quotes from the catalog for their own account.
            let theirs = try #require(try await keel.records.create("accounts", ["name": "杭州阿里巴巴网络技术有限公司"], context: WriteContext(principal: rep, source: .api)).json["id"]?.stringValue)
            let quote = try await keel.quotes.create(["account": .string(theirs), "lines": [["product": .string(shop.box), "quantity": 1]]],
                                                     context: WriteContext(principal: rep, source: .api))
            #expect(quote.quote.value("owner") == .string(rep.userID) && quote.quote.value("total_incl_tax") == 113)
        }
    }

    /// A discount above the threshold sends the quote to approval (an approval process and an automation, as data):
    /// locked meanwhile, its lines cannot change; approved, it is approved; new lines send it back to draft.
    @Test(arguments: TestDatabase.all)
    func aDeepDiscountWaitsForApproval(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let shop = try await Self.shop(keel, admin)
            _ = try await keel.approvals.publish([
                "id": "quote-discount", "object": "quotes", "entry": "max_discount > 0.2", "steps": [["name": "总部", "approver": "role:admin"]],
                "on_approve": ["status": "\"approved\""], "on_reject": ["status": "\"draft\""],
            ], by: admin)
            _ = try await keel.automations.publish([
                "id": "quote-discount-new", "object": "quotes", "trigger": ["type": "created"], "condition": "AND(max_discount > 0.2, ISPICKVAL(status, \"draft\"))",
                "actions": [["type": "set_fields", "values": ["status": "\"in_approval\""]], ["type": "start_approval", "process": "quote-discount"]],
            ], by: admin)
            let ctx = WriteContext(principal: admin, source: .api)
            let modest = try await keel.quotes.create(["account": .string(shop.account), "lines": [["product": .string(shop.server), "quantity": 1, "discount": 0.2]]], context: ctx)
            let deep = try await keel.quotes.create(["account": .string(shop.account), "lines": [["product": .string(shop.server), "quantity": 1, "discount": "0.25"]]], context: ctx)
            try await keel.settle()
            #expect(try await keel.records.get("quotes", id: modest.quote.id, as: admin).0.value("status") == "draft")
            #expect(try await keel.records.get("quotes", id: deep.quote.id, as: admin).0.value("status") == "in_approval")
            let locked = await #expect(throws: KeelError.self) {
                try await keel.quotes.setLines(deep.quote.id, [["product": .string(shop.server), "quantity": 2]], expectedVersion: nil, context: ctx)
            }
            #expect(locked?.kind == .conflict)
            let request = try #require(try await keel.approvals.requests(status: "pending", by: admin).first)
            #expect(request.recordID == deep.quote.id)
            _ = try await keel.approvals.decide(request.id, approve: true, comment: "战略客户", by: admin)
            #expect(try await keel.records.get("quotes", id: deep.quote.id, as: admin).0.value("status") == "approved")
        }
    }

    /// A quote is priced from the most specific price book in force for its account's size and province; an expired or
    /// inactive book does not count; without one, the list price.
    @Test(arguments: TestDatabase.all)
    func priceBooksPriceTheCustomersTheyAreFor(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let shop = try await Self.shop(keel, admin)
            let ctx = WriteContext(principal: admin, source: .api)
            func create(_ object: String, _ values: [String: JSONValue]) async throws -> String {
                try #require(try await keel.records.create(object, values, context: ctx).json["id"]?.stringValue)
            }
            let guangdong = try await create("price_books", ["name": "广东区域价", "province": "广东", "valid_from": "2026-01-01"])
            let expired = try await create("price_books", ["name": "广东大客户 2025", "segment": "101-500", "province": "广东", "valid_to": "2025-12-31"])
            let paused = try await create("price_books", ["name": "广东大客户", "segment": "101-500", "province": "广东", "active": false])
            for (book, price) in [(guangdong, "30.00"), (expired, "20.00"), (paused, "25.00")] {
                _ = try await create("price_book_entries", ["price_book": .string(book), "product": .string(shop.server), "unit_price": .string(price)])
            }
            let south = try await create("accounts", ["name": "广州市天河软件有限公司", "size": "101-500", "province": "广东"])
            let east = try await create("accounts", ["name": "杭州西湖软件有限公司", "size": "101-500", "province": "浙江"])
            let lines: JSONValue = [["product": .string(shop.server), "quantity": 2]]
            let priced = try await keel.quotes.create(["account": .string(south), "lines": lines], context: ctx)
            #expect(priced.lines[0].value("unit_price") == 30 && priced.lines[0].value("list_price") == 30 && priced.lines[0].value("price_book") == .string(guangdong))
            #expect(priced.quote.value("total_incl_tax") == 67.8)
            let listed = try await keel.quotes.create(["account": .string(east), "lines": lines], context: ctx)
            #expect(listed.lines[0].value("unit_price") == 33.33 && listed.lines[0].value("price_book") == .null)
        }
    }
}
