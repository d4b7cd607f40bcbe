import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Requests that once brought the server down, methods no route takes, text that is not text, names the API owns.
@Suite struct HardeningAPITests {
    /// Every number read from a body goes through a checked conversion: a number no `Int` holds, a fraction or text is a
    /// 4xx in the one error shape, nothing is written, and the server keeps serving.
    @Test func numbersNoIntHoldsAreRefusedNotFatal() async throws {
        try await API.with(.sqlite) { api in
            let a = try await api.send(.post, "/api/v1/accounts", json: ["name": "杭州甲科技有限公司"])
            let b = try await api.send(.post, "/api/v1/accounts", json: ["name": "成都乙贸易有限公司"])
            let (first, second) = (a.body["id"]?.stringValue ?? "", b.body["id"]?.stringValue ?? "")
            let huge: JSONValue = .number(Decimal(string: "-3.2e37")!)
            let requests: [(HTTPRequest.Method, String, JSONValue, String)] = [
                (.post, "/api/v1/metadata/objects/accounts/dry-run", ["expression": "1", "sample": huge], "sample"),
                (.post, "/api/v1/metadata/objects/accounts/dry-run", ["expression": "1", "sample": 2.5], "sample"),
                (.post, "/api/v1/automations/dry-run", ["id": "x", "object": "accounts", "trigger": ["type": "created"],
                                                        "actions": [["type": "notify", "to": ["owner"], "message": "\"x\""]], "sample": huge], "sample"),
                (.post, "/api/v1/accounts/merge", ["survivor": .string(first), "merged": [.string(second)], "versions": .object([first: huge])],
                 "versions.\(first)"),
                (.post, "/api/v1/automations", ["id": "late", "object": "accounts", "trigger": ["type": "after_date", "field": "registry_checked_at",
                                                "days": huge, "hour": 9], "actions": [["type": "notify", "to": ["owner"], "message": "\"x\""]]],
                 "trigger.days"),
                (.post, "/api/v1/automations", ["id": "late", "object": "accounts", "trigger": ["type": "after_date", "field": "registry_checked_at",
                                                "days": 1, "hour": huge], "actions": [["type": "notify", "to": ["owner"], "message": "\"x\""]]],
                 "trigger.days"),
                (.put, "/api/v1/settings/calendar", ["workingWeekdays": [1, huge]], "workingWeekdays"),
                (.post, "/api/v1/users", ["email": "big@example.com", "password": "long-enough", "role": "member", "level": huge], "level"),
                (.post, "/api/v1/metadata/objects/accounts/fields", ["name": "long_note", "type": "text", "maxLength": huge,
                                                                     "labels": ["zh-CN": "备注", "en": "Note"]], "maxLength"),
            ]
            for (method, uri, body, field) in requests {
                let r = try await api.send(method, uri, json: body)
                #expect(r.status == .unprocessableContent, "\(method) \(uri): \(r.status) \(r.body)")
                #expect(r.body["error"]?["violations"]?.arrayValue?.contains { $0["field"]?.stringValue == field } == true, "\(uri): \(r.body)")
            }
            // A number beyond what a decimal holds is too large for the field it is sent for; elsewhere it is ignored.
            for raw in [#"{"name": "大数", "amount": 1e300}"#, #"{"name": "大数", "amount": -1.7976931348623157e308}"#] {
                let r = try await api.send(.post, "/api/v1/opportunities", raw: Array(raw.utf8))
                #expect(r.status == .unprocessableContent && r.body.violationCodes == ["amount": "out_of_range"], "\(r.body)")
            }
            let extra = try await api.send(.post, "/api/v1/notifications/read", raw: Array(#"{"s": -1.7976931348623157e+308}"#.utf8))
            #expect(extra.status.code < 300, "\(extra.body)")
            // A member of the wrong type is refused, not replaced by a default.
            let cron = try await api.send(.put, "/api/v1/settings/health-report", json: ["cron": [:], "red": "0.5"])
            #expect(cron.status == .unprocessableContent && cron.body.violationCodes == ["cron": "invalid_type", "red": "invalid_type"], "\(cron.body)")
            let calendar = try await api.send(.put, "/api/v1/settings/calendar", json: ["workingWeekdays": [:], "holidays": "2026-10-01"])
            #expect(calendar.body.violationCodes == ["workingWeekdays": "invalid_type", "holidays": "invalid_type"], "\(calendar.body)")
            let department = try await api.send(.post, "/api/v1/departments", json: ["name": "华东大区", "manager": [:]])
            #expect(department.status == .unprocessableContent && department.body.violationCodes == ["manager": "invalid_type"])
            let bell = try await api.send(.post, "/api/v1/departments", json: ["name": "华东\u{12}大区"])
            #expect(bell.status == .unprocessableContent && bell.body.violationCodes == ["name": "control_character"])
            #expect(try await api.send(.get, "/api/v1/departments").body["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.send(.get, "/api/v1/automations").body["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.send(.get, "/api/v1/users").body["data"]?.arrayValue?.count == 1)
            #expect(try await api.send(.get, "/api/v1/accounts").body["data"]?.arrayValue?.count == 2)
            #expect(try await api.send(.get, "/healthz").status == .ok)
        }
    }

    /// What the document says a member is, the server holds it to: a member of another type or shape is refused with
    /// the member named, where it was once silently ignored or read as "not sent"; nothing is written.
    @Test func membersTheDocumentDescribesAreHeldToIt() async throws {
        try await API.with(.sqlite) { api in
            let a = try await api.send(.post, "/api/v1/accounts", json: ["name": "杭州甲科技有限公司"])
            let b = try await api.send(.post, "/api/v1/accounts", json: ["name": "成都乙贸易有限公司"])
            let (first, second) = (JSONValue.string(a.body["id"]?.stringValue ?? ""), JSONValue.string(b.body["id"]?.stringValue ?? ""))
            let notify: JSONValue = ["type": "notify", "to": ["owner"], "message": "\"x\""]
            let automation = { (changes: [String: JSONValue]) -> JSONValue in
                .object((["id": "a1", "object": "accounts", "trigger": ["type": "created"], "actions": [notify]] as [String: JSONValue]).merging(changes) { _, new in new })
            }
            let requests: [(HTTPRequest.Method, String, JSONValue, String, String)] = [
                (.post, "/api/v1/automations", automation(["label": 5]), "label", "invalid_type"),
                (.post, "/api/v1/automations", automation(["condition": true]), "condition", "invalid_type"),
                (.post, "/api/v1/automations", automation(["trigger": ["type": "created", "field": "name"]]), "trigger.field", "unknown_key"),
                (.post, "/api/v1/automations", automation(["actions": [["type": "notify", "to": ["owner"], "message": "\"x\"", "cc": "boss"]]]),
                 "actions[0].cc", "unknown_key"),
                (.post, "/api/v1/automations", automation(["actions": [["type": "notify", "to": ["manager:"], "message": "\"x\""]]]),
                 "actions[0].to", "invalid_option"),
                (.post, "/api/v1/automations", automation(["actions": [["type": "assign", "field": "owner", "users": ["u1", 2]]]]),
                 "actions[0].users", "required"),
                (.post, "/api/v1/approval-processes", ["id": "p1", "object": "accounts", "steps": [["name": " ", "approver": "manager"]]],
                 "steps[0].name", "required"),
                (.post, "/api/v1/approval-processes", ["id": "p1", "object": "accounts", "steps": [["name": "经理", "approver": "manager:x"]]],
                 "steps[0].approver", "invalid_option"),
                (.post, "/api/v1/metadata/objects/accounts/fields", ["name": "tier", "type": "text", "labels": ["zh-CN": 5]], "labels", "invalid_type"),
                (.post, "/api/v1/metadata/objects/accounts/fields", ["name": "tier", "type": "text", "labels": ["en": "Ti\u{7}er"]], "labels", "control_character"),
                (.post, "/api/v1/metadata/objects/accounts/fields", ["name": "tier", "type": "picklist", "options": ["A", "B\u{1}"]], "options", "invalid_options"),
                (.post, "/api/v1/metadata/objects/accounts/fields", ["name": "tier", "type": "formula", "expression": "1", "resultType": "number",
                                                                     "required": "yes"], "required", "invalid_type"),
                (.post, "/api/v1/metadata/objects/accounts/validation-rules", ["name": "r", "expression": "FALSE", "message": "坏\u{1}"], "message", "control_character"),
                (.put, "/api/v1/metadata/objects/accounts/identity-rules", ["fields": [["field": "name", "role": "name"]], "block": "0.9"], "block", "invalid_type"),
                (.post, "/api/v1/accounts/merge", ["survivor": first, "merged": [second], "choose": [first]], "choose", "invalid_type"),
                (.post, "/api/v1/accounts/merge", ["survivor": first, "merged": [second], "sourcePriority": [1]], "sourcePriority", "invalid_type"),
                (.put, "/api/v1/access/policies", ["policies": [["id": "p", "description": 5, "effect": "permit", "actions": "*", "objects": "*"]]],
                 "policies[0].description", "invalid_type"),
                (.post, "/api/v1/metadata/objects", ["name": "projects", "fields": [[nil, nil]]], "fields[0]", "invalid_body"),
                (.post, "/api/v1/users", ["email": "new@example.com", "password": "long-enough", "manager": [:]], "manager", "invalid_type"),
                (.post, "/api/v1/access-requests", ["object": "accounts", "record": 5, "approver": "x", "reason": "看看"], "record", "invalid_type"),
                (.post, "/api/v1/access-requests", ["object": "accounts", "record": "not-an-id", "approver": "x", "reason": "看看"], "record", "invalid_format"),
                (.post, "/api/v1/access-requests", ["object": "accounts", "record": first, "approver": "x", "reason": "看\u{1}看"], "reason", "control_character"),
            ]
            for (method, uri, body, field, code) in requests {
                let r = try await api.send(method, uri, json: body)
                #expect(r.status == .unprocessableContent, "\(uri) \(body): \(r.status) \(r.body)")
                #expect(r.body["error"]?["violations"]?.arrayValue?.contains { $0["field"]?.stringValue == field && $0["code"]?.stringValue == code } == true,
                        "\(uri) \(body): \(r.body)")
            }
            // One extension, written one way: signs and marks inside it are no phone number.
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "深圳丙有限公司", "phone": "0755 8888 8888#12+3 转 4"]).status == .unprocessableContent)
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "深圳丙有限公司", "phone": "0755 8888 8888 转 4"]).status == .created)
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "深圳丁有限公司", "phone": "1+0755 8888 8888"]).status == .unprocessableContent)
            // A name that is taken is a conflict with what exists (409); a policy set no administrator could change is too.
            let field = try await api.send(.post, "/api/v1/metadata/objects/accounts/fields", json: ["name": "phone", "type": "text"])
            #expect(field.status == .conflict && field.body.violationCodes == ["name": "name_taken"])
            #expect(try await api.send(.post, "/api/v1/metadata/objects", json: ["name": "accounts"]).status == .unprocessableContent, "reserved, not taken")
            #expect(try await api.send(.post, "/api/v1/metadata/objects", json: ["name": "projects"]).status == .created)
            #expect(try await api.send(.post, "/api/v1/metadata/objects", json: ["name": "projects"]).status == .conflict)
            #expect(try await api.send(.get, "/api/v1/automations").body["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.send(.get, "/api/v1/approval-processes").body["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.send(.get, "/api/v1/access-requests").body["data"]?.arrayValue?.isEmpty == true)
            #expect(try await api.send(.get, "/api/v1/metadata/objects/accounts/identity-rules").body["default"] == true)
            #expect(try await api.send(.get, "/api/v1/access/policies").body["version"] == 0)
        }
    }

    /// Every operation of the document lists the errors any request can meet; the registry check is an operation only
    /// where a registry is set up (without one it could only answer 503).
    @Test func theDocumentListsTheErrorsEveryOperationCanAnswer() async throws {
        try await API.with(.sqlite) { api in
            let paths = try #require(try await api.send(.get, "/api/v1/openapi.json").body["paths"]?.objectValue)
            #expect(paths["/api/v1/accounts/{id}/registry-check"] == nil)
            // A new object's name may not be a taken one; the objects read back (accounts…) are not held to that.
            let schemas = try await api.send(.get, "/api/v1/openapi.json").body["components"]?["schemas"]
            #expect(schemas?["NewObject"]?["properties"]?["name"]?["not"]?["enum"]?.arrayValue?.contains("automations") == true)
            #expect(schemas?["Object"]?["properties"]?["name"]?["not"] == nil)
            for (path, item) in paths {
                for (method, op) in item.objectValue ?? [:] where ["get", "post", "put", "patch", "delete"].contains(method) {
                    let codes = Set(op["responses"]?.objectValue?.keys ?? [:].keys)
                    #expect(codes.isSuperset(of: ["400", "404"]), "\(method) \(path)")
                    if op["security"] != [] { #expect(codes.isSuperset(of: ["401", "403"]), "\(method) \(path)") }
                    if method != "get" && method != "delete" { #expect(codes.isSuperset(of: ["413", "422"]), "\(method) \(path)") }
                }
            }
        }
    }

    @Test func aMethodNoRouteTakesIs405WithAllow() async throws {
        try await API.with(.sqlite) { api in
            let trace = try await api.send(.init("TRACE")!, "/api/v1/accounts")
            #expect(trace.status == .methodNotAllowed)
            #expect(trace.headers[.allow] == "GET, HEAD, POST")
            #expect(trace.body.errorCode == "method_not_allowed")
            let put = try await api.send(.put, "/api/v1/accounts/0190f0c0-0000-7000-8000-000000000001")
            #expect(put.status == .methodNotAllowed && put.headers[.allow] == "DELETE, GET, HEAD, PATCH")
            #expect(try await api.send(.delete, "/api/v1/settings/calendar").headers[.allow] == "GET, HEAD, PUT")
            // A path no route has stays a 404.
            #expect(try await api.send(.get, "/api/v1/accounts/x/y/z/w").status == .notFound)
        }
    }

    /// Control characters hide what is stored from what is shown (a NUL makes a duplicate name pass the check); lines of
    /// 其他邮箱 are e-mail addresses.
    @Test func textIsTextOnTheAPIAndInForms() async throws {
        try await API.with(.sqlite) { api in
            let cases: [(JSONValue, String, String)] = [
                (["name": "苏州远航生物科技有限公司\u{0}x"], "name", "control_character"),
                (["name": "苏州远航\u{1B}[31m生物科技有限公司"], "name", "control_character"),
                (["name": "苏州远航\t生物科技有限公司"], "name", "control_character"),
                (["name": "苏州远航生物科技有限公司", "other_emails": "a@example.com\nnot-an-email"], "other_emails", "invalid_format"),
            ]
            for (body, field, code) in cases {
                let r = try await api.send(.post, "/api/v1/accounts", json: body)
                #expect(r.status == .unprocessableContent && r.body.violationCodes[field] == code, "\(body): \(r.body)")
            }
            #expect(try await api.send(.get, "/api/v1/accounts").body["data"]?.arrayValue?.isEmpty == true)
            let bell = try await api.send(.post, "/api/v1/activities", json: ["type": "note", "subject": "回访", "body": "第一行\n第二行\u{7}"])
            #expect(bell.status == .unprocessableContent && bell.body.violationCodes["body"] == "control_character")
            let fine = try await api.send(.post, "/api/v1/accounts", json: [
                "name": "苏州远航生物科技有限公司", "other_emails": "A@Example.com\r\n\nb@example.com\na@example.com"])
            #expect(fine.status == .created, "\(fine.body)")
            #expect(fine.body["other_emails"] == "a@example.com\nb@example.com")
            let note = try await api.send(.post, "/api/v1/activities", json: ["type": "note", "subject": "回访", "body": "第一行\r\n\t第二行"])
            #expect(note.status == .created && note.body["body"] == "第一行\n\t第二行", "\(note.body)")
        }
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let csrf = Browser.csrf(in: try await browser.get("/o/accounts/new").html)
            let bad = try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "苏州远航生物科技有限公司\u{0}x"), ("other_emails", "x@y")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains(#"<p class="error" id="e-name">含有不可见的控制字符，请删除后再保存</p>"#))
            #expect(bad.html.contains(#"<p class="error" id="e-other_emails">格式不正确</p>"#))
            #expect(try await keel.footprint()[0] == 0)
        }
    }

    /// The reserved names come from the routes the server registered: every literal first segment under /api/v1.
    @Test func aCustomObjectCannotTakeANameARouteUses() async throws {
        try await API.with(.sqlite) { api in
            let names = api.keel.metadata.reservedObjectNames
            for name in ["automations", "webhooks", "approvals", "notifications", "settings", "health", "exports", "approval-processes",
                         "access-requests", "metadata", "users"] {
                #expect(names.contains(name), "\(name)")
            }
            for name in ["automations", "webhooks", "notifications", "settings", "health", "exports", "approvals"] {
                let r = try await api.send(.post, "/api/v1/metadata/objects", json: ["name": .string(name), "labels": ["zh-CN": "测试", "en": "Test"]])
                #expect(r.status == .unprocessableContent && r.body.violationCodes["name"] == "reserved_name", "\(name): \(r.body)")
            }
            let ok = try await api.send(.post, "/api/v1/metadata/objects", json: ["name": "projects", "labels": ["zh-CN": "项目", "en": "Projects"]])
            #expect(ok.status == .created)
        }
    }
}
