import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Duplicate prevention at the source, over real HTTP: the same company written another way is refused with 409
/// naming the existing record, its score and the reasons; branches and other companies are not; nothing is written.
@Suite struct DuplicateAPITests {
    @Test(arguments: TestDatabase.all)
    func theSameCompanyWrittenAnotherWayIsRefused(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let first = try await api.send(.post, "/api/v1/accounts", json: ["name": "深圳市腾讯科技有限公司", "city": "深圳"])
            #expect(first.status == .created)
            let id = try #require(first.body["id"]?.stringValue)
            let before = try await api.keel.footprint()

            for written in ["腾讯科技（深圳）有限公司", "騰訊科技(深圳)有限公司", "Tencent Technology (Shenzhen) Co., Ltd.", "Tecent Shenzhen", "腾讯-大客户部"] {
                let again = try await api.send(.post, "/api/v1/accounts", json: ["name": .string(written)])
                #expect(again.status == .conflict, "\(written)")
                #expect(again.body.errorCode == "duplicate")
                let candidate = again.body["error"]?["candidates"]?.arrayValue?.first
                #expect(candidate?["id"]?.stringValue == id)
                #expect(candidate?["name"] == "深圳市腾讯科技有限公司")
                #expect((candidate?["score"]?.numberValue ?? 0) >= 0.9)
                #expect(candidate?["reasons"]?.arrayValue?.first?["field"] == "name")
                #expect(again.body["error"]?["message"]?.stringValue?.contains("深圳市腾讯科技有限公司 (\(id)), match") == true)
            }
            // The same credit code under another name is the same company too.
            let coded = try await api.send(.post, "/api/v1/accounts", json: ["name": "上海甲科技有限公司", "credit_code": "91110000600037341L"])
            #expect(coded.status == .created)
            let renamed = try await api.send(.post, "/api/v1/accounts", json: ["name": "北京乙贸易有限公司", "credit_code": "91110000600037341L"])
            #expect(renamed.status == .conflict)
            #expect(renamed.body["error"]?["candidates"]?[0]?["reasons"]?[0] == ["field": "credit_code", "role": "credit-code", "match": "same"])
            #expect(try await api.keel.footprint()[0] == before[0] + 1)   // only 上海甲科技 was written
        }
    }

    @Test(arguments: TestDatabase.all)
    func branchesAndOtherCompaniesAreNotDuplicates(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            for name in ["腾讯科技(深圳)有限公司", "腾讯科技(深圳)有限公司北京分公司", "腾讯科技(深圳)有限公司上海分公司", "百度在线网络技术(北京)有限公司",
                         "华强科技(深圳)有限公司", "北京华强科技有限公司"] {
                let r = try await api.send(.post, "/api/v1/accounts", json: ["name": .string(name)])
                #expect(r.status == .created, "\(name): \(r.body)")
            }
            // The same trade name in a third region is shown as a possible duplicate, but not refused.
            let check = try await api.send(.post, "/api/v1/accounts/duplicate-check", json: ["values": ["name": "华强科技(上海)有限公司"]])
            #expect(check.body["blocked"] == false)
            #expect(Set(check.body["candidates"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []) == ["华强科技(深圳)有限公司", "北京华强科技有限公司"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func refusedWritesLeaveNothingBehind(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let a = try await api.send(.post, "/api/v1/accounts", json: ["name": "杭州迈瑞医疗器械有限公司"])
            let b = try await api.send(.post, "/api/v1/accounts", json: ["name": "苏州东方贸易有限公司"])
            let bID = try #require(b.body["id"]?.stringValue)
            let before = try await api.keel.footprint()
            let keysBefore = try await api.keel.matchKeys()

            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "迈瑞医疗器械(杭州)有限公司"]).status == .conflict)
            // Renaming another company into a duplicate is refused too, and the record keeps its name.
            let rename = try await api.send(.patch, "/api/v1/accounts/\(bID)", json: ["name": "迈瑞医疗器械（杭州）有限公司"])
            #expect(rename.status == .conflict)
            #expect(rename.body["error"]?["candidates"]?[0]?["id"] == a.body["id"])
            #expect(try await api.send(.get, "/api/v1/accounts/\(bID)").body["name"] == "苏州东方贸易有限公司")
            #expect(try await api.keel.footprint() == before)
            #expect(try await api.keel.matchKeys() == keysBefore)

            // Other fields of a record that has a near-twin can still be changed; a deleted record stops blocking.
            #expect(try await api.send(.patch, "/api/v1/accounts/\(bID)", json: ["city": "苏州"]).status == .ok)
            #expect(try await api.send(.delete, "/api/v1/accounts/\(a.body["id"]?.stringValue ?? "")").status == .noContent)
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "迈瑞医疗器械(杭州)有限公司"]).status == .created)
        }
    }

    @Test(arguments: TestDatabase.all)
    func peopleAreMatchedOnNameWithPhoneOrEmail(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            #expect(try await api.send(.post, "/api/v1/contacts", json: ["name": "张伟", "mobile": "+86 138 1234 1234"]).status == .created)
            // Another 张伟 is a different person…
            #expect(try await api.send(.post, "/api/v1/contacts", json: ["name": "张伟", "mobile": "13900001111"]).status == .created)
            // …but the same name with the same mobile, written another way, is not.
            let twin = try await api.send(.post, "/api/v1/contacts", json: ["name": "张伟", "mobile": "138-1234-1234"])
            #expect(twin.status == .conflict)
            #expect(twin.body["error"]?["candidates"]?[0]?["reasons"] == [["field": "mobile", "role": "phone", "match": "same"], ["field": "name", "role": "name", "match": "same"]])
        }
    }

    @Test(arguments: TestDatabase.all)
    func theCheckEndpointShowsCandidatesWithoutWriting(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let member = try await AccessAPITests.user(api, "rep@example.com")
            let mine = try await AccessAPITests.create(api, "accounts", ["name": "宁波海天塑机集团有限公司"], as: member.token)
            let hidden = try await api.send(.post, "/api/v1/accounts", json: ["name": "杭州海康威视数字技术股份有限公司"])
            let before = try await api.keel.footprint()

            let check = try await api.send(.post, "/api/v1/accounts/duplicate-check", json: ["values": ["name": "海天塑机集团(宁波)有限公司"]], auth: .token(member.token))
            #expect(check.status == .ok)
            #expect(check.body["blocked"] == true)
            #expect(check.body["candidates"]?[0]?["id"]?.stringValue == mine)
            // A record the member may not read still blocks, but only its id shows (to ask for access): no name, no score.
            let other = try await api.send(.post, "/api/v1/accounts/duplicate-check", json: ["values": ["name": "海康威视数字技术(杭州)股份有限公司"]], auth: .token(member.token))
            #expect(other.body["blocked"] == true)
            #expect(other.body["candidates"]?[0] == ["id": hidden.body["id"]!, "hidden": true])
            let refused = try await api.send(.post, "/api/v1/accounts", json: ["name": "海康威视数字技术(杭州)股份有限公司"], auth: .token(member.token))
            #expect(refused.status == .conflict)
            #expect(refused.body["error"]?["message"]?.stringValue?.contains(hidden.body["id"]?.stringValue ?? "-") == false)
            // Checking an existing record against the others leaves it out; unknown ids and bad bodies are errors.
            let itself = try await api.send(.post, "/api/v1/accounts/duplicate-check", json: ["id": .string(mine), "values": ["city": "宁波"]], auth: .token(member.token))
            #expect(itself.body["candidates"] == [])
            #expect(try await api.send(.post, "/api/v1/accounts/duplicate-check", json: ["name": "x"]).status == .badRequest)
            #expect(try await api.send(.post, "/api/v1/accounts/duplicate-check", json: ["values": ["nope": "x"]]).status == .unprocessableContent)
            #expect(try await api.send(.post, "/api/v1/accounts/duplicate-check", json: ["id": .string(RecordID.make()), "values": [:]]).status == .notFound)
            #expect(try await api.keel.footprint() == before)

            let doc = try await api.send(.get, "/api/v1/openapi.json", auth: .none).body
            #expect(doc["paths"]?["/api/v1/accounts/duplicate-check"]?["post"]?["responses"]?["200"] != nil)
            #expect(doc["paths"]?["/api/v1/accounts"]?["post"]?["responses"]?["409"] != nil)
            #expect(doc["components"]?["schemas"]?["DuplicateCandidate"]?["properties"]?["reasons"] != nil)
        }
    }
}
