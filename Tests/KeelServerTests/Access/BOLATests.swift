import Foundation
import HTTPTypes
import KeelCore
import KeelTestSupport
import Testing

/// Broken object- and property-level authorisation: a member probes another member's records and a masked field
/// through every API endpoint, and learns nothing a record that does not exist would not also tell.
@Suite struct BOLATests {
    @Test(arguments: TestDatabase.all)
    func hiddenRecordsAreIndistinguishableFromMissingOnes(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let a = try await AccessAPITests.user(api, "a@example.com"), b = try await AccessAPITests.user(api, "b@example.com")
            let hidden = try await AccessAPITests.create(api, "accounts", ["name": "乙的秘密客户", "city": "苏州", "phone": "13900001111"], as: b.token)
            let mine = try await AccessAPITests.create(api, "accounts", ["name": "甲的客户", "city": "杭州"], as: a.token)
            let missing = RecordID.make()
            let asA = API.Auth.token(a.token)

            // Same status and same error code for a hidden id as for a missing one, on every record endpoint.
            let probes: [(HTTPRequest.Method, String, JSONValue?)] = [
                (.get, "/api/v1/accounts/%@", nil), (.patch, "/api/v1/accounts/%@", ["city": "上海"]),
                (.delete, "/api/v1/accounts/%@", nil), (.get, "/api/v1/accounts/%@/history", nil),
            ]
            for (method, path, body) in probes {
                let h = try await api.send(method, path.replacingOccurrences(of: "%@", with: hidden), json: body, auth: asA)
                let m = try await api.send(method, path.replacingOccurrences(of: "%@", with: missing), json: body, auth: asA)
                #expect(h.status == .notFound && m.status == .notFound && h.body.errorCode == m.body.errorCode, "\(method) \(path)")
            }
            // Filters, sort, cursors and exports do not surface it.
            for query in ["filter[id][eq]=\(hidden)", "filter[name][contains]=秘密", "filter[phone][eq]=13900001111", "filter[city][in]=苏州,杭州",
                          "sort=-name", "sort=city&limit=1", "filter[owner][eq]=\(b.id)"] {
                let list = try await api.send(.get, "/api/v1/accounts?\(query)", auth: asA)
                #expect(list.status == .ok, "\(query)")
                #expect(!(list.body["data"]?.arrayValue ?? []).contains { $0["id"]?.stringValue == hidden }, "\(query)")
            }
            let forged = Cursor(sort: "name", value: "乙", id: hidden).encoded()
            #expect(try await api.send(.get, "/api/v1/accounts?sort=name&cursor=\(forged)", auth: asA).body["data"]?.arrayValue?.contains { $0["id"]?.stringValue == hidden } == false)
            #expect(try await api.send(.get, "/api/v1/exports/accounts?filter[id][eq]=\(hidden)", auth: asA).status == .forbidden)
            // Pointing a reference at it is "not found", exactly like a missing id.
            let linkHidden = try await api.send(.post, "/api/v1/contacts", json: ["name": "张三", "account": .string(hidden)], auth: asA)
            let linkMissing = try await api.send(.post, "/api/v1/contacts", json: ["name": "张三", "account": .string(missing)], auth: asA)
            #expect(linkHidden.status == .unprocessableContent && linkHidden.body.violationCodes == linkMissing.body.violationCodes)
            #expect(try await api.send(.post, "/api/v1/contacts", json: ["name": "李四", "account": .string(mine)], auth: asA).status == .created)
            // Explaining one's own access to it, or asking for access, reveals nothing either.
            #expect(try await api.send(.get, "/api/v1/access/explain?action=read&object=accounts&record=\(hidden)", auth: asA).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/access/explain?action=read&object=accounts&record=\(missing)", auth: asA).status == .notFound)
            let askHidden = try await api.send(.post, "/api/v1/access-requests", json: ["object": "accounts", "record": .string(hidden),
                                                                                        "approver": .string(b.id), "reason": "?"], auth: asA)
            let askMissing = try await api.send(.post, "/api/v1/access-requests", json: ["object": "accounts", "record": .string(missing),
                                                                                         "approver": .string(b.id), "reason": "?"], auth: asA)
            #expect(askHidden.status == .created && askMissing.status == .created)
            // Nothing changed on B's record.
            let theirs = try await api.send(.get, "/api/v1/accounts/\(hidden)", auth: .token(b.token))
            #expect(theirs.body["city"] == "苏州" && theirs.body["version"] == 1)
            // Another user's tokens cannot be revoked by id.
            let bTokens = try await api.send(.get, "/api/v1/auth/tokens", auth: .token(b.token))
            let bTokenID = try #require(bTokens.body["data"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(try await api.send(.delete, "/api/v1/auth/tokens/\(bTokenID)", auth: asA).status == .notFound)
            #expect(try await api.send(.get, "/api/v1/accounts", auth: .token(b.token)).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aMaskedFieldLeaksThroughNoEndpoint(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            #expect(try await api.send(.patch, "/api/v1/metadata/objects/accounts/fields/legal_representative", json: ["sensitivity": 3]).status == .ok)
            let a = try await AccessAPITests.user(api, "a@example.com")
            let asA = API.Auth.token(a.token)
            let created = try await api.send(.post, "/api/v1/accounts", json: ["name": "甲公司"], auth: asA)
            let id = try #require(created.body["id"]?.stringValue)
            #expect(created.body["_masked"] == ["legal_representative"])
            // An admin writes the secret; the member then probes for it.
            #expect(try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["legal_representative": "王秘密"]).status == .ok)
            let everywhere = [
                try await api.send(.get, "/api/v1/accounts/\(id)", auth: asA),
                try await api.send(.get, "/api/v1/accounts/\(id)?fields=name,legal_representative", auth: asA),
                try await api.send(.get, "/api/v1/accounts", auth: asA),
                try await api.send(.get, "/api/v1/accounts?fields=legal_representative", auth: asA),
                try await api.send(.get, "/api/v1/accounts/\(id)/history", auth: asA),
                try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["city": "杭州"], auth: asA),
                try await api.send(.get, "/api/v1/accounts?filter[legal_representative][eq]=王秘密", auth: asA),
                try await api.send(.get, "/api/v1/accounts?filter[legal_representative][startsWith]=王", auth: asA),
                try await api.send(.get, "/api/v1/accounts?sort=legal_representative", auth: asA),
                try await api.send(.patch, "/api/v1/accounts/\(id)", json: ["legal_representative": "猜一个"], auth: asA),
            ]
            for response in everywhere { #expect(!response.body.canonicalText().contains("王秘密"), "\(response.body)") }
            #expect(everywhere[5].status == .ok && everywhere[5].body["_masked"] == ["legal_representative"])
            #expect(everywhere[6].status == .forbidden && everywhere[6].body.errorCode == "field_forbidden")
            #expect(everywhere[8].status == .forbidden)
            #expect(everywhere[9].status == .forbidden && everywhere[9].body.violationCodes["legal_representative"] == "field_forbidden")
            #expect(try await api.send(.get, "/api/v1/accounts/\(id)").body["legal_representative"] == "王秘密")
        }
    }
}

@Suite struct BulkUpdateTests {
    @Test(arguments: TestDatabase.all)
    func bulkUpdatesNeedTheirOwnPermissionAndChangeAllOrNothing(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let manager = try await AccessAPITests.user(api, "boss@example.com", role: "manager", department: "销售部")
            let rep = try await AccessAPITests.user(api, "rep@example.com", department: "销售部")
            let outsider = try await AccessAPITests.user(api, "out@example.com", department: "市场部")
            var ids: [String] = []
            for i in 1...3 { ids.append(try await AccessAPITests.create(api, "accounts", ["name": .string("客户\(i)")], as: rep.token)) }
            let foreign = try await AccessAPITests.create(api, "accounts", ["name": "市场部的客户"], as: outsider.token)

            // Members may update their records one by one, not in bulk.
            #expect(try await api.send(.post, "/api/v1/accounts/bulk-update", json: ["ids": .array(ids.map(JSONValue.string)), "set": ["city": "杭州"]],
                                       auth: .token(rep.token)).status == .forbidden)
            // A record outside the manager's reach fails the whole request, as if it did not exist; nothing is written.
            let mixed = try await api.send(.post, "/api/v1/accounts/bulk-update",
                                           json: ["ids": .array((ids + [foreign]).map(JSONValue.string)), "set": ["city": "杭州"]], auth: .token(manager.token))
            #expect(mixed.status == .notFound)
            let bad = try await api.send(.post, "/api/v1/accounts/bulk-update", json: ["ids": .array(ids.map(JSONValue.string)), "set": ["email": "not-an-email"]],
                                         auth: .token(manager.token))
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes["[0].email"] == "invalid_format")
            for id in ids { #expect(try await api.send(.get, "/api/v1/accounts/\(id)").body["version"] == 1) }
            let done = try await api.send(.post, "/api/v1/accounts/bulk-update", json: ["ids": .array(ids.map(JSONValue.string)), "set": ["city": "杭州"]],
                                          auth: .token(manager.token))
            #expect(done.status == .ok && done.body["data"]?.arrayValue?.allSatisfy { $0["city"] == "杭州" && $0["version"] == 2 } == true)
            #expect(try await api.send(.post, "/api/v1/accounts/bulk-update", json: ["ids": [], "set": ["city": "杭州"]], auth: .token(manager.token)).status
                == .unprocessableContent)
        }
    }
}
