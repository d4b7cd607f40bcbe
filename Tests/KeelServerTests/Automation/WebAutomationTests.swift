import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Automations, approvals and notifications in the web app.
@Suite struct WebAutomationTests {
    static let definition = """
        {"id": "welcome", "label": "新客户欢迎", "object": "accounts", "trigger": {"type": "created"}, "condition": "NOT(ISBLANK(city))",
         "actions": [{"type": "notify", "to": ["owner"], "message": "\\"新客户: \\" & name"}]}
        """

    @Test func adminsDryRunPublishAndFollowAutomationsOnTheirTab() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let me = admin.user
            _ = try await keel.records.create("accounts", ["name": "杭州甲公司", "city": "杭州"], context: WriteContext(principal: me, source: .api))
            _ = try await keel.records.create("accounts", ["name": "无城市公司"], context: WriteContext(principal: me, source: .api))
            let page = try await admin.get("/admin/automations")
            #expect(page.status == .ok && page.html.contains("还没有自动化规则") && page.html.contains("big-deal-review"))
            let csrf = Browser.csrf(in: page.html)

            let dry = try await admin.post("/admin/automations", [("_csrf", csrf), ("definition", Self.definition), ("intent", "dry-run")])
            #expect(dry.status == .ok && dry.html.contains("会触发的记录: 1 / 2") && dry.html.contains("新客户: 杭州甲公司"))
            #expect(try await keel.automations.list(by: me).isEmpty)

            let bad = try await admin.post("/admin/automations", [("_csrf", csrf), ("definition", Self.definition.replacingOccurrences(of: "city", with: "ctiy")),
                                                                  ("intent", "publish")])
            #expect(bad.status == .unprocessableContent && bad.html.contains("condition"))
            #expect(try await admin.post("/admin/automations", [("_csrf", csrf), ("definition", Self.definition), ("intent", "publish")]).status == .seeOther)
            _ = try await keel.records.create("accounts", ["name": "宁波乙公司", "city": "宁波"], context: WriteContext(principal: me, source: .api))
            try await keel.settle()
            let listed = try await admin.get("/admin/automations")
            #expect(listed.html.contains("<code>welcome</code>") && listed.html.contains("运行中") && listed.html.contains("100%"))
            let runs = try await admin.get("/admin/automations/welcome/runs")
            #expect(runs.status == .ok && runs.html.contains("成功") && runs.html.contains("#1"))
            #expect(try await admin.post("/admin/automations/welcome/disable", [("_csrf", csrf)]).status == .seeOther)
            #expect(try await admin.get("/admin/automations").html.contains("已停用"))

            // Webhooks: a loopback URL needs the admin's explicit permission; the secret is shown once.
            let refused = try await admin.post("/admin/webhooks", [("_csrf", csrf), ("id", "erp"), ("url", "http://127.0.0.1:9/hook")])
            #expect(refused.status == .unprocessableContent && refused.html.contains("127.0.0.1"))
            let created = try await admin.post("/admin/webhooks", [("_csrf", csrf), ("id", "erp"), ("url", "http://127.0.0.1:9/hook"), ("allowPrivate", "true"),
                                                                   ("objects", "accounts"), ("events", "created")])
            #expect(created.status == .ok && created.html.contains("whsec_"))
            #expect(!(try await admin.get("/admin/automations").html.contains("whsec_")))
            // Members never reach the tab.
            var member = sales
            try await member.signIn("sales@example.com", "sales-password")
            #expect(try await member.get("/admin/automations").status == .forbidden)
        }
    }

    @Test func aRecordIsSubmittedLockedAndDecidedInTheBrowser() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let root = admin.user
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "discount", "type": "percent", "labels": ["zh-CN": "折扣", "en": "Discount"]], as: root)
            _ = try await keel.approvals.publish(["id": "discount", "label": "折扣审批", "object": "opportunities", "entry": "discount > 10",
                                                  "steps": [["name": "总部", "approver": "role:admin", "when": "amount > 500"]], "on_approve": ["probability": "50"]], by: root)
            var sales = sales
            try await sales.signIn("sales@example.com", "sales-password")
            let id = try #require(try await keel.records.create("opportunities", ["name": "待批商机", "amount": 1000, "discount": 18],
                                                                context: WriteContext(principal: sales.user, source: .web)).json["id"]?.stringValue)
            let record = try await sales.get("/o/opportunities/\(id)")
            #expect(record.html.contains("提交审批") && record.html.contains("折扣审批"))
            let submitted = try await sales.post("/approvals", [("_csrf", Browser.csrf(in: record.html)), ("object", "opportunities"), ("record", id),
                                                                ("process", "discount")])
            #expect(submitted.status == .seeOther)
            let locked = try await sales.get("/o/opportunities/\(id)")
            #expect(locked.html.contains("此记录正在审批中") && !locked.html.contains("提交审批"))
            // The submitter sees the request but cannot decide it.
            #expect(!(try await sales.get("/approvals").html.contains("/decision")))

            let inbox = try await admin.get("/approvals")
            #expect(inbox.html.contains("总部") && inbox.html.contains("/decision"))
            // The request names the deal, its amount, the process and what is asked (what its conditions read), in the reader's language.
            #expect(inbox.html.contains(#"<a href="/o/opportunities/\#(id)">待批商机</a> <small>商机</small></td><td>¥1,000.00</td><td>折扣审批<div><small>折扣 18%</small></div></td>"#), "\(inbox.html)")
            #expect(try await keel.notifier.notifications(of: root).items.contains { $0.title == "折扣审批：商机「待批商机」 ¥1,000.00（折扣 18%），等待您审批（总部）" })
            let requestID = try #require(try await keel.approvals.requests(status: "pending", by: root).first?.id)
            let csrf = Browser.csrf(in: inbox.html)
            let noComment = try await admin.post("/approvals/\(requestID)/decision", [("_csrf", csrf), ("decision", "reject"), ("comment", "")])
            #expect(noComment.status == .unprocessableContent)
            let decided = try await admin.post("/approvals/\(requestID)/decision", [("_csrf", csrf), ("decision", "approve"), ("comment", "同意")])
            #expect(decided.headers[.location] == "/approvals?tab=history&done=1")
            // Decided, it leaves the waiting tab for the history tab.
            #expect(!(try await admin.get("/approvals").html.contains("待批商机")))
            let history = try await admin.get("/approvals?tab=history")
            #expect(history.html.contains("已同意") && history.html.contains("待批商机") && history.html.contains("同意"))
            #expect(try await keel.records.get("opportunities", id: id, as: root).0.value("probability") == .number(50))
            // The deal's timeline tells it: submitted, approved at the step with the comment, and the field it changed.
            let story = try await sales.get("/o/opportunities/\(id)?tl=approvals")
            #expect(story.html.contains(#"提交了审批: <a href="/approvals">折扣审批</a>"#) && story.html.contains(#"已同意: <a href="/approvals">折扣审批 · 总部</a><div class="muted">同意</div>"#),
                    "\(story.html)")
            #expect(!story.html.contains("<strong>赢率</strong>") && story.html.contains(#"aria-current="page">审批</a>"#))
            #expect(try await sales.get("/o/opportunities/\(id)").html.contains("<strong>赢率</strong>"))
            let notifications = try await sales.get("/notifications")
            #expect(notifications.html.contains("折扣审批：商机「待批商机」 ¥1,000.00 已同意") && notifications.html.contains("/o/opportunities/\(id)"))
            // When, as people say it; no ISO instant on the page.
            #expect(notifications.html.contains("刚刚</time>") && !notifications.html.contains("Z</"), "\(notifications.html)")
            #expect(try await sales.post("/notifications/read", [("_csrf", Browser.csrf(in: notifications.html))]).status == .seeOther)
            #expect(try await keel.notifier.notifications(of: sales.user).unread == 0)
        }
    }
}
