import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The admin's lead-routing tab: the rules in words, warnings, the document saved whole (every problem listed, the
/// rules in force kept) and auto-assignment switched off and on; a lead page says who got it, when and why.
@Suite struct LeadRoutingPageTests {
    @Test func anAdminReadsEditsAndSwitchesTheRulesAndALeadSaysWhyItWentWhereItWent() async throws {
        try await Browser.with { sales, keel in
            var sales = sales
            try await sales.signIn("sales@example.com", "sales-password")
            #expect(try await sales.get("/admin/lead-routing").status == .forbidden)
            let admin = try await sales.signedInAdmin(keel)
            let empty = try await admin.get("/admin/lead-routing")
            #expect(empty.html.contains("自动分配已关闭") && empty.html.contains("还没有分配规则。"))

            let csrf = Browser.csrf(in: empty.html)
            let document = """
                {"rules": [{"id": "south", "name": "华南", "when": {"regions": ["广东", "Fujian"], "channel": ["trade_show"]},
                            "strategy": "weighted", "members": [{"user": "sales@example.com", "weight": 2}], "capacity": 30}],
                 "fallback": []}
                """
            let saved = try await admin.post("/admin/lead-routing", [("_csrf", csrf), ("document", document)])
            #expect(saved.status == .seeOther)
            let page = try await admin.get("/admin/lead-routing")
            #expect(page.html.contains("自动分配已开启") && page.html.contains("<td class=\"wrap\">地区：广东省、福建省；来源渠道：展会</td>"), "\(page.html)")
            #expect(page.html.contains("<td>按权重轮流</td>") && page.html.contains("×2") && page.html.contains("30 条待联系"))
            #expect(page.html.contains("未设置：线索将不分配并提醒管理员"))

            // Mistakes: each listed with its path in Chinese, what was typed kept, the rules in force unchanged.
            let bad = try await admin.post("/admin/lead-routing", [("_csrf", csrf), ("document", #"{"rules": [{"id": "x", "when": {"regions": ["火星"]}, "members": ["ghost@example.com"]}]}"#)])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains("rules[0].when.regions[0]: 不是已知的国家、省份或城市") && bad.html.contains("火星"), "\(bad.html)")
            #expect(try await keel.records.leadRouting(as: admin.user).routing?.rules.map(\.id) == ["south"])

            // A lead from 广东 at a trade show goes to the rule's member; its page says when and why.
            let lead = try await keel.records.create("leads", ["name": "周杰", "phone": "13912345678", "province": "广东", "channel": "trade_show"],
                                                     context: WriteContext(principal: admin.user, source: .api))
            #expect(lead.json["owner"] == .string(sales.user.userID))
            let leadPage = try await sales.get("/o/leads/\(lead.json["id"]!.stringValue!)")
            #expect(leadPage.html.contains("分配原因") && leadPage.html.contains("规则「华南」（地区：广东省）：按权重轮流分配（权重 2/2）"), "\(leadPage.html)")

            // Off: new leads belong to their creator again; on: routed again.
            _ = try await admin.post("/admin/lead-routing/enabled", [("_csrf", csrf), ("enabled", "false")])
            #expect(try await admin.get("/admin/lead-routing").html.contains("自动分配已关闭"))
            let mine = try await keel.records.create("leads", ["name": "吴敏", "phone": "13912345679", "province": "广东", "channel": "trade_show"],
                                                     context: WriteContext(principal: admin.user, source: .api))
            #expect(mine.json["owner"] == .string(admin.user.userID))
            _ = try await admin.post("/admin/lead-routing/enabled", [("_csrf", csrf), ("enabled", "true")])
            #expect(try await keel.records.leadRouting(as: admin.user).routing?.enabled == true)
        }
    }
}
