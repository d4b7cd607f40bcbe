import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The lead-response page as a rep, an admin and an English reader see it: the digest, each rep's figures against
/// the two weeks before, the heatmap, a channel chosen.
@Suite struct LeadResponsePageTests {
    @Test func repsSeeTheirOwnFiguresAdminsEveryonesByChannelInEitherLanguage() async throws {
        try await Browser.with { rep, keel in
            var rep = rep
            try await rep.signIn("sales@example.com", "sales-password")
            let admin = try await rep.signedInAdmin(keel)
            let other = try await keel.auth.createUser(NewUser(email: "b@example.com", password: "b-password", name: "陈静", role: .member), by: nil).principal
            _ = try await keel.records.setLeadRouting(["rules": [["id": "all", "members": ["sales@example.com"]]]], by: admin.user)
            let now = Date()
            func given(_ name: String, _ phone: String, _ channel: String, to owner: Principal, daysAgo: Double) async throws -> (String, Date) {
                let at = now.addingTimeInterval(-daysAgo * 86400)
                let id = try await keel.records.create("leads", ["name": .string(name), "phone": .string(phone), "owner": .string(owner.userID),
                                                                 "channel": .string(channel)],
                                                       context: WriteContext(principal: admin.user, source: .api, at: at)).json["id"]!.stringValue!
                return (id, at)
            }
            // The rep calls back in 45 minutes; the other rep, three weeks ago, moved a referral on in two hours.
            let (mine, at) = try await given("周杰", "13912345681", "website", to: rep.user, daysAgo: 3)
            _ = try await keel.records.create("activities", ["type": "call", "subject": "回电", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(mine)],
                                              context: WriteContext(principal: rep.user, source: .api, at: at.addingTimeInterval(45 * 60)))
            let (theirs, then) = try await given("吴敏", "13912345682", "referral", to: other, daysAgo: 20)
            _ = try await keel.records.update("leads", id: theirs, ["status": "contacted"], expectedVersion: nil,
                                              context: WriteContext(principal: other, source: .api, at: then.addingTimeInterval(2 * 3600)))

            let page = try await rep.get("/lead-response")
            #expect(page.status == .ok)
            #expect(page.html.contains("<h1>线索响应</h1>") && page.html.contains("线索晨报") && page.html.contains("分配效率：近 14 天与前 14 天"))
            #expect(page.html.contains("<td>1 <span class=\"trend neutral\">↑</span><br><small>前 14 天 0</small></td>"), "\(page.html)")
            #expect(page.html.contains("<td>45 分钟<br><small>前 14 天 —</small></td>"))
            #expect(page.html.contains("<svg class=\"chart\"") && page.html.contains(": 45分</title>"))
            #expect(!page.html.contains("陈静"))
            #expect(page.html.contains("href=\"/lead-response\""))

            let everyone = try await admin.get("/lead-response")
            #expect(everyone.html.contains("<th scope=\"row\">陈静</th>") && everyone.html.contains("前 14 天 2 小时"))
            let referrals = try await admin.get("/lead-response?channel=referral")
            #expect(referrals.html.contains("<option value=\"referral\" selected>转介绍</option>") && !referrals.html.contains("<td>45 分钟"))
            #expect(referrals.html.contains("陈静"))
            // An unknown channel is every channel.
            let unknown = try await admin.get("/lead-response?channel=%3Cscript%3E")
            #expect(unknown.status == .ok && unknown.html.contains("<td>45 分钟") && unknown.html.contains("<option value=\"\" selected>全部渠道</option>"))

            _ = try await admin.post("/locale", [("_csrf", Browser.csrf(in: everyone.html)), ("locale", "en"), ("next", "/lead-response")])
            let english = try await admin.get("/lead-response")
            #expect(english.html.contains("<h1>Lead response</h1>") && english.html.contains("Median first response") && english.html.contains("<td>45 min"), "\(english.html)")
            #expect(english.html.contains("14 days before: 2 h") && !english.html.contains("分钟"))
        }
    }
}
