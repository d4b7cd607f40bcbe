import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Phones are checked against China's numbering plan wherever they are written, and every phone carries its E.164
/// form and extension (issue 15).
@Suite struct PhoneAPITests {
    @Test(arguments: TestDatabase.all)
    func numbersThePlanRulesOutAreRefusedWithTheReasonAndNothingIsWritten(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let before = try await api.keel.footprint()
            let refused: [(String, String)] = [
                ("1381234567", "mobile_length"), ("138123456789", "mobile_length"), ("0755-123", "local_length"), ("99999", "too_short"),
                ("138****1234", "masked"), ("14612345678", "mobile_segment"), ("0123-4567890", "unknown_area"), ("电话号码", "not_a_number"),
            ]
            for (phone, _) in refused {
                let r = try await api.send(.post, "/api/v1/accounts", json: ["name": "号码测试有限公司", "phone": .string(phone)])
                #expect(r.status == .unprocessableContent && r.body.violationCodes["phone"] == "invalid_phone", "\(phone): \(r.body)")
            }
            let short = try await api.send(.post, "/api/v1/accounts", json: ["name": "号码测试有限公司", "phone": "1381234567"])
            #expect(short.body["error"]?["violations"]?[0]?["message"]?.stringValue?.contains("11 digits (this one has 10)") == true)
            let landline = try await api.send(.post, "/api/v1/accounts", json: ["name": "号码测试有限公司", "phone": "0755-123"])
            #expect(landline.body["error"]?["violations"]?[0]?["message"]?.stringValue?.contains("behind area code 0755 come 8 digits (this one has 3)") == true)
            // Contacts' mobiles, other phones, and bulk updates are held to the same plan.
            let contact = try await api.send(.post, "/api/v1/contacts", json: ["name": "曹娜", "mobile": "1391234567"])
            #expect(contact.body.violationCodes["mobile"] == "invalid_phone")
            #expect(try await api.keel.footprint() == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func everyPhoneCarriesItsE164FormAndExtensionFilterableAndExported(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let created = try await api.send(.post, "/api/v1/accounts", json: ["name": "深圳远航科技有限公司", "phone": "(0755)8601-3388转8888"])
            #expect(created.status == .created, "\(created.body)")
            #expect(created.body["phone"] == "(0755)8601-3388转8888")
            #expect(created.body["phone_e164"] == "+8675586013388" && created.body["phone_extension"] == "8888")
            let id = try #require(created.body["id"]?.stringValue)
            for (phone, e164) in [("+1 415 555 2671", "+14155552671"), ("0571-95588", "+8657195588"), ("400-810-8888", "+864008108888")] {
                let r = try await api.send(.post, "/api/v1/accounts", json: ["name": .string("号码\(e164)有限公司"), "phone": .string(phone)])
                #expect(r.status == .created && r.body["phone_e164"] == .string(e164), "\(phone): \(r.body)")
            }
            let found = try await api.send(.get, "/api/v1/accounts?filter[phone_e164][eq]=%2B8675586013388")
            #expect(found.body["data"]?.arrayValue?.map { $0["id"] } == [.string(id)], "\(found.body)")
            // Read-only, like every formula field; changed with the phone.
            let write = try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["phone_e164": "+8610"])
            #expect(write.status == .unprocessableContent && write.body.violationCodes["phone_e164"] == "read_only")
            let changed = try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["phone": "13812345678"])
            #expect(changed.body["phone_e164"] == "+8613812345678" && changed.body["phone_extension"] == .null)
            // In the export and in the document.
            let csv = try await api.send(.get, "/api/v1/exports/accounts").body.stringValue ?? ""
            #expect(csv.contains("phone_e164") && csv.contains("+8613812345678"))
            let schema = try await api.send(.get, "/api/v1/openapi.json").body["components"]?["schemas"]?["Accounts"]?["properties"]
            #expect(schema?["phone_e164"] != nil && schema?["phone_extension"] != nil, "\(String(describing: schema))")
        }
    }

    @Test(arguments: TestDatabase.all)
    func bulkUpdatesAndAutomationsAreHeldToTheSamePlan(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            var ids: [String] = []
            for name in ["远航一号有限公司", "远航二号有限公司"] {
                ids.append(try #require(try await api.send(.post, "/api/v1/accounts", json: ["name": .string(name), "phone": "0755-86013388"]).body["id"]?.stringValue))
            }
            let bulk = try await api.send(.post, "/api/v1/accounts/bulk-update", json: ["ids": .array(ids.map(JSONValue.string)), "set": ["phone": "0755-123"]])
            #expect(bulk.status == .unprocessableContent && bulk.body.violationCodes["[0].phone"] == "invalid_phone", "\(bulk.body)")
            // An automation that writes a number the plan rules out fails (the admins are told), and nothing is written.
            let published = try await api.send(.post, "/api/v1/automations", json: [
                "id": "bad-phone", "object": "accounts", "trigger": ["type": "field_changed", "field": "city"],
                "actions": [["type": "set_fields", "values": ["phone": "\"1381234567\""]]],
            ])
            #expect(published.status == .created, "\(published.body)")
            #expect(try await api.send(.patch, "/api/v1/accounts/\(ids[0])", json: ["city": "深圳"]).status == .ok)
            try await api.keel.settle()
            let runs = try await api.send(.get, "/api/v1/automations/bad-phone/runs").body["data"]?.arrayValue ?? []
            #expect(runs.first?["status"] == "failed" && runs.first?["lastError"]?.stringValue?.contains("11 digits") == true, "\(runs)")
            for id in ids {
                #expect(try await api.send(.get, "/api/v1/accounts/\(id)").body["phone"] == "0755-86013388")
            }
        }
    }

    @Test func numbersStoredBeforeTheCheckStayUntilChangedAndTheHealthReportListsThem() async throws {
        try await API.with(.sqlite) { api in
            let id = try #require(try await api.send(.post, "/api/v1/accounts", json: ["name": "旧号码有限公司", "phone": "0755-86013388"]).body["id"]?.stringValue)
            // A number saved by an earlier version, before the plan was checked.
            try await api.keel.database.write { try await $0.raw("UPDATE accounts SET phone = '0755-123' WHERE id = \(bind: id)").run() }
            // An unrelated edit (a form sends the old phone back too) goes through.
            let edit = try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["city": "深圳", "phone": "0755-123"])
            #expect(edit.status == .ok, "\(edit.body)")
            // Changing it to another bad number does not.
            let worse = try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["phone": "0755-1234"])
            #expect(worse.status == .unprocessableContent && worse.body.violationCodes["phone"] == "invalid_phone")
            let report = try await api.send(.get, "/api/v1/health/master-data").body["objects"]?.arrayValue?.first { $0["object"] == "accounts" }
            #expect(report?["invalidPhones"] == [["field": "phone", "labels": ["zh-CN": "电话", "en": "Phone"], "count": 1]], "\(String(describing: report?["invalidPhones"]))")
        }
    }

    @Test func theFormSaysWhatIsWrongInTheReadersLanguage() async throws {
        try await Browser.with { browser, _ in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let form = try await browser.get("/o/accounts/new")
            let saved = try await browser.post("/o/accounts", [("_csrf", Browser.csrf(in: form.html)), ("name", "表单号码有限公司"), ("phone", "1381234567")])
            #expect(saved.status == .unprocessableContent)
            #expect(saved.html.contains("手机号应为 11 位（现为 10 位）"), "\(saved.html)")
            let again = try await browser.post("/o/accounts", [("_csrf", Browser.csrf(in: form.html)), ("name", "表单号码有限公司"), ("phone", "0755-123")])
            #expect(again.html.contains("区号 0755 后应为 8 位号码（现为 3 位）"))
        }
    }
}
