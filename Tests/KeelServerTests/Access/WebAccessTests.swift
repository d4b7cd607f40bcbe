import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Access in the web app: masked fields, watermarks, the export link with step-up, and the admin's access tab.
@Suite struct WebAccessTests {
    @Test func maskedFieldsShowAsHiddenAndStayOffTheForm() async throws {
        try await Browser.with { sales, keel in
            var sales = sales
            try await sales.signIn("sales@example.com", "sales-password")
            let admin = try await keel.makeUser("root@example.com", role: .admin, password: "root-password")
            _ = try await keel.metadata.setSensitivity(object: "accounts", field: "legal_representative", ["sensitivity": 3], as: admin)
            let id = try #require(try await keel.records.create("accounts", ["name": "杭州甲公司"], context: WriteContext(principal: sales.user, source: .web)).json["id"]?.stringValue)
            _ = try await keel.records.update("accounts", id: id, ["legal_representative": "王秘密"], expectedVersion: nil, context: WriteContext(principal: admin, source: .api))

            let page = try await sales.get("/o/accounts/\(id)")
            #expect(page.status == .ok && page.html.contains("•••• 无权查看") && !page.html.contains("王秘密"))
            #expect(!page.html.contains(#"class="watermark""#))
            let list = try await sales.get("/o/accounts?col=name&col=legal_representative")
            #expect(list.html.contains("•••• 无权查看") && !list.html.contains("王秘密"))
            // Members cannot export by default: no link.
            #expect(!list.html.contains("导出 CSV"))
            #expect(try await sales.get("/o/accounts/export").status == .forbidden)
            let form = try await sales.get("/o/accounts/\(id)/edit")
            #expect(form.status == .ok && !form.html.contains(#"name="legal_representative""#))
            // Saving the form leaves the hidden field as it was.
            let saved = try await sales.post("/o/accounts/\(id)", [("_csrf", Browser.csrf(in: form.html)), ("_version", "2"), ("name", "杭州甲公司"), ("city", "杭州")])
            #expect(saved.status == .seeOther)
            #expect(try await keel.records.get("accounts", id: id, as: admin).0.values["legal_representative"] == "王秘密")
        }
    }

    @Test func sensitivePagesAreWatermarkedAndExportsNeedStepUpWhenPoliciesSaySo() async throws {
        try await Browser.with { sales, keel in
            let admin = try await keel.makeUser("root@example.com", role: .admin, password: "root-password")
            _ = try await keel.metadata.setSensitivity(object: "accounts", field: nil, ["sensitivity": 3], as: admin)
            var set = try await keel.access.policies().json
            var policies = set["policies"]?.arrayValue ?? []
            policies.append(["id": "export-after-step-up", "effect": "permit", "actions": ["export"], "objects": "*",
                             "when": ["all": [["attr": "record.owner", "op": "eq", "ref": "user.id"], ["attr": "context.step_up", "op": "eq", "value": true]]]])
            set = ["policies": .array(policies), "expectations": []]
            _ = try await keel.access.save(set, by: admin)
            var sales = sales
            try await sales.signIn("sales@example.com", "sales-password")
            let id = try #require(try await keel.records.create("accounts", ["name": "机密客户"], context: WriteContext(principal: sales.user, source: .web)).json["id"]?.stringValue)

            let page = try await sales.get("/o/accounts/\(id)")
            #expect(page.html.contains(#"<div class="watermark" aria-hidden="true"><span>sales@example.com | "#))
            let list = try await sales.get("/o/accounts")
            #expect(list.html.contains(#"class="watermark""#))
            #expect(list.html.contains(#"href="/step-up?next=%2Fo%2Faccounts%2Fexport%3Fcol%3Dname"#))
            // Straight to the file without a fresh password: the password page first, then back to the file.
            let early = try await sales.get("/o/accounts/export")
            #expect(early.status == .seeOther && early.headers[.location] == "/step-up?next=%2Fo%2Faccounts%2Fexport")
            let stepUp = try await sales.get("/step-up?next=/o/accounts/export?")
            #expect(stepUp.status == .ok)
            let csrf = Browser.csrf(in: stepUp.html)
            #expect(try await sales.post("/step-up", [("_csrf", csrf), ("password", "wrong-password"), ("next", "/o/accounts/export?")]).status == .unauthorized)
            let done = try await sales.post("/step-up", [("_csrf", csrf), ("password", "sales-password"), ("next", "/o/accounts/export?")])
            #expect(done.status == .seeOther && done.headers[.location] == "/o/accounts/export?")
            let csv = try await sales.get("/o/accounts/export")
            #expect(csv.status == .ok && csv.html.contains("机密客户") && csv.html.contains("# Keel export"))
            #expect(try await sales.get("/o/accounts").html.contains(#"href="/o/accounts/export?col=name&amp;col="#))
        }
    }

    @Test func adminsEditPoliciesSeeTheHealthScanAndTheAuditLog() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let page = try await admin.get("/admin/access")
            #expect(page.status == .ok && page.html.contains("owners-read-edit") && page.html.contains("权限体检"))
            let csrf = Browser.csrf(in: page.html)
            let broken = try await admin.post("/admin/access", [("_csrf", csrf), ("document", #"{"policies": [{"id": "x", "effect": "maybe"}]}"#)])
            #expect(broken.status == .unprocessableContent && broken.html.contains("policies[0].effect") && broken.html.contains("maybe"))
            #expect(try await keel.access.policies().version == 0)
            var document = try await keel.access.policies().json
            document = ["policies": document["policies"]!, "expectations": document["expectations"]!]
            let saved = try await admin.post("/admin/access", [("_csrf", csrf), ("document", document.prettyText())])
            #expect(saved.status == .seeOther)
            #expect(try await keel.access.policies().version == 1)
            let after = try await admin.get("/admin/access")
            #expect(after.html.contains("v1") && after.html.contains("修改策略"))
            // Why may the member not delete accounts?
            let why = try await admin.get("/admin/access?user=\(sales.user.userID)&action=delete&object=accounts&record=")
            #expect(why.html.contains("Denied: no policy permits delete on accounts for sales@example.com."))
            #expect(try await sales.get("/admin/access").status != .ok)
        }
    }

    @Test func aHiddenRecordsPageOffersToRequestAccessWhichTheApproverGrants() async throws {
        try await Browser.with { sales, keel in
            let admin = try await keel.makeUser("root@example.com", role: .admin, password: "root-password")
            _ = try await keel.metadata.addObject(["name": "salaries", "labels": ["zh-CN": "薪酬", "en": "Salaries"]], as: admin)
            _ = try await keel.metadata.setSensitivity(object: "salaries", field: nil, ["sensitivity": 4], as: admin)
            let secret = try #require(try await keel.records.create("salaries", ["name": "CEO 年薪"], context: WriteContext(principal: admin, source: .api)).json["id"]?.stringValue)
            var sales = sales
            try await sales.signIn("sales@example.com", "sales-password")
            let hidden = try await sales.get("/o/salaries/\(secret)")
            let missing = try await sales.get("/o/salaries/\(RecordID.make())")
            #expect(hidden.status == .notFound && missing.status == .notFound && !hidden.html.contains("CEO 年薪"))
            #expect(hidden.html.contains("申请访问") && missing.html.contains("申请访问"))
            let csrf = Browser.csrf(in: hidden.html)
            let empty = try await sales.post("/access-requests", [("_csrf", csrf), ("object", "salaries"), ("record", secret), ("approver", ""), ("reason", "")])
            #expect(empty.status == .unprocessableContent)
            let sent = try await sales.post("/access-requests", [("_csrf", csrf), ("object", "salaries"), ("record", secret), ("approver", admin.userID), ("reason", "年度审计")])
            #expect(sent.status == .seeOther)
            #expect(try await sales.get("/access-requests").html.contains("待审批"))

            var root = Browser(client: sales.client, user: admin)
            try await root.signIn("root@example.com", "root-password")
            let inbox = try await root.get("/access-requests")
            let requestID = try #require(try await keel.access.accessRequests(by: admin).first?.id)
            #expect(inbox.html.contains("/access-requests/\(requestID)/decision"))
            let granted = try await root.post("/access-requests/\(requestID)/decision", [("_csrf", Browser.csrf(in: inbox.html)), ("decision", "grant"), ("hours", "4")])
            #expect(granted.status == .seeOther)
            let open = try await sales.get("/o/salaries/\(secret)")
            #expect(open.status == .ok && open.html.contains("CEO 年薪") && open.html.contains(#"class="watermark""#))
        }
    }

    @Test func everyAccessFormRefusesAMissingOrWrongCSRFToken() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let adminUser = admin.user
            let forms: [(String, [(String, String)])] = [
                ("/admin/access", [("document", #"{"policies": []}"#)]),
                ("/admin/fields/legal_representative/sensitivity?object=accounts", [("sensitivity", "4")]),
                ("/step-up", [("password", "root-password")]),
                ("/access-requests", [("object", "accounts"), ("record", "x"), ("approver", adminUser.userID), ("reason", "r")]),
                ("/access-requests/x/decision", [("decision", "grant")]),
            ]
            for (path, fields) in forms {
                #expect(try await admin.post(path, fields).status == .forbidden, "\(path)")
                #expect(try await admin.post(path, [("_csrf", "guess")] + fields).status == .forbidden, "\(path)")
            }
            #expect(try await keel.access.policies().version == 0)
            #expect(try await keel.metadata.catalog().require("accounts").field("legal_representative")?.sensitivity == 1)
            #expect(try await keel.access.accessRequests(by: adminUser).isEmpty)
        }
    }
}
