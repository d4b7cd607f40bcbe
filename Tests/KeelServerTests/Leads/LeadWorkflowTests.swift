import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// A lead's way out, as a salesperson takes it in the browser: converted to an account, a contact and a deal through
/// the duplicate check (linking the company that exists), or disqualified with a reason.
@Suite struct LeadWorkflowTests {
    @Test func aLeadConvertsLinkingTheCompanyThatExistsAndIsDisqualifiedWithAReason() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .web)
            let existing = try #require(try await keel.records.create("accounts", ["name": "杭州云栖科技有限公司", "city": "杭州"], context: ctx).json["id"]?.stringValue)
            let lead = try #require(try await keel.records.create("leads", ["name": "陈静", "company": "杭州云栖科技有限公司", "phone": "13912345678",
                                                                            "email": "chenjing@yunqi.cn", "channel": "trade_show"], context: ctx).json["id"]?.stringValue)
            // The list shows each lead's status and owner; the lead's page offers convert and disqualify.
            let list = try await browser.get("/o/leads")
            #expect(list.html.contains(">状态</a>") && list.html.contains(">负责人</a>") && list.html.contains("<td>新线索</td>") && list.html.contains("<td>展会</td>"))
            let page = try await browser.get("/o/leads/\(lead)")
            #expect(page.html.contains(#"href="/o/leads/\#(lead)/convert">转化线索</a>"#) && page.html.contains(#"<button type="submit" class="danger">标记无效</button>"#))

            // The duplicate check found the company: linking it is the default; the contact and the deal are new.
            let form = try await browser.get("/o/leads/\(lead)/convert")
            #expect(form.html.contains(#"<input type="radio" name="account" value="\#(existing)" checked> 关联已有： 杭州云栖科技有限公司"#), "\(form.html)")
            #expect(form.html.contains(#"<input type="radio" name="contact" value="new" checked>"#))
            #expect(form.html.contains(#"value="杭州云栖科技有限公司 商机""#) && form.html.contains(#"name="contact.mobile" type="text" value="13912345678""#))
            let csrf = Browser.csrf(in: form.html)
            // A deal with an amount that is no number: nothing is written, the form says why.
            let bad = try await browser.post("/o/leads/\(lead)/convert", [("_csrf", csrf), ("account", existing), ("contact", "new"), ("contact.name", "陈静"),
                                                                          ("contact.mobile", "13912345678"), ("deal", "1"), ("opportunity.name", "云栖 CT"),
                                                                          ("opportunity.amount", "很多")])
            #expect(bad.status == .unprocessableContent && bad.html.contains(#"id="e-opportunity.amount""#), "\(bad.html)")
            #expect(try await keel.records.count("contacts", params: [], as: browser.user) == 0)
            #expect(try await keel.records.get("leads", id: lead, as: browser.user).0.value("status") == "new")

            let done = try await browser.post("/o/leads/\(lead)/convert", [("_csrf", csrf), ("account", existing), ("contact", "new"), ("contact.name", "陈静"),
                                                                           ("contact.mobile", "13912345678"), ("contact.email", "chenjing@yunqi.cn"),
                                                                           ("deal", "1"), ("opportunity.name", "云栖 CT"), ("opportunity.amount", "880000")])
            #expect(done.status == .seeOther)
            let converted = try await keel.records.get("leads", id: lead, as: browser.user).0
            #expect(converted.value("status") == "converted" && converted.value("converted_account") == .string(existing))
            let deal = try #require(converted.value("converted_opportunity").stringValue)
            #expect(done.headers[.location] == "/o/opportunities/\(deal)?converted=1")
            #expect(try await browser.get("/o/opportunities/\(deal)?converted=1").html.contains("线索已转化。"))
            let contact = try await keel.records.get("contacts", id: try #require(converted.value("converted_contact").stringValue), as: browser.user).0
            #expect(contact.value("account") == .string(existing) && contact.value("mobile") == "13912345678")
            #expect(try await keel.records.get("opportunities", id: deal, as: browser.user).0.value("account") == .string(existing))
            // The lead's page names what it became; converting again is refused.
            let after = try await browser.get("/o/leads/\(lead)")
            #expect(after.html.contains(#"<a href="/o/opportunities/\#(deal)">云栖 CT</a>"#) && !after.html.contains("/convert\">"))
            #expect(try await browser.get("/o/leads/\(lead)/convert").status == .conflict)

            // Disqualified with a reason; without one, nothing changes.
            let other = try #require(try await keel.records.create("leads", ["name": "测试线索", "company": "某某公司"], context: ctx).json["id"]?.stringValue)
            let otherPage = try await browser.get("/o/leads/\(other)")
            let noReason = try await browser.post("/o/leads/\(other)/disqualify", [("_csrf", Browser.csrf(in: otherPage.html)), ("disqualify_reason", " ")])
            #expect(noReason.status == .unprocessableContent && noReason.html.contains("此项必填"))
            let dq = try await browser.post("/o/leads/\(other)/disqualify", [("_csrf", Browser.csrf(in: otherPage.html)), ("disqualify_reason", "同行打探价格")])
            #expect(dq.headers[.location] == "/o/leads/\(other)?disqualified=1")
            let gone = try await keel.records.get("leads", id: other, as: browser.user).0
            #expect(gone.value("status") == "unqualified" && gone.value("disqualify_reason") == "同行打探价格")
        }
    }
}
