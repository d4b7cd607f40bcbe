import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The pages beyond the form round trip: today, record sections and related lists.
@Suite struct WebPagesTests {
    @Test func todayShowsMyDueTasksWaitingLeadsOpenDealsAndRecentChanges() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let me = browser.user
            // An admin: the only one (besides me) whom the default policies let change my deal.
            let other = try await keel.makeUser("other@example.com", role: .admin, password: "other-password")
            let mine = WriteContext(principal: me, source: .web)
            let theirs = WriteContext(principal: other, source: .api)
            let yesterday = keel.day(Date().addingTimeInterval(-86_400)), nextWeek = keel.day(Date().addingTimeInterval(7 * 86_400))
            _ = try await keel.records.createBatch("tasks", [
                ["subject": "回访第一人民医院", "due": .string(yesterday), "assignee": .string(me.userID)],
                ["subject": "下周的任务", "due": .string(nextWeek), "assignee": .string(me.userID)],
                ["subject": "今天的任务", "due": .string(keel.day(Date())), "assignee": .string(me.userID)],
                ["subject": "已完成的任务", "due": .string(yesterday), "assignee": .string(me.userID), "status": "done"],
            ], context: mine)
            _ = try await keel.records.create("tasks", ["subject": "别人的任务", "due": .string(yesterday), "assignee": .string(other.userID)], context: theirs)
            _ = try await keel.records.createBatch("leads", [
                ["name": "王芳", "company": "杭州云栖科技", "channel": "website"],
                ["name": "已联系的线索", "status": "contacted"],
            ], context: mine)
            _ = try await keel.records.create("leads", ["name": "别人的线索"], context: theirs)
            let deals = try await keel.records.createBatch("opportunities", [
                ["name": "CT 采购", "stage": "proposal", "amount": 1_200_000],
                ["name": "MRI 采购", "stage": "proposal", "amount": 800_000],
                ["name": "已赢单", "stage": "closed_won", "amount": 5],
                ["name": "今天成交的单", "stage": "negotiation", "amount": 10, "expected_close_date": .string(keel.day(Date()))],
                ["name": "拖了一个月的单", "stage": "negotiation", "amount": 20, "expected_close_date": .string(keel.day(Date().addingTimeInterval(-31 * 86_400)))],
                ["name": "明年的单", "stage": "negotiation", "amount": 30, "expected_close_date": .string(keel.day(Date().addingTimeInterval(400 * 86_400)))],
            ], context: mine)
            _ = try await keel.records.update("opportunities", id: deals[0].id, ["amount": 1_500_000, "expected_close_date": "2030-06-28"], expectedVersion: nil, context: theirs)
            let hospital = try #require(try await keel.records.create("accounts", ["name": "市第一人民医院"], context: mine).json["id"]?.stringValue)
            _ = try await keel.records.update("opportunities", id: deals[1].id, ["account": .string(hospital)], expectedVersion: nil, context: theirs)

            let home = try await browser.get("/")
            #expect(home.status == .ok)
            #expect(home.html.contains("回访第一人民医院"))
            #expect(home.html.contains(#"<li class="overdue">"#))
            #expect(!home.html.contains("下周的任务") && !home.html.contains("已完成的任务") && !home.html.contains("别人的任务"))
            // Dues read as people say them: 昨天 (overdue, flagged), 今天.
            #expect(home.html.contains(#"回访第一人民医院</a> <time datetime="\#(yesterday)">昨天</time>"#) && home.html.contains(">今天的任务</a> <time") && home.html.contains(">今天</time>"))
            // Deals expected to close this month, and those past their date, flagged; not next year's.
            let closing = try #require(home.html.components(separatedBy: #"id="h-closing""#).last?.components(separatedBy: "</section>").first)
            #expect(closing.contains("今天成交的单") && closing.contains("拖了一个月的单") && !closing.contains("明年的单"), "\(closing)")
            #expect(closing.contains(#"<li class="overdue">"#) && closing.contains(">逾期 31 天</time>"))
            #expect(home.html.contains("王芳"))
            #expect(home.html.contains("待联系的新线索 <small>(1)</small>"))
            let waiting = try #require(home.html.components(separatedBy: #"id="h-leads""#).last?.components(separatedBy: "</section>").first)
            #expect(!waiting.contains("已联系的线索") && !home.html.contains("别人的线索"))
            #expect(home.html.contains(#"提交方案</a></td><td>2</td><td>¥2,300,000.00</td>"#))
            // A changed reference reads as a name.
            #expect(home.html.contains(#"<strong>客户</strong>: <span class="old">—</span> → <span class="new">市第一人民医院</span>"#) && !home.html.contains(">" + hospital + "<"))
            // Where the lead came from, in words; when, relative.
            #expect(home.html.contains("官网 · <time") && home.html.contains("刚刚</time>"))
            #expect(!home.html.contains("赢单</a></td>"))
            let otherName = try #require(try await keel.auth.users(by: me).first { $0.id == other.userID }?.name)
            // One entry per edit: who, what, and each field changed in it.
            #expect(home.html.contains(#"<span class="actor">\#(otherName)</span> 修改了 · 商机 <a href="/o/opportunities/\#(deals[0].id)">CT 采购</a>"#
                + "\n" + #"<ul class="changes"><li><strong>金额</strong>: <span class="old">¥1,200,000.00</span> → <span class="new">¥1,500,000.00</span></li>"#
                + #"<li><strong>预计成交日期</strong>: <span class="old">—</span> → <span class="new">2030-06-28</span></li></ul>"#))

            // A quick log from Today, and one on a deal's page: an activity that happened now, on the deal.
            let logged = try await browser.post("/quick-log", [("_csrf", Browser.csrf(in: home.html)), ("type", "call"), ("subject", "电话沟通报价，明天上午10点发报价单"), ("next", "/")])
            #expect(logged.status == .seeOther && logged.headers[.location]?.hasPrefix("/?logged=1&step=") == true, "\(logged.headers)")
            #expect(try await browser.get("/?logged=1").html.contains("已记录。"))
            // A call that says nothing about what comes next is not logged: the activity form asks for the next step and its time.
            let vague = try await browser.post("/quick-log", [("_csrf", Browser.csrf(in: home.html)), ("type", "call"), ("subject", "已沟通"), ("next", "/")])
            #expect(vague.status == .unprocessableContent && vague.html.contains(#"id="e-next_step""#) && vague.html.contains(#"id="e-next_step_due""#)
                    && vague.html.contains(#"value="已沟通""#), "\(vague.html)")
            let dealPage = try await browser.get("/o/opportunities/\(deals[0].id)")
            #expect(dealPage.html.contains(#"<input type="hidden" name="related_to" value="\#(deals[0].id)">"#))
            let onDeal = try await browser.post("/quick-log", [("_csrf", Browser.csrf(in: dealPage.html)), ("type", "visit"), ("subject", "上门演示，明天下午2点发方案"),
                                                               ("related_to", deals[0].id), ("next", "/o/opportunities/\(deals[0].id)")])
            #expect(onDeal.headers[.location]?.hasPrefix("/o/opportunities/\(deals[0].id)?logged=1&step=") == true)
            let activities = try await keel.records.list("activities", params: [("sort", "created_at"), ("limit", "2")], as: me).records
            #expect(activities.map { [$0.value("subject"), $0.value("type"), $0.value("related_to")] }
                    == [["电话沟通报价，明天上午10点发报价单", "call", .null], ["上门演示，明天下午2点发方案", "visit", .string(deals[0].id)]])
            #expect(activities.allSatisfy { $0.value("occurred_at").stringValue != nil })
            // Left to detect, a note with a next step and its time: a call, its next step, and a task due that day for the deal.
            let noted = try await browser.post("/quick-log", [("_csrf", Browser.csrf(in: dealPage.html)), ("type", ""), ("subject", "明天下午3点给张总回电话"),
                                                              ("related_to", deals[0].id), ("next", "/o/opportunities/\(deals[0].id)")])
            let back = try #require(noted.headers[.location])
            let tomorrow = keel.day(Date().addingTimeInterval(86_400))
            #expect(back.hasPrefix("/o/opportunities/\(deals[0].id)?logged=1&step="), "\(back)")
            #expect(try await browser.get(back).html.contains("已记录；下一步「给张总回电话」已建为任务，\(tomorrow) 15:00 到期。"))
            let call = try #require(try await keel.records.list("activities", params: [("filter[subject][eq]", "明天下午3点给张总回电话")], as: me).records.first)
            #expect(call.value("type") == "call" && call.value("next_step") == "给张总回电话" && call.value("next_step_due").stringValue != nil)
            // Its page says how far it can be believed, and why.
            let callPage = try await browser.get("/o/activities/\(call.id)").html
            #expect(callPage.contains(#"<h2 id="h-credibility">可信度</h2><p class="big">50 分</p>"#) && callPage.contains("<li>发生当天记录 <small>+30</small></li>")
                    && callPage.contains("<li>没有任何佐证 <small>+0</small></li>"), "\(callPage)")
            let task = try #require(try await keel.records.list("tasks", params: [("filter[subject][eq]", "给张总回电话")], as: me).records.first)
            #expect(task.value("due") == .string(tomorrow) && task.value("assignee") == .string(me.userID) && task.value("related_to") == .string(deals[0].id))
            // Nothing said: the activity form, with the reason next to the subject.
            let empty = try await browser.post("/quick-log", [("_csrf", Browser.csrf(in: home.html)), ("type", "call"), ("subject", ""), ("next", "/")])
            #expect(empty.status == .unprocessableContent && empty.html.contains(#"<p class="error" id="e-subject">此项必填</p>"#))
        }
    }

    /// 跟进质量: the reader's month of activities by credibility, and the customers silent for 30 working days.
    @Test func followUpQualityShowsTheMonthByRepAndTheDormantCustomers() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .web)
            let silent = try #require(try await keel.records.create("accounts", ["name": "杭州西湖数据科技有限公司"], context: ctx).json["id"]?.stringValue)
            _ = try await keel.records.create("opportunities", ["name": "数据平台", "account": .string(silent)], context: ctx)
            _ = try await keel.records.create("activities", ["type": "note", "subject": "内部备注", "related_to": .string(silent),
                                                             "occurred_at": .string(ValueFormats.formatDateTime(Date()))], context: ctx)
            let page = try await browser.get("/follow-ups")
            #expect(page.status == .ok)
            let name = try #require(try await keel.auth.users(by: browser.user).first { $0.id == browser.user.userID }?.name)
            #expect(page.html.contains("<tr><th scope=\"row\">\(name)</th><td>1</td><td>40.0 分</td><td>0%</td><td>100%</td></tr>"), "\(page.html)")
            #expect(page.html.contains("<h2>沉睡客户（1 个）</h2>") && page.html.contains(#"<a href="/o/accounts/\#(silent)">杭州西湖数据科技有限公司</a></th><td>\#(name)</td><td>从未</td>"#), "\(page.html)")
            #expect(try await browser.get("/follow-ups?month=2026-13").status == .unprocessableContent)
        }
    }

    @Test func aRecordPageGroupsFieldsAndListsRelatedRecords() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .web)
            _ = try await keel.metadata.addField(to: "accounts", ["name": "beds", "type": "number", "labels": ["zh-CN": "床位数", "en": "Beds"]],
                                                 as: try await keel.makeUser())
            let account = try #require(try await keel.records.create("accounts", ["name": "第一人民医院", "city": "杭州", "beds": 1200],
                                                                     context: ctx).json["id"]?.stringValue)
            _ = try await keel.records.createBatch("contacts", (1...7).map { ["name": .string("联系人\($0)"), "account": .string(account)] }, context: ctx)
            _ = try await keel.records.create("opportunities", ["name": "CT 采购", "account": .string(account)], context: ctx)
            _ = try await keel.records.create("tasks", ["subject": "发送报价", "related_to": .string(account)], context: ctx)
            _ = try await keel.records.create("contacts", ["name": "别家的联系人"], context: ctx)

            let page = try await browser.get("/o/accounts/\(account)")
            #expect(page.status == .ok)
            for heading in ["基本信息", "地址", "归属", "其他信息", "系统信息"] { #expect(page.html.contains("<h2>\(heading)</h2>"), "\(heading)") }
            #expect(page.html.contains("<dt>床位数</dt><dd>1200</dd>"))
            #expect(page.html.contains("联系人 · 所属客户 <small>(7)</small>"))
            #expect(page.html.contains("商机 · 客户 <small>(1)</small>"))
            #expect(page.html.contains("任务 <small>(1)</small>"))
            #expect(page.html.contains("发送报价"))
            #expect(!page.html.contains("别家的联系人"))
            #expect(page.html.components(separatedBy: "联系人").count >= 6)
            #expect(page.html.contains("/o/contacts?ff=account&amp;fo=eq&amp;fv=\(account)"))

            let prefilled = try await browser.get("/o/contacts/new?account=\(account)")
            #expect(prefilled.html.contains(#"<input type="hidden" name="account" value="\#(account)">"#))
        }
    }

    @Test func searchGroupsResultsByObjectAndEscapesThem() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .web)
            _ = try await keel.records.create("accounts", ["name": "<b>杭州</b>云栖科技", "phone": "0571-8888 6666"], context: ctx)
            _ = try await keel.records.create("contacts", ["name": "周先生", "mobile": "+86 139 0571 0000"], context: ctx)

            let landline = try await browser.get("/search?q=%280571%29%208888-6666")
            #expect(landline.status == .ok)
            #expect(landline.html.contains("<h2>客户 <small>(1)</small></h2>"))
            #expect(landline.html.contains("&lt;b&gt;杭州&lt;/b&gt;云栖科技"))
            #expect(!landline.html.contains("<b>杭州"))
            let mobile = try await browser.get("/search?q=13905710000")
            #expect(mobile.html.contains("<h2>联系人 <small>(1)</small></h2>"))
            #expect(mobile.html.contains("周先生"))
            let none = try await browser.get("/search?q=%E4%B8%8D%E5%AD%98%E5%9C%A8")
            #expect(none.html.contains("没有找到匹配的记录"))
            #expect(none.html.contains(#"value="不存在""#))
        }
    }

    @Test func theBoardShowsStagesWithTotalsAndMovesCardsWithoutScript() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .api)
            let account = try #require(try await keel.records.create("accounts", ["name": "第一人民医院"], context: ctx).json["id"]?.stringValue)
            let deals = try await keel.records.createBatch("opportunities", [
                ["name": "CT 采购", "stage": "proposal", "amount": 1_200_000, "account": .string(account)],
                ["name": "MRI 采购", "stage": "proposal", "amount": 800_000],
                ["name": "耗材", "stage": "negotiation", "amount": 50_000, "expected_close_date": "2020-01-31"],
            ], context: ctx)
            _ = try await keel.records.create("activities", ["type": "call", "subject": "报价沟通", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(deals[0].id),
                                                             "occurred_at": .string(ValueFormats.formatDateTime(Date().addingTimeInterval(-3 * 3_600)))], context: ctx)
            let other = try await keel.makeUser("other@example.com", role: .member, password: "other-password")
            _ = try await keel.records.create("opportunities", ["name": "别人的商机", "stage": "proposal", "amount": 1], context: WriteContext(principal: other, source: .api))

            let board = try await browser.get("/board")
            #expect(board.status == .ok)
            #expect(board.html.contains(#"<h2 id="col-proposal">提交方案</h2><p class="muted total">2 · ¥2,000,000.00</p>"#))
            #expect(board.html.contains(#"<h2 id="col-negotiation">商务谈判</h2><p class="muted total">1 · ¥50,000.00</p>"#))
            #expect(board.html.contains(#"<h2 id="col-closed_won">赢单</h2><p class="muted total">0 · ¥0.00</p>"#))
            #expect(board.html.contains("第一人民医院"))
            #expect(!board.html.contains("别人的商机"))
            // Each card says when the deal last saw an activity and how long it has sat in its stage.
            #expect(board.html.contains("<small>最近活动 3 小时前 · 本阶段 0 天</small>"))
            #expect(board.html.contains("<small>尚无活动 · 本阶段 0 天</small>"))
            // "Everyone's" deals are those the policies let this member see: their own.
            #expect(try await browser.get("/board?owner=all").html.contains(#"<p class="muted total">2 · ¥2,000,000.00</p>"#))

            let csrf = Browser.csrf(in: board.html)
            let moved = try await browser.post("/board/move", [("_csrf", csrf), ("id", deals[2].id), ("_version", "1"), ("stage", "closed_won"), ("next", "/board")])
            #expect(moved.status == .seeOther)
            #expect(moved.headers[.location] == "/board?moved=\(deals[2].id)&from=negotiation")
            // The board says what happened and offers to move it back; the close date is flagged while a deal is open.
            let after = try await browser.get("/board?moved=\(deals[2].id)&from=negotiation")
            #expect(after.html.contains(#"<h2 id="col-closed_won">赢单</h2><p class="muted total">1 · ¥50,000.00</p>"#))
            #expect(after.html.contains("已将商机「耗材」移至 赢单。") && after.html.contains(#"<input type="hidden" name="stage" value="negotiation">"#))
            #expect(board.html.contains(#"<div class="muted overdue">预计成交 <time datetime="2020-01-31">逾期 "#))
            #expect(after.html.contains(#"<div class="muted">预计成交 <time datetime="2020-01-31">2020-01-31</time></div>"#))
            // The probability followed the stage (it was the stage's own), and follows it back.
            #expect(try await keel.records.get("opportunities", id: deals[2].id, as: browser.user).0.value("probability") == .number(100))
            let undone = try await browser.post("/board/move", [("_csrf", csrf), ("id", deals[2].id), ("_version", "2"), ("stage", "negotiation"), ("next", "/board")])
            #expect(undone.status == .seeOther)
            let back = try await keel.records.get("opportunities", id: deals[2].id, as: browser.user).0
            #expect(back.value("stage") == "negotiation" && back.value("probability") == .number(80))
            let history = try await keel.records.history("opportunities", id: deals[2].id, as: browser.user)
            #expect(history.filter { $0.field == "stage" }.suffix(2).map { [$0.newValue.stringValue ?? "", $0.source] } == [["closed_won", "web"], ["negotiation", "web"]])

            // Bad input changes nothing: a stale card, an unknown stage, a missing token.
            let stale = try await browser.post("/board/move", [("_csrf", csrf), ("id", deals[2].id), ("_version", "1"), ("stage", "proposal")])
            #expect(stale.status == .conflict)
            let unknown = try await browser.post("/board/move", [("_csrf", csrf), ("id", deals[0].id), ("_version", "1"), ("stage", "won_by_magic")])
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.html.contains("不是可选的值"))
            #expect(try await browser.post("/board/move", [("id", deals[0].id), ("_version", "1"), ("stage", "closed_lost")]).status == .forbidden)
            let untouched = try await keel.records.get("opportunities", id: deals[0].id, as: browser.user).0
            #expect(untouched.version == 1 && untouched.values["stage"] == "proposal")
            #expect(try await keel.records.get("opportunities", id: deals[2].id, as: browser.user).0.values["stage"] == "negotiation")
        }
    }

    /// A move its gate refuses for what no form gives — a file, a decision maker — leaves the card where it was, and
    /// says where on the deal's (or its customer's) page to give it.
    @Test func aRefusedMoveSaysWhereToGiveWhatNoFormCan() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            _ = try await keel.pipelines.setDocument("opportunities", ["pipelines": [["name": "standard", "stages": [
                ["name": "qualification", "probability": 20],
                ["name": "proposal", "probability": 60, "gate": ["attachments": ["quote"],
                                                                  "related": [["object": "contacts", "link": "account", "on": "account", "where": ["role": "决策人"], "min": 1,
                                                                               "labels": ["zh-CN": "决策人", "en": "Decision maker"]]]]],
                ["name": "closed_won", "probability": 100, "outcome": "won"], ["name": "closed_lost", "probability": 0, "outcome": "lost"],
            ]]]], by: try await keel.makeUser())
            let ctx = WriteContext(principal: browser.user, source: .web)
            let account = try #require(try await keel.records.create("accounts", ["name": "第一人民医院"], context: ctx).json["id"]?.stringValue)
            let deal = try #require(try await keel.records.create("opportunities", ["name": "CT 采购", "account": .string(account), "stage": "qualification"],
                                                                  context: ctx).json["id"]?.stringValue)
            let board = try await browser.get("/board")
            let refused = try await browser.post("/board/move", [("_csrf", Browser.csrf(in: board.html)), ("id", deal), ("_version", "1"), ("stage", "proposal"), ("next", "/board")])
            #expect(refused.status == .unprocessableContent)
            #expect(refused.html.contains(#"<a href="/o/opportunities/\#(deal)#h-attachments">去上传</a>"#), "\(refused.html)")
            #expect(refused.html.contains(#"<a href="/o/accounts/\#(account)">去客户页添加</a>"#), "\(refused.html)")
            #expect(try await keel.records.get("opportunities", id: deal, as: browser.user).0.value("stage") == "qualification")
        }
    }

    /// A deal longer in its stage than the stage allows is flagged in the list too, beside its stage.
    @Test func staleDealsAreFlaggedInTheList() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            _ = try await keel.pipelines.setDocument("opportunities", ["pipelines": [["name": "standard", "stages": [
                ["name": "qualification", "probability": 20, "rotDays": 3], ["name": "proposal", "probability": 60],
                ["name": "closed_won", "probability": 100, "outcome": "won"], ["name": "closed_lost", "probability": 0, "outcome": "lost"],
            ]]]], by: try await keel.makeUser())
            let ctx = WriteContext(principal: browser.user, source: .web)
            _ = try await keel.records.createBatch("opportunities", [["name": "停了很久的商机", "stage": "qualification"], ["name": "刚开的商机", "stage": "qualification"]],
                                                   context: ctx, dates: [Date().addingTimeInterval(-21 * 86_400), Date()])
            let list = try await browser.get("/o/opportunities?col=name&col=stage&sort=name")
            #expect(list.html.contains(#"<td>需求确认 <span class="flag">停滞 "#) && list.html.components(separatedBy: #"class="flag""#).count == 2, "\(list.html)")
        }
    }

    @Test func listsChooseColumnsFilterOnCustomFieldsAndSaveViews() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let admin = try await keel.makeUser()
            _ = try await keel.metadata.addField(to: "accounts", ["name": "beds", "type": "number", "labels": ["zh-CN": "床位数", "en": "Beds"]], as: admin)
            let ctx = WriteContext(principal: browser.user, source: .api)
            _ = try await keel.records.createBatch("accounts", (1...60).map { i in
                ["name": .string("医院\(i)"), "city": .string(i % 2 == 0 ? "杭州" : "宁波"), "beds": JSONValue(i * 10)]
            }, context: ctx)

            // Two filter rows (one on the custom field), chosen columns, sorted by the custom field.
            let uri = "/o/accounts?ff=city&fo=eq&fv=%E6%9D%AD%E5%B7%9E&ff=beds&fo=gte&fv=300&col=name&col=beds&sort=-beds"
            let page = try await browser.get(uri)
            #expect(page.status == .ok)
            #expect(page.html.contains("<p class=\"count\">16 条记录</p>"))
            #expect(page.html.contains(#"<th scope="col" aria-sort="descending"><a href="#))
            #expect(page.html.contains(">医院60</a></td><td>600</td></tr><tr><td><a href="))
            #expect(page.html.contains(">公司名称</a></th>") && !page.html.contains(">城市</a></th>"))
            #expect(!page.html.contains(">宁波<"))

            // Saved as a personal view: it reproduces the list; another member does not see it.
            let saved = try await browser.post("/o/accounts/views", [("_csrf", Browser.csrf(in: page.html)), ("name", "杭州大医院"),
                                                                     ("col", "name"), ("col", "beds"), ("ff", "city"), ("fo", "eq"), ("fv", "杭州"),
                                                                     ("ff", "beds"), ("fo", "gte"), ("fv", "300"), ("sort", "-beds")])
            #expect(saved.status == .seeOther)
            let viewURI = try #require(saved.headers[.location])
            let viewed = try await browser.get(viewURI)
            #expect(viewed.html.contains("<p class=\"count\">16 条记录</p>"))
            #expect(viewed.html.contains(#"aria-current="page">杭州大医院</a>"#))
            let viewID = String(viewURI.split(separator: "=").last ?? "")
            let other = try await keel.makeUser("other@example.com", role: .member, password: "other-password")
            var otherBrowser = Browser(client: browser.client, user: other)
            try await otherBrowser.signIn("other@example.com", "other-password")
            #expect(!(try await otherBrowser.get("/o/accounts").html.contains("杭州大医院")))
            #expect(try await otherBrowser.get(viewURI).status == .notFound)

            // Only managers and admins share; a shared view shows for everyone.
            let refused = try await browser.post("/o/accounts/views", [("_csrf", Browser.csrf(in: page.html)), ("name", "全员"), ("col", "name"), ("shared", "1")])
            #expect(refused.status == .forbidden)
            let manager = try await keel.makeUser("boss@example.com", role: .manager, password: "boss-password")
            var boss = Browser(client: browser.client, user: manager)
            try await boss.signIn("boss@example.com", "boss-password")
            let bossPage = try await boss.get("/o/accounts")
            #expect(bossPage.html.contains("共享给所有人"))
            let shared = try await boss.post("/o/accounts/views", [("_csrf", Browser.csrf(in: bossPage.html)), ("name", "宁波客户"), ("col", "name"),
                                                                   ("ff", "city"), ("fo", "eq"), ("fv", "宁波"), ("shared", "1")])
            #expect(shared.status == .seeOther)
            let seen = try await otherBrowser.get("/o/accounts")
            #expect(seen.html.contains("宁波客户</a> <small>(共享)</small>"))
            #expect(!seen.html.contains("aria-label=\"删除视图 宁波客户\""))

            // Bad input: a view without a name, a filter that does not fit its field, deleting someone else's view.
            let unnamed = try await browser.post("/o/accounts/views", [("_csrf", Browser.csrf(in: page.html)), ("name", " "), ("col", "name")])
            #expect(unnamed.status == .unprocessableContent)
            #expect(unnamed.html.contains("此项必填"))
            let badFilter = try await browser.get("/o/accounts?ff=beds&fo=gt&fv=%E5%BE%88%E5%A4%9A")
            #expect(badFilter.status == .badRequest)
            #expect(badFilter.html.contains("筛选条件有误"))
            #expect(badFilter.html.contains(#"value="很多""#))
            let steal = try await otherBrowser.post("/o/accounts/views/\(viewID)/delete", [("_csrf", Browser.csrf(in: seen.html))])
            #expect(steal.status == .notFound)
            #expect(try await keel.views.views(of: "accounts", as: browser.user).count == 2)
            let deleted = try await browser.post("/o/accounts/views/\(viewID)/delete", [("_csrf", Browser.csrf(in: viewed.html))])
            #expect(deleted.status == .seeOther)
            #expect(try await keel.views.views(of: "accounts", as: browser.user).map(\.name) == ["宁波客户"])

            // Pages: 50 per page, the next page continues in order.
            let first = try await browser.get("/o/accounts?col=name&sort=beds")
            #expect(first.html.contains("<p class=\"count\">60 条记录</p>"))
            let nextHref = try #require(first.html.range(of: #"<a href=""#, options: .backwards).map { first.html[$0.upperBound...].prefix { $0 != "\"" } })
            let second = try await browser.get(String(nextHref).replacingOccurrences(of: "&amp;", with: "&"))
            #expect(second.html.contains(">医院51</a>") && !second.html.contains(">医院50</a>"))
        }
    }

    @Test func theDashboardChartsConversionPipelineWonAndLostAndLeadsForAPeriod() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .api)
            _ = try await keel.records.createBatch("opportunities", [
                ["name": "A", "stage": "prospecting", "amount": 100], ["name": "B", "stage": "prospecting", "amount": 300],
                ["name": "C", "stage": "proposal", "amount": 1000],
                ["name": "D", "stage": "closed_won", "amount": 99, "expected_close_date": .string(keel.day(Date()))],
            ], context: ctx)
            _ = try await keel.records.createBatch("leads", [
                ["name": "甲", "channel": "website"], ["name": "乙", "channel": "website", "status": "contacted"], ["name": "丙", "channel": "trade_show"],
            ], context: ctx)
            // A contract signed this month, for which the ERP booked ¥1,000 (as the reconciliation writes it back).
            let account = try #require(try await keel.records.create("accounts", ["name": "深圳市腾达科技有限公司"], context: ctx).json["id"]?.stringValue)
            let contract = try #require(try await keel.records.create("contracts", ["name": "年度服务合同", "account": .string(account), "status": "signed",
                                                                                     "signed_at": .string(ValueFormats.formatDateTime(Date()))], context: ctx).json["id"]?.stringValue)
            _ = try await keel.records.update("contracts", id: contract, ["finance_confirmed_amount": 1000], expectedVersion: nil,
                                              context: WriteContext(principal: browser.user, source: .erp))
            // One in dollars: its figures stand apart, never added to the yuan.
            let dollars = try #require(try await keel.records.create("contracts", ["name": "海外服务合同", "account": .string(account), "status": "signed", "currency": "USD",
                                                                                    "signed_at": .string(ValueFormats.formatDateTime(Date()))], context: ctx).json["id"]?.stringValue)
            _ = try await keel.records.update("contracts", id: dollars, ["finance_confirmed_amount": "250.5"], expectedVersion: nil,
                                              context: WriteContext(principal: browser.user, source: .erp))
            let page = try await browser.get("/dashboard")
            #expect(page.status == .ok)
            #expect(page.html.components(separatedBy: "<svg class=\"chart\"").count - 1 == 6)
            #expect(page.html.contains("<td>财务确认</td><td>¥1,000.00</td>") && page.html.contains("<td>已签合同</td><td>¥0.00</td>"), "\(page.html)")
            #expect(page.html.contains("<td>财务确认 · USD</td><td>US$250.50</td>") && page.html.contains("<title>财务确认: ¥1,000</title>"), "\(page.html)")
            // The open pipeline (counts and short amounts; the table exact), won and lost, the conversion funnel.
            #expect(page.html.contains("<title>初步接洽: 2 · ¥400</title>") && page.html.contains("<title>提交方案: 1 · ¥1,000</title>"))
            #expect(page.html.contains("<td>初步接洽</td><td>2</td><td>¥400.00</td>"))
            #expect(page.html.contains("<title>新增线索: 3 · 100%</title>") && page.html.contains("<title>已联系: 1 · 33%</title>"))
            #expect(page.html.contains("<summary>以表格查看</summary>"))
            #expect(page.html.contains("<title>官网: 2</title>"))
            #expect(page.html.contains("<title>展会: 1</title>"))
            #expect(page.html.contains("<title>官网 · 已联系: 1</title>"))
            #expect(page.html.contains("<title>赢单: 1 · ¥99</title>") && page.html.contains("<title>赢单商机: 1 · 33%</title>"))
            #expect(!page.html.contains("website") && !page.html.contains("trade_show"))
            // Another period: none of this month's leads; a member has no rep filter.
            let last = try await browser.get("/dashboard?period=last_month")
            #expect(last.html.contains("<title>新增线索: 0</title>") && last.html.contains(#"<option value="last_month" selected>上月</option>"#))
            #expect(!last.html.contains(#"id="d-owner""#))
        }
    }
}
