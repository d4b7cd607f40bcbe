import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Identity rules as data: an admin names the fields (and roles) that identify an object's records and the
/// thresholds; the records are re-indexed at once and the duplicate check follows the new rules.
@Suite struct IdentityRulesAPITests {
    @Test(arguments: TestDatabase.all)
    func anAdminDecidesWhatIdentifiesARecord(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let path = "/api/v1/metadata/objects/accounts/identity-rules"
            let defaults = try await api.send(.get, path).body
            #expect(defaults["default"] == true && defaults["block"] == 0.9)
            #expect(defaults["fields"] == [["field": "name", "role": "company"], ["field": "name", "role": "region"], ["field": "credit_code", "role": "credit-code"]])

            #expect(try await api.send(.post, "/api/v1/metadata/objects/accounts/fields", json: ["name": "erp_code", "type": "text"]).status == .created)
            _ = try await AccessAPITests.create(api, "accounts", ["name": "星河数码科技有限公司", "erp_code": "C-1001"], as: api.token)
            // Under the defaults another name with the same ERP code is another company.
            let other = try await AccessAPITests.create(api, "accounts", ["name": "远航贸易有限公司", "erp_code": "C-2002"], as: api.token)

            let set = try await api.send(.put, path, json: ["fields": [["field": "erp_code", "role": "id-number"]], "block": 0.8, "warn": 0.5])
            #expect(set.status == .ok && set.body["default"] == false && set.body["block"] == 0.8)
            // Existing records were re-indexed: the ERP code now finds them, whatever the name.
            let again = try await api.send(.post, "/api/v1/accounts", json: ["name": "完全不同的名字有限公司", "erp_code": "C-1001"])
            #expect(again.status == .conflict && again.body["error"]?["candidates"]?[0]?["reasons"]?[0]?["field"] == "erp_code")
            #expect(try await api.send(.patch, "/api/v1/accounts/\(other)", json: ["erp_code": "C-1001"]).status == .conflict)
            // …and the name no longer does.
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "深圳市星河数码科技有限公司", "erp_code": "C-3003"]).status == .created)

            // Bad rules are refused whole; members may not set them; deleting goes back to the defaults.
            let bad = try await api.send(.put, path, json: ["fields": [["field": "nope", "role": "company"], ["field": "name", "role": "horoscope"]], "block": 0.4, "warn": 0.6])
            #expect(bad.body.violationCodes == ["fields[0].field": "unknown_field", "fields[1].role": "invalid_option", "block": "out_of_range"])
            #expect(try await api.send(.put, path, json: ["fields": []]).body.violationCodes == ["fields": "required"])
            #expect(try await api.send(.put, path, json: ["rules": 1]).status == .badRequest)
            let member = try await AccessAPITests.user(api, "m@example.com")
            #expect(try await api.send(.put, path, json: ["fields": [["field": "name", "role": "company"]]], auth: .token(member.token)).status == .forbidden)
            #expect(try await api.send(.get, path).body["fields"]?[0]?["field"] == "erp_code")
            #expect(try await api.send(.delete, path).body["default"] == true)
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "深圳星河数码科技有限公司"]).status == .conflict)
            #expect(try await api.send(.get, "/api/v1/openapi.json", auth: .none).body["paths"]?["/api/v1/metadata/objects/{object}/identity-rules"]?["put"] != nil)
        }
    }
}
