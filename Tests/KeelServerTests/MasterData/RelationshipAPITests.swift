import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The relationship graph: accounts tied by legal representative, address, phone (however written), e-mail domain
/// (not free mail) or a shared director, with parent/branch suggestions; over the API and on a page with an SVG star.
@Suite struct RelationshipAPITests {
    static func graph(_ api: API) async throws -> [String: String] {
        var ids: [String: String] = [:]
        func account(_ key: String, _ values: JSONValue) async throws {
            ids[key] = try await AccessAPITests.create(api, "accounts", values, as: api.token)
        }
        try await account("a", ["name": "深圳市星河数码科技有限公司", "legal_representative": "王建国", "address": "深圳市南山区科技园南区R2-B栋",
                                "phone": "0755-26712345", "email": "info@xinghe-tech.cn"])
        try await account("group", ["name": "星河控股集团有限公司", "legal_representative": "王建国"])
        try await account("branch", ["name": "深圳市星河数码科技有限公司南山分公司", "phone": "(0755)2671 2345"])
        try await account("neighbour", ["name": "深圳前海云帆贸易有限公司", "address": "深圳市南山区科技园南区R2-B栋"])
        try await account("board", ["name": "北京蓝海咨询有限公司"])
        try await account("mail", ["name": "广州天成物流有限公司", "email": "ops@xinghe-tech.cn"])
        try await account("freemail", ["name": "上海森林食品有限公司", "email": "boss@qq.com"])
        try await account("none", ["name": "成都锦程医药有限公司"])
        for (name, accountKey, role, email) in [("李强", "a", "董事", "liqiang@qq.com"), ("李强", "board", "董事", "lq@lanhai.example.cn"),
                                                ("张伟", "a", "采购经理", "zw@qq.com"), ("张伟", "none", "采购经理", "zw2@jincheng.example.cn")] {
            _ = try await AccessAPITests.create(api, "contacts", ["name": .string(name), "account": .string(ids[accountKey]!), "role": .string(role),
                                                                  "email": .string(email)], as: api.token)
        }
        return ids
    }

    @Test(arguments: TestDatabase.all)
    func accountsTiedBySharedDetailsAreListedWithHierarchySuggestions(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let ids = try await Self.graph(api)
            let links = try await api.send(.get, "/api/v1/accounts/\(ids["a"]!)/relationships").body["data"]?.arrayValue ?? []
            let byID = Dictionary(uniqueKeysWithValues: links.compactMap { l in l["account"]?["id"]?.stringValue.map { ($0, l) } })
            #expect(Set(byID.keys) == Set(["group", "branch", "neighbour", "board", "mail"].map { ids[$0]! }))
            #expect(byID[ids["group"]!]?["via"] == [["kind": "legal_representative", "value": "王建国"]])
            #expect(byID[ids["group"]!]?["suggestion"] == "parent")
            #expect(byID[ids["branch"]!]?["via"] == [["kind": "phone", "value": "0755-26712345"]])
            #expect(byID[ids["branch"]!]?["suggestion"] == "branch")
            #expect(byID[ids["neighbour"]!]?["via"]?[0]?["kind"] == "address" && byID[ids["neighbour"]!]?["suggestion"] == .null)
            #expect(byID[ids["board"]!]?["via"] == [["kind": "director", "value": "李强"]])
            #expect(byID[ids["mail"]!]?["via"] == [["kind": "email_domain", "value": "xinghe-tech.cn"]])
            // Seen from the branch, the first account is its head office.
            let fromBranch = try await api.send(.get, "/api/v1/accounts/\(ids["branch"]!)/relationships").body["data"]?.arrayValue ?? []
            #expect(fromBranch.first { $0["account"]?["id"] == .string(ids["a"]!) }?["suggestion"] == "parent")
            // Relationships never merge anything; only accounts have them; a hidden account is not found.
            #expect(try await api.keel.footprint()[0] == 8)
            let contact = try #require(try await api.send(.get, "/api/v1/contacts").body["data"]?[0]?["id"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/contacts/\(contact)/relationships").body.errorCode == "not_accounts")
            let paths = try await api.send(.get, "/api/v1/openapi.json", auth: .none).body["paths"]
            #expect(paths?["/api/v1/accounts/{id}/relationships"]?["get"] != nil && paths?["/api/v1/contacts/{id}/relationships"] == nil)
            let member = try await AccessAPITests.user(api, "m@example.com")
            #expect(try await api.send(.get, "/api/v1/accounts/\(ids["a"]!)/relationships", auth: .token(member.token)).status == .notFound)
        }
    }

    @Test func theRelationshipsPageDrawsTheStarAndTheTable() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let context = WriteContext(principal: admin.user, source: .web)
            let a = try await keel.records.create("accounts", ["name": "深圳市星河数码科技有限公司", "legal_representative": "王建国"], context: context).json["id"]?.stringValue ?? ""
            _ = try await keel.records.create("accounts", ["name": "星河控股集团有限公司", "legal_representative": "王建国"], context: context)
            let record = try await admin.get("/o/accounts/\(a)")
            #expect(record.html.contains(#"href="/o/accounts/\#(a)/relationships">关联关系</a>"#))
            let page = try await admin.get("/o/accounts/\(a)/relationships")
            #expect(page.status == .ok)
            #expect(page.html.contains("<svg class=\"chart\"") && page.html.contains(">法定代表人</text>"))
            #expect(page.html.contains("法定代表人: 王建国") && page.html.contains("可能是其上级公司"))
            let contact = try await keel.records.create("contacts", ["name": "李强"], context: context).json["id"]?.stringValue ?? ""
            #expect(!(try await admin.get("/o/contacts/\(contact)").html.contains("关联关系</a>")))
        }
    }
}
