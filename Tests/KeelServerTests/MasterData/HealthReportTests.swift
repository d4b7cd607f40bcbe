import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Master-data health: completeness per field graded by thresholds, required-group gaps, duplicate rate, registry
/// staleness; on demand over what the reader sees, monthly to the configured recipients; a page with SVG bars.
@Suite struct HealthReportTests {
    @Test(arguments: TestDatabase.all)
    func theReportGradesFieldsAndShowsGapsDuplicatesAndRegistryState(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            for (name, code, phone) in [("星河数码科技有限公司", "91110000600037341L", "0755-26712345"), ("远航贸易有限公司", "91110000802100433B", nil),
                                        ("开元商贸有限公司", nil, nil), ("锦程医药有限公司", nil, nil), ("天成物流有限公司", nil, "020-87654321")] {
                var values: [String: JSONValue] = ["name": .string(name)]
                if let code { values["credit_code"] = .string(code) }
                if let phone { values["phone"] = .string(phone) }
                _ = try await AccessAPITests.create(api, "accounts", .object(values), as: api.token)
            }
            #expect(try await api.send(.post, "/api/v1/metadata/objects/accounts/required-groups", json: ["name": "contactable", "fields": ["phone"]]).status == .created)
            let report = try await api.send(.get, "/api/v1/health/master-data").body
            let accounts = try #require(report["objects"]?.arrayValue?.first { $0["object"] == "accounts" })
            let fields = Dictionary(uniqueKeysWithValues: (accounts["fields"]?.arrayValue ?? []).compactMap { f in f["field"]?.stringValue.map { ($0, f) } })
            #expect(accounts["records"] == 5)
            #expect(fields["name"]?["ratio"] == 1 && fields["name"]?["level"] == "green")
            #expect(fields["credit_code"]?["ratio"] == 0.4 && fields["credit_code"]?["level"] == "red" && fields["credit_code"]?["filled"] == 2)
            #expect(accounts["missing"] == [["group": "contactable", "groupLabels": ["zh-CN": "contactable", "en": "contactable"], "field": "phone",
                                             "labels": ["zh-CN": "电话", "en": "Phone"], "count": 3]])
            #expect(accounts["registry"] == ["never": 5, "stale": 0, "closed": 0])
            #expect(accounts["duplicateRate"] == nil)
            #expect(try await api.send(.post, "/api/v1/accounts/dedup-runs").status == .accepted)
            try await api.keel.settle()
            let after = try await api.send(.get, "/api/v1/health/master-data").body["objects"]?.arrayValue?.first { $0["object"] == "accounts" }
            #expect(after?["duplicateRate"] == 0)

            // Thresholds are settings: checked whole, admins only.
            let bad = try await api.send(.put, "/api/v1/settings/health-report", json: ["red": 0.9, "yellow": 0.5, "recipients": ["owner", "role:nobody"], "cron": "monthly"])
            #expect(bad.body.violationCodes == ["red": "out_of_range", "recipients[0]": "invalid_recipient", "recipients[1]": "invalid_recipient", "cron": "invalid_cron"])
            let member = try await AccessAPITests.user(api, "m@example.com")
            #expect(try await api.send(.put, "/api/v1/settings/health-report", json: ["red": 0.3], auth: .token(member.token)).status == .forbidden)
            #expect(try await api.send(.put, "/api/v1/settings/health-report", json: ["red": 0.3, "yellow": 0.5]).status == .ok)
            let relaxed = try await api.send(.get, "/api/v1/health/master-data").body["objects"]?.arrayValue?.first { $0["object"] == "accounts" }
            #expect(relaxed?["fields"]?.arrayValue?.first { $0["field"] == "credit_code" }?["level"] == "yellow")
            let paths = try await api.send(.get, "/api/v1/openapi.json", auth: .none).body["paths"]
            #expect(paths?["/api/v1/health/master-data"]?["get"] != nil && paths?["/api/v1/settings/health-report"]?["put"] != nil)
            // A member's report covers what the member may see: none of the admin's accounts.
            _ = try await AccessAPITests.create(api, "accounts", ["name": "成员自己的客户有限公司", "phone": "010-12345678"], as: member.token)
            let mine = try await api.send(.get, "/api/v1/health/master-data", auth: .token(member.token)).body
            #expect(mine["objects"]?.arrayValue?.first { $0["object"] == "accounts" }?["records"] == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func theMonthlyReportReachesItsRecipients(_ database: TestDatabase) async throws {
        let clock = ManualClock(ISO8601DateFormatter().date(from: "2026-11-27T02:00:00Z")!)
        try await database.withKeel(clock: clock) { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.records.create("accounts", ["name": "星河数码科技有限公司"], context: WriteContext(principal: admin, source: .api))
            // A team's WeCom robot: not reachable from here, so its delivery is checked as queued, in the robot's format.
            _ = try await keel.webhooks.create(["id": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "allowPrivate": true,
                                                "objects": ["contacts"]], by: admin)
            await expectKeelError("unknown_channel") { _ = try await keel.health.setSettings(["recipients": ["channel:nowhere"]], by: admin) }
            _ = try await keel.health.setSettings(["recipients": ["role:admin", "channel:wecom"]], by: admin)
            try await keel.settle()
            #expect(try await keel.notifier.notifications(of: admin).items.isEmpty)
            clock.advance(5 * 86400)   // past 09:00 on 1 December (Asia/Shanghai)
            try await keel.settle()
            let sent = try await keel.notifier.notifications(of: admin).items
            #expect(sent.count == 1 && sent.first?.title.hasPrefix("数据健康报告: 客户 完整度") == true)
            let robot = try await keel.automations.runs(kind: Webhooks.kind, "wecom", by: admin).map(\.0.payload)
            #expect(robot.count == 1 && robot.first?["msgtype"] == "text" && robot.first?["text"]?["content"]?.stringValue == sent.first?.title)
            try await keel.settle()
            #expect(try await keel.notifier.notifications(of: admin).items.count == 1)
            #expect(try await keel.automations.runs(kind: Webhooks.kind, "wecom", by: admin).count == 1)
        }
    }

    @Test func theHealthPageDrawsBarsColouredByLevel() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            _ = try await keel.records.create("accounts", ["name": "星河数码科技有限公司", "credit_code": "91110000600037341L"],
                                              context: WriteContext(principal: admin.user, source: .api))
            _ = try await keel.records.create("accounts", ["name": "远航贸易有限公司"], context: WriteContext(principal: admin.user, source: .api))
            let page = try await admin.get("/health")
            #expect(page.status == .ok && page.html.contains(#"href="/health""#))
            #expect(page.html.contains("<svg class=\"chart\"") && page.html.contains("fill=\"#b42318\"") && page.html.contains("fill=\"#2e7d6b\""))
            #expect(page.html.contains("统一社会信用代码: 50% 红") && page.html.contains("从未核验工商信息 2"))
        }
    }

    @Test func adminsSetTheReportOnThePageOthersDoNot() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            _ = try await keel.webhooks.create(["id": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=t", "allowPrivate": true,
                                                "objects": ["contacts"]], by: admin.user)
            let page = try await admin.get("/health")
            #expect(page.html.contains("报告设置") && page.html.contains(#"name="red" type="number" min="0" max="100" value="60""#))
            #expect(page.html.contains(#"value="channel:dingtalk""#) && page.html.contains(#"value="0 9 1 * *""#))
            let csrf = Browser.csrf(in: page.html)
            // Red above yellow and a broken schedule: refused together, with what was typed and ticked kept; nothing saved.
            let bad = try await admin.post("/health/settings", [("_csrf", csrf), ("red", "90"), ("yellow", "50"), ("recipient", "role:manager"), ("cron", "monthly")])
            #expect(bad.status == .unprocessableContent && bad.html.contains(#"value="90""#) && bad.html.contains(#"value="monthly""#))
            #expect(bad.html.contains(#"value="role:manager" checked"#) && bad.html.contains("<li>red: ") && bad.html.contains("<li>cron: "))
            #expect(try await admin.post("/health/settings", [("_csrf", csrf), ("red", "abc"), ("yellow", "50"), ("cron", "0 9 1 * *")]).status == .unprocessableContent)
            #expect(try await keel.health.settings() == HealthSettings())

            let saved = try await admin.post("/health/settings", [("_csrf", csrf), ("red", "50"), ("yellow", "80"), ("recipient", "role:admin"),
                                                                  ("recipient", "channel:dingtalk"), ("cron", "0 8 * * 1")])
            #expect(saved.status == .seeOther && saved.headers[.location] == "/health?done=1")
            let settings = try await keel.health.settings()
            #expect(settings.thresholds == HealthThresholds(red: 0.5, yellow: 0.8) && settings.cron == "0 8 * * 1")
            #expect(settings.recipients == [.role(.admin), .channel("dingtalk")])

            var rep = sales
            try await rep.signIn("sales@example.com", "sales-password")
            let theirs = try await rep.get("/health")
            #expect(theirs.status == .ok && !theirs.html.contains("报告设置"))
            #expect(try await rep.post("/health/settings", [("_csrf", Browser.csrf(in: theirs.html)), ("red", "10"), ("yellow", "20"), ("cron", "0 9 1 * *")]).status == .forbidden)
            #expect(try await keel.health.settings().thresholds.red == 0.5)
        }
    }
}
