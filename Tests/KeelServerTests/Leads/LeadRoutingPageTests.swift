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

/// The lead inbox as a rep and an admin use it: claim from the pool, release with a reason, assign an unassigned lead.
@Suite struct LeadInboxPageTests {
    @Test func aRepClaimsAndReleasesAndAnAdminAssignsTheUnassigned() async throws {
        try await Browser.with { rep, keel in
            var rep = rep
            try await rep.signIn("sales@example.com", "sales-password")
            let admin = try await rep.signedInAdmin(keel)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "cold", "name": "低分", "when": ["score": ["max": 20]], "strategy": "pool"],
                                                                 ["id": "east", "name": "华东", "when": ["regions": ["上海"]], "members": ["sales@example.com"]]],
                                                       "pool": ["claimsPerDay": 1]], by: admin.user)
            let ctx = WriteContext(principal: admin.user, source: .api)
            let cold = try await keel.records.create("leads", ["name": "冷线索", "company": "某某科技", "phone": "13912345601", "score": 10, "province": "浙江"],
                                                     context: ctx).json["id"]!.stringValue!
            let other = try await keel.records.create("leads", ["name": "另一条", "phone": "13912345602", "score": 5], context: ctx).json["id"]!.stringValue!
            let stray = try await keel.records.create("leads", ["name": "无主线索", "phone": "13912345603", "province": "四川"], context: ctx).json["id"]!.stringValue!

            // The menu's 线索 opens the inbox; the pool shows both cold leads, without their phones.
            let home = try await rep.get("/")
            #expect(home.html.contains(#"<a href="/lead-inbox">线索</a>"#), "\(home.html)")
            let pool = try await rep.get("/lead-inbox?tab=pool")
            #expect(pool.html.contains("冷线索") && pool.html.contains("另一条") && !pool.html.contains("13912345601"))
            #expect(pool.html.contains("规则「低分」：评分 10，进入公海待培育") && pool.html.contains("浙江"))
            // A reader of English reads why in English.
            _ = try await rep.post("/locale", [("_csrf", Browser.csrf(in: pool.html)), ("locale", "en"), ("next", "/lead-inbox?tab=pool")])
            let englishPool = try await rep.get("/lead-inbox?tab=pool").html
            #expect(englishPool.contains("Rule “低分”: score 10, sent to the pool for nurturing") && !englishPool.contains("进入公海待培育"))
            _ = try await rep.post("/locale", [("_csrf", Browser.csrf(in: englishPool)), ("locale", "zh-CN"), ("next", "/lead-inbox?tab=pool")])
            let csrf = Browser.csrf(in: pool.html)

            let claimed = try await rep.post("/lead-inbox/claim", [("_csrf", csrf), ("id", cold)])
            #expect(claimed.status == .seeOther && claimed.headers[.location] == "/lead-inbox?tab=mine&done=claimed")
            let mine = try await rep.get("/lead-inbox?tab=mine&done=claimed")
            #expect(mine.html.contains("已领取，线索已在「我的线索」中。") && mine.html.contains(#"<a href="/o/leads/\#(cold)">冷线索</a>"#))
            // One claim a day: the second is refused in words, on the pool tab.
            let limited = try await rep.post("/lead-inbox/claim", [("_csrf", csrf), ("id", other)])
            #expect(limited.status == .conflict && limited.html.contains("今天的领取次数已用完。"))

            // Release needs a reason; with one, the lead goes back.
            let noReason = try await rep.post("/lead-inbox/release", [("_csrf", csrf), ("id", cold), ("reason", "")])
            #expect(noReason.status == .unprocessableContent && noReason.html.contains("此项必填"))
            _ = try await rep.post("/lead-inbox/release", [("_csrf", csrf), ("id", cold), ("reason", "客户已选别家")])
            #expect(try await keel.records.get("leads", id: cold, as: admin.user).0.value("owner") == .null)

            // The admin sees the lead no rule covered and gives it to the rep, with a note.
            let queue = try await admin.get("/lead-inbox?tab=unassigned")
            #expect(queue.html.contains("无主线索") && queue.html.contains("没有匹配的分配规则"))
            let assigned = try await admin.post("/lead-inbox/assign", [("_csrf", Browser.csrf(in: queue.html)), ("id", stray), ("owner", rep.user.userID),
                                                                       ("reason", "四川暂由华东跟进")])
            #expect(assigned.status == .seeOther)
            let given = try await keel.records.get("leads", id: stray, as: admin.user).0
            #expect(given.value("owner") == .string(rep.user.userID) && given.value("assignment_reason").stringValue?.hasSuffix("改派：四川暂由华东跟进") == true)
            #expect(try await rep.get("/lead-inbox").html.contains("无主线索"))
        }
    }
}
