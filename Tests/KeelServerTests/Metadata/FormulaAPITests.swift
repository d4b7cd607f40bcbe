import Foundation
import KeelCore
import KeelTestSupport
import Testing

/// Formula fields and validation rules through the metadata API, as the acceptance checks use them.
@Suite struct FormulaAPITests {
    @Test(arguments: TestDatabase.all)
    func formulaFieldsAreComputedOnEveryWriteIncludingFromRelatedRecords(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let early = try await api.send(.post, "/api/v1/opportunities", json: ["name": "早期商机", "amount": 200])
            let earlyID = try #require(early.body["id"]?.stringValue)
            let created = try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: [
                "name": "amount_with_tax", "type": "formula", "expression": "IF(ISBLANK(amount), 0, amount * 1.13)", "resultType": "number",
            ])
            #expect(created.status == .created && created.body["type"] == "formula" && created.body["resultType"] == "number", "\(created.body)")
            // Records that existed get the value at once.
            #expect(try await api.send(.get, "/api/v1/opportunities/\(earlyID)").body["amount_with_tax"]?.numberValue.map { abs($0 - 226) < 1e-6 } == true)

            let deal = try await api.send(.post, "/api/v1/opportunities", json: ["name": "CT 采购", "amount": 100])
            let id = try #require(deal.body["id"]?.stringValue)
            #expect(deal.body["amount_with_tax"]?.numberValue.map { abs($0 - 113) < 1e-6 } == true)
            let changed = try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["amount": 1000])
            #expect(changed.body["amount_with_tax"]?.numberValue.map { abs($0 - 1130) < 1e-6 } == true)
            #expect(try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["amount": .null]).body["amount_with_tax"] == 0)
            // Nobody writes a formula field.
            let write = try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["amount_with_tax": 5])
            #expect(write.status == .unprocessableContent && write.body.violationCodes["amount_with_tax"] == "read_only")
            // Filterable and sortable like any field.
            let sorted = try await api.send(.get, "/api/v1/opportunities?sort=-amount_with_tax&filter[amount_with_tax][gt]=100")
            #expect(sorted.body["data"]?.arrayValue?.map { $0["name"] } == ["早期商机"])

            // Through a reference: the account's industry, recomputed when the account changes.
            let account = try #require(try await api.send(.post, "/api/v1/accounts", json: ["name": "第一人民医院", "industry": "医疗"]).body["id"]?.stringValue)
            #expect(try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: [
                "name": "account_industry", "type": "formula", "expression": "BLANKVALUE(account.industry, \"未知\")", "resultType": "text",
            ]).status == .created)
            let linked = try #require(try await api.send(.post, "/api/v1/opportunities", json: ["name": "MRI", "account": .string(account)]).body["id"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/opportunities/\(linked)").body["account_industry"] == "医疗")
            #expect(try await api.send(.get, "/api/v1/opportunities/\(id)").body["account_industry"] == "未知")
            #expect(try await api.send(.patch, "/api/v1/accounts/\(account)", json: ["industry": "医疗器械"]).status == .ok)
            #expect(try await api.send(.get, "/api/v1/opportunities/\(linked)").body["account_industry"] == "医疗器械")
            let history = try await api.send(.get, "/api/v1/opportunities/\(linked)/history")
            #expect(history.body["data"]?.arrayValue?.contains { $0["field"] == "account_industry" && $0["new"] == "医疗器械" && $0["source"] == "formula" } == true)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badFormulasAreRefusedWithTheirPosition(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let bad = try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: [
                "name": "broken", "type": "formula", "expression": "amount * ", "resultType": "number",
            ])
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes["expression"] == "invalid_formula")
            #expect(bad.body["error"]?["violations"]?.arrayValue?.first?["message"]?.stringValue?.contains("at position 10") == true)
            let unknown = try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: [
                "name": "broken", "type": "formula", "expression": "amout + 1", "resultType": "number",
            ])
            #expect(unknown.body["error"]?["violations"]?.arrayValue?.first?["message"]?.stringValue == "amout is not a field of opportunities (at position 1)")
            let mismatch = try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: [
                "name": "broken", "type": "formula", "expression": "name & \"x\"", "resultType": "number",
            ])
            #expect(mismatch.status == .unprocessableContent)
            let noType = try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: ["name": "broken", "type": "formula", "expression": "1"])
            #expect(noType.body.violationCodes["resultType"] == "invalid_type")
            #expect(try await api.send(.get, "/api/v1/metadata/objects/opportunities").body["fields"]?.arrayValue?.contains { $0["name"] == "broken" } == false)
        }
    }

    @Test(arguments: TestDatabase.all)
    func validationRulesFailWhenTrueAndAreReportedWithEveryOtherViolation(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let rule = try await api.send(.post, "/api/v1/metadata/objects/accounts/validation-rules", json: [
                "name": "hospitals_need_a_city", "expression": "AND(CONTAINS(name, \"医院\"), ISBLANK(city))", "message": "医院客户必须填写城市",
            ])
            #expect(rule.status == .created, "\(rule.body)")
            let both = try await api.send(.post, "/api/v1/accounts", json: ["name": "第二人民医院", "email": "not-an-email"])
            #expect(both.status == .unprocessableContent)
            #expect(both.body.violationCodes == ["hospitals_need_a_city": "validation_rule", "email": "invalid_format"])
            #expect(both.body["error"]?["violations"]?.arrayValue?.contains { $0["message"] == "医院客户必须填写城市" } == true)
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "第二人民医院", "city": "杭州"]).status == .created)
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "杭州科技公司"]).status == .created)
            // On update the rule sees the record as it would be.
            let id = try #require(try await api.send(.get, "/api/v1/accounts?filter[city][eq]=杭州").body["data"]?.arrayValue?.first?["id"]?.stringValue)
            let cleared = try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["city": .null])
            #expect(cleared.status == .unprocessableContent && cleared.body.violationCodes["hospitals_need_a_city"] == "validation_rule")
            #expect(try await api.send(.get, "/api/v1/accounts/\(id)").body["city"] == "杭州")

            let invalid = try await api.send(.post, "/api/v1/metadata/objects/accounts/validation-rules", json: [
                "name": "broken", "expression": "LEN(name) >", "message": "x",
            ])
            #expect(invalid.status == .unprocessableContent && invalid.body["error"]?["violations"]?.arrayValue?.first?["message"]?.stringValue?.contains("at position") == true)
            let notBoolean = try await api.send(.post, "/api/v1/metadata/objects/accounts/validation-rules", json: [
                "name": "broken", "expression": "LEN(name)", "message": "x",
            ])
            #expect(notBoolean.status == .unprocessableContent && notBoolean.body.violationCodes["expression"] == "invalid_formula")
            let duplicate = try await api.send(.post, "/api/v1/metadata/objects/accounts/validation-rules", json: [
                "name": "hospitals_need_a_city", "expression": "FALSE", "message": "x",
            ])
            #expect(duplicate.status == .conflict)
            #expect(try await api.send(.get, "/api/v1/metadata/objects/accounts/validation-rules").body["data"]?.arrayValue?.count == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aDryRunShowsWhatARuleOrFormulaWouldDoAndWritesNothing(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            for (name, city) in [("第一人民医院", "杭州"), ("第二人民医院", nil), ("杭州科技", nil)] as [(String, String?)] {
                var body: [String: JSONValue] = ["name": .string(name)]
                if let city { body["city"] = .string(city) }
                #expect(try await api.send(.post, "/api/v1/accounts", json: .object(body)).status == .created)
            }
            let before = try await api.keel.footprint()
            let rule = try await api.send(.post, "/api/v1/metadata/objects/accounts/dry-run", json: [
                "kind": "validation_rule", "expression": "AND(CONTAINS(name, \"医院\"), ISBLANK(city))",
            ])
            #expect(rule.status == .ok && rule.body["evaluated"] == 3 && rule.body["wouldFail"] == 1, "\(rule.body)")
            #expect(rule.body["results"]?.arrayValue?.first { $0["value"] == true }?["name"] == "第二人民医院")
            let formula = try await api.send(.post, "/api/v1/metadata/objects/accounts/dry-run", json: ["expression": "LEN(name) & \" 字\"", "sample": 2])
            #expect(formula.body["type"] == "text" && formula.body["results"]?.arrayValue?.count == 2)
            let bad = try await api.send(.post, "/api/v1/metadata/objects/accounts/dry-run", json: ["expression": "LEN(name"])
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes["expression"] == "invalid_formula")
            #expect(try await api.keel.footprint() == before)
            #expect(try await api.keel.metadata.catalog().require("accounts").validationRules.isEmpty)
            let member = try await AccessAPITests.user(api, "m@example.com")
            #expect(try await api.send(.post, "/api/v1/metadata/objects/accounts/dry-run", json: ["expression": "1"], auth: .token(member.token)).status == .forbidden)
        }
    }

    @Test(arguments: TestDatabase.all)
    func changingAFormulaRecomputesRecordsAndCyclesAreRefused(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            #expect(try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: [
                "name": "double", "type": "formula", "expression": "amount * 2", "resultType": "number"]).status == .created)
            #expect(try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: [
                "name": "double_plus", "type": "formula", "expression": "double + 1", "resultType": "number"]).status == .created)
            let id = try #require(try await api.send(.post, "/api/v1/opportunities", json: ["name": "CT", "amount": 10]).body["id"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/opportunities/\(id)").body["double_plus"] == 21)
            let cycle = try await api.send(.patch, "/api/v1/metadata/objects/opportunities/fields/double", json: ["expression": "double_plus * 2"])
            #expect(cycle.status == .unprocessableContent && cycle.body.violationCodes["expression"] == "formula_cycle")
            #expect(cycle.body["error"]?["violations"]?.arrayValue?.first?["message"]?.stringValue?.contains("opportunities.double → opportunities.double_plus → opportunities.double") == true)
            let changed = try await api.send(.patch, "/api/v1/metadata/objects/opportunities/fields/double", json: ["expression": "amount * 3"])
            #expect(changed.status == .ok && changed.body["expression"] == "amount * 3")
            let record = try await api.send(.get, "/api/v1/opportunities/\(id)")
            #expect(record.body["double"] == 30 && record.body["double_plus"] == 31)
            #expect(try await api.send(.patch, "/api/v1/metadata/objects/opportunities/fields/name", json: ["expression": "1"]).status == .unprocessableContent)
        }
    }

    @Test(arguments: TestDatabase.all)
    func customFieldsTakeCheckedDefaultValues(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let bad = try await api.send(.post, "/api/v1/metadata/objects/leads/fields", json: [
                "name": "first_channel", "type": "picklist", "options": ["官网", "展会"], "default": "抖音"])
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes["default"] == "invalid_option")
            let field = try await api.send(.post, "/api/v1/metadata/objects/leads/fields", json: [
                "name": "first_channel", "type": "picklist", "options": ["官网", "展会"], "default": "官网"])
            #expect(field.status == .created && field.body["default"] == "官网")
            #expect(try await api.send(.post, "/api/v1/leads", json: ["name": "王芳"]).body["first_channel"] == "官网")
            #expect(try await api.send(.post, "/api/v1/leads", json: ["name": "李雷", "first_channel": "展会"]).body["first_channel"] == "展会")
        }
    }
}
