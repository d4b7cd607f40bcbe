import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Required field groups over real HTTP: per industry (the hospital template), per stage, on every write path; bad
/// definitions are refused whole; suggested roles show who is missing.
@Suite struct RequiredGroupAPITests {
    @Test(arguments: TestDatabase.all)
    func aHospitalNeedsItsProfileAndA三甲HospitalItsThreeRoles(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let applied = try await api.send(.post, "/api/v1/metadata/templates/hospital/apply")
            #expect(applied.status == .ok, "\(applied.body)")
            #expect(applied.body["fieldsAdded"] == ["hospital_grade", "beds", "procurement_stage"])
            #expect(applied.body["groupAdded"] == true)
            let again = try await api.send(.post, "/api/v1/metadata/templates/hospital/apply")
            #expect(again.body["fieldsAdded"] == [])
            #expect(again.body["groupAdded"] == false)

            let before = try await api.keel.footprint()
            let bare = try await api.send(.post, "/api/v1/accounts", json: ["name": "北京协和医院", "industry": "医院", "beds": 2000])
            #expect(bare.status == .unprocessableContent)
            #expect(bare.body.violationCodes == ["hospital_grade": "required", "procurement_stage": "required"])
            #expect(bare.body["error"]?["violations"]?[0]?["message"]?.stringValue?.contains("while Industry is 医院 (Hospital profile)") == true)
            #expect(try await api.keel.footprint() == before)

            // Other industries are not asked.
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "上海振华重工", "industry": "制造"]).status == .created)

            let hospital = try await api.send(.post, "/api/v1/accounts", json: [
                "name": "北京协和医院", "industry": "医院", "hospital_grade": "三甲", "beds": 2000, "procurement_stage": "需求论证",
            ])
            #expect(hospital.status == .created, "\(hospital.body)")
            let id = try #require(hospital.body["id"]?.stringValue)
            // Clearing a required field, by PATCH or by bulk update, is refused like a create.
            let cleared = try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["beds": .null])
            #expect(cleared.body.violationCodes == ["beds": "required"])
            let bulk = try await api.send(.post, "/api/v1/accounts/bulk-update", json: ["ids": [.string(id)], "set": ["procurement_stage": .null]])
            #expect(bulk.status == .unprocessableContent)
            #expect(try await api.send(.get, "/api/v1/accounts/\(id)").body["procurement_stage"] == "需求论证")

            // A 三甲 hospital should have people in three roles; a contact with the role (or title) fills one.
            var roles = try await api.send(.get, "/api/v1/accounts/\(id)/roles")
            #expect(roles.body["data"]?.arrayValue?.compactMap { $0["role"]?.stringValue } == ["院长", "设备科主任", "信息科负责人"])
            #expect(roles.body["data"]?.arrayValue?.allSatisfy { $0["filledBy"] == [] } == true)
            let director = try await api.send(.post, "/api/v1/contacts", json: ["name": "王院长", "account": .string(id), "title": "院长", "mobile": "13800138000"])
            #expect(director.status == .created, "\(director.body)")
            roles = try await api.send(.get, "/api/v1/accounts/\(id)/roles")
            #expect(roles.body["data"]?[0]?["filledBy"]?[0]?["name"] == "王院长")
            #expect(roles.body["data"]?[1]?["filledBy"] == [])
            // A 二甲 hospital is not offered those roles.
            #expect(try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["hospital_grade": "二甲"]).status == .ok)
            #expect(try await api.send(.get, "/api/v1/accounts/\(id)/roles").body["data"] == [])
        }
    }

    @Test(arguments: TestDatabase.all)
    func aStageCanRequireFieldsAndADeletedGroupStopsAsking(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let group = try await api.send(.post, "/api/v1/metadata/objects/opportunities/required-groups", json: [
                "name": "negotiation_terms", "labels": ["zh-CN": "谈判条件", "en": "Negotiation terms"],
                "when": ["field": "stage", "in": ["negotiation", "closed_won"]], "fields": ["amount", "expected_close_date"],
            ])
            #expect(group.status == .created, "\(group.body)")
            let deal = try await api.send(.post, "/api/v1/opportunities", json: ["name": "CT 采购", "stage": "proposal"])
            #expect(deal.status == .created, "\(deal.body)")
            let id = try #require(deal.body["id"]?.stringValue)
            let moved = try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["stage": "negotiation", "amount": 1_200_000])
            #expect(moved.body.violationCodes == ["expected_close_date": "required"])
            #expect(try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["stage": "negotiation", "amount": 1_200_000,
                                                                                  "expected_close_date": "2026-12-31"]).status == .ok)
            #expect(try await api.send(.get, "/api/v1/metadata/objects/opportunities/required-groups").body["data"]?[0]?["name"] == "negotiation_terms")

            #expect(try await api.send(.delete, "/api/v1/metadata/objects/opportunities/required-groups/negotiation_terms").status == .ok)
            #expect(try await api.send(.delete, "/api/v1/metadata/objects/opportunities/required-groups/negotiation_terms").status == .notFound)
            #expect(try await api.send(.post, "/api/v1/opportunities", json: ["name": "MRI 采购", "stage": "negotiation"]).status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badDefinitionsAreRefusedWholeAndOnlyAdminsMayDefine(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let path = "/api/v1/metadata/objects/opportunities/required-groups"
            let bad = try await api.send(.post, path, json: [
                "name": "Bad Name", "when": ["field": "stage", "in": ["谈判"]], "fields": ["amount", "nope", "amount"],
                "roles": [["roles": []]],
            ])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.violationCodes == ["name": "invalid_name", "when.in": "invalid_option", "fields": "invalid_fields",
                                                "fields[1]": "unknown_field", "roles[0].roles": "invalid_roles"])
            #expect(try await api.send(.post, path, json: ["name": "x", "when": ["field": "missing", "in": ["a"]], "fields": ["amount"]])
                .body.violationCodes == ["when.field": "unknown_field"])
            #expect(try await api.send(.post, path, json: ["x"]).status == .badRequest)
            #expect(try await api.send(.post, "/api/v1/metadata/objects/nothing/required-groups", json: ["name": "x", "fields": ["amount"]]).status == .notFound)
            #expect(try await api.send(.post, path, json: ["name": "terms", "fields": ["amount"]]).status == .created)
            #expect(try await api.send(.post, path, json: ["name": "terms", "fields": ["amount"]]).body.violationCodes == ["name": "name_taken"])
            let member = try await AccessAPITests.user(api, "m@example.com")
            #expect(try await api.send(.post, path, json: ["name": "other", "fields": ["amount"]], auth: .token(member.token)).status == .forbidden)
            #expect(try await api.send(.post, "/api/v1/metadata/templates/hospital/apply", auth: .token(member.token)).status == .forbidden)
            #expect(try await api.send(.post, "/api/v1/metadata/templates/bank/apply").status == .notFound)
            #expect(try await api.send(.get, path).body["data"]?.arrayValue?.count == 1)
            let paths = try await api.send(.get, "/api/v1/openapi.json", auth: .none).body["paths"]
            #expect(paths?["/api/v1/metadata/objects/{object}/required-groups"]?["post"]?["responses"]?["422"] != nil)
            #expect(paths?["/api/v1/metadata/templates/{template}/apply"]?["parameters"]?[0]?["schema"]?["enum"] == ["hospital"])
            #expect(paths?["/api/v1/accounts/{id}/roles"]?["get"] != nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aTemplateMeetingAFieldOfAnotherTypeChangesNothing(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            #expect(try await api.send(.post, "/api/v1/metadata/objects/accounts/fields", json: ["name": "beds", "type": "text"]).status == .created)
            let applied = try await api.send(.post, "/api/v1/metadata/templates/hospital/apply")
            #expect(applied.status == .conflict)
            #expect(applied.body.errorCode == "template_conflict")
            let accounts = try await api.send(.get, "/api/v1/metadata/objects/accounts")
            #expect(accounts.body["fields"]?.arrayValue?.contains { $0["name"] == "hospital_grade" } == false)
            #expect(accounts.body["requiredGroups"] == [])
        }
    }
}
