import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct LeadFormTests {
    @Test(arguments: TestDatabase.all)
    func aVisitorsSubmissionBecomesARoutedLeadWithItsContextAndSpamLeavesNothing(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "web", "when": ["channel": ["web_form"]], "members": ["rep@example.com"]]]], by: admin)
            // Mistakes in a definition: each with its path.
            let bad = await #expect(throws: KeelError.self) {
                try await keel.records.publishForm(["id": "Contact Us", "origins": ["www.example.com"], "fields": ["公司": "owner"], "honeypot": "name",
                                                    "perHour": 0, "label": .string(String(repeating: "长", count: 101))], by: admin)
            }
            #expect(Set(bad?.violations.map(\.field) ?? []) == ["id", "origins[0]", "fields.公司", "honeypot", "perHour", "label"])
            await #expect(throws: KeelError.self) { try await keel.records.publishForm(["id": "contact"], by: rep) }

            let form = try await keel.records.publishForm(["id": "contact", "label": "联系我们", "origins": ["https://www.example.com"],
                                                           "fields": ["公司": "company", "手机": "phone"], "required": ["name", "phone"], "perHour": 3], by: admin)
            #expect(form.key.hasPrefix("kf_") && form.key.count > 40)
            // Republishing keeps the key unless asked to rotate it.
            #expect(try await keel.records.publishForm(["id": "contact", "label": "联系我们", "origins": ["https://www.example.com"],
                                                        "fields": ["公司": "company", "手机": "phone"], "required": ["name", "phone"], "perHour": 3], by: admin).key == form.key)
            func leads() async throws -> Int { try await keel.records.count("leads", params: [], as: admin) }

            let visitor = ["name": "周杰", "公司": "深圳华科有限公司", "手机": "13912345678", "utm_source": "baidu", "utm_campaign": "双十一",
                           "referrer": "https://www.baidu.com/s?wd=crm", "landing_page": "https://www.example.com/contact?utm_source=baidu",
                           "time_on_page": "87", "owner": "someone-else"]
            // Refused, nothing stored: an unknown key, another site, the honeypot, an empty required field.
            await #expect(throws: KeelError.self) { try await keel.records.submit(form: "kf_nope", visitor, address: "1.2.3.4", origin: nil) }
            let foreign = await #expect(throws: KeelError.self) { try await keel.records.submit(form: form.key, visitor, address: "1.2.3.4", origin: "https://evil.example") }
            #expect(foreign?.code == "origin_not_allowed")
            var bot = visitor
            bot["website_url"] = "http://spam.example"
            #expect(await #expect(throws: KeelError.self) { try await keel.records.submit(form: form.key, bot, address: "1.2.3.4", origin: nil) }?.code == "spam")
            var partial = visitor
            partial["手机"] = " "
            let missing = await #expect(throws: KeelError.self) { try await keel.records.submit(form: form.key, partial, address: "1.2.3.4", origin: nil) }
            #expect(missing?.violations.map(\.field) == ["phone"])
            #expect(try await leads() == 0)

            let made = try await keel.records.submit(form: form.key, visitor, address: "1.2.3.4", origin: "https://www.example.com")
            #expect(made.outcome == .created)
            let lead = try await keel.records.get("leads", id: made.leadID, as: admin).0
            #expect(lead.value("company") == "深圳华科有限公司" && lead.value("phone") == "13912345678" && lead.value("channel") == "web_form")
            #expect(lead.value("form") == "contact" && lead.value("utm_source") == "baidu" && lead.value("utm_campaign") == "双十一")
            #expect(lead.value("referrer") == "https://www.baidu.com/s?wd=crm" && lead.value("time_on_page") == 87)
            // The visitor cannot choose the owner: routing does.
            #expect(lead.value("owner") == .string(rep.userID))
            #expect(lead.createdBy == admin.userID)

            // The same person again: no second lead; its owner hears of it.
            let again = try await keel.records.submit(form: form.key, visitor, address: "1.2.3.4", origin: nil)
            #expect(again.outcome == .duplicate && again.leadID == made.leadID)
            #expect(try await leads() == 1)
            #expect(try await keel.notifier.notifications(of: rep).items.contains { $0.title.contains("再次通过表单「联系我们」提交") })

            // Three an hour from one address: the fourth is refused, nothing stored; another address is fine.
            var other = visitor
            other["name"] = "吴敏"
            other["手机"] = "13812345678"
            _ = try await keel.records.submit(form: form.key, other, address: "1.2.3.4", origin: nil)
            other["name"] = "郑爽"
            other["手机"] = "13712345678"
            let limited = await #expect(throws: KeelError.self) { try await keel.records.submit(form: form.key, other, address: "1.2.3.4", origin: nil) }
            #expect(limited?.kind == .tooManyRequests)
            #expect(try await leads() == 2)
            #expect(try await keel.records.submit(form: form.key, other, address: "5.6.7.8", origin: nil).outcome == .created)

            // The publisher frozen: the form stops taking submissions until someone publishes it again.
            let second = try await keel.makeUser("admin2@example.com")
            _ = try await keel.auth.setStatus(admin.userID, .frozen, by: second)
            other["name"] = "钱多"
            other["手机"] = "13612345678"
            #expect(await #expect(throws: KeelError.self) { try await keel.records.submit(form: form.key, other, address: "9.9.9.9", origin: nil) }?.kind == .unavailable)
        }
    }
}
