import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// Merging duplicates over real HTTP: field by field, custom fields and phones kept, related records moved, former
/// identities still found, everything in the history, and undone exactly; bad merges change nothing.
@Suite struct MergeAPITests {
    /// Two records of the same buyer that the duplicate check let through (different phones), with custom fields and
    /// an activity and a task on the second.
    static func twoWangWei(_ api: API) async throws -> (a: String, b: String, activity: String, task: String) {
        for field: JSONValue in [["name": "first_channel", "type": "text", "labels": ["zh-CN": "首次接触渠道"]], ["name": "budget", "type": "text"]] {
            #expect(try await api.send(.post, "/api/v1/metadata/objects/contacts/fields", json: field).status == .created)
        }
        let a = try await AccessAPITests.create(api, "contacts", ["name": "王伟", "mobile": "13812345678", "title": "采购专员", "first_channel": "展会"],
                                                as: api.token)
        let b = try await AccessAPITests.create(api, "contacts", ["name": "王伟", "mobile": "139 8765 4321", "phone": "021-65871234",
                                                                 "email": "wangwei@example.cn", "budget": "100万"], as: api.token)
        let activity = try await AccessAPITests.create(api, "activities", ["type": "call", "subject": "询价", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(b)], as: api.token)
        let task = try await AccessAPITests.create(api, "tasks", ["subject": "回电", "related_to": .string(b)], as: api.token)
        return (a, b, activity, task)
    }

    @Test(arguments: TestDatabase.all)
    func aMergeKeepsEveryValueMovesRelatedRecordsAndIsUndoneExactly(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let (a, b, activity, task) = try await Self.twoWangWei(api)
            let beforeA = try await api.send(.get, "/api/v1/contacts/\(a)").body
            let beforeB = try await api.send(.get, "/api/v1/contacts/\(b)").body

            let preview = try await api.send(.post, "/api/v1/contacts/merge/preview", json: ["survivor": .string(a), "merged": [.string(b)]])
            #expect(preview.body["values"]?["mobile"] == "139 8765 4321" && preview.body["sources"]?["mobile"] == .string(b))
            #expect(try await api.send(.get, "/api/v1/contacts/\(b)").status == .ok)   // a preview writes nothing

            let merged = try await api.send(.post, "/api/v1/contacts/merge", json: [
                "survivor": .string(a), "merged": [.string(b)], "choose": ["mobile": .string(a)],
                "versions": [a: 1, b: 1],
            ])
            #expect(merged.status == .ok, "\(merged.body)")
            let record = try #require(merged.body["record"])
            #expect(record["id"] == .string(a))
            // Most complete first (b has more filled in), except the mobile chosen from a; every custom field kept;
            // the phone that lost its field is kept in other phones.
            #expect(record["mobile"] == "13812345678" && record["phone"] == "021-65871234" && record["email"] == "wangwei@example.cn")
            #expect(record["title"] == "采购专员" && record["first_channel"] == "展会" && record["budget"] == "100万")
            #expect(record["other_phones"] == "139 8765 4321")
            #expect(try await api.send(.get, "/api/v1/contacts/\(b)").status == .notFound)
            #expect(try await api.send(.get, "/api/v1/activities/\(activity)").body["related_to"] == .string(a))
            #expect(try await api.send(.get, "/api/v1/tasks/\(task)").body["related_to"] == .string(a))
            let history = try await api.send(.get, "/api/v1/contacts/\(a)/history").body["data"]?.arrayValue ?? []
            #expect(history.contains { $0["field"] == "budget" && $0["new"] == "100万" && $0["source"] == "merge" })
            let mergeID = try #require(merged.body["merge"]?["id"]?.stringValue)
            let former = try await api.send(.get, "/api/v1/contacts/\(a)/merges").body["data"]?[0]
            #expect(former?["id"] == .string(mergeID) && former?["records"]?[0]?["email"] == "wangwei@example.cn")

            // The merged record's identity still finds the survivor: its mobile, written another way, is refused.
            let again = try await api.send(.post, "/api/v1/contacts", json: ["name": "王伟", "mobile": "+86 139-8765-4321"])
            #expect(again.status == .conflict && again.body["error"]?["candidates"]?[0]?["id"] == .string(a))

            // Someone changes the e-mail after the merge: the undo keeps that, restores the rest.
            #expect(try await api.send(.patch, "/api/v1/contacts/\(a)", json: ["email": "w.wei@example.cn"]).status == .ok)
            let undone = try await api.send(.post, "/api/v1/contacts/merges/\(mergeID)/undo")
            #expect(undone.status == .ok, "\(undone.body)")
            #expect(undone.body["restored"] == [.string(b)] && undone.body["kept"] == ["email"])
            let restoredB = try await api.send(.get, "/api/v1/contacts/\(b)").body
            for field in ["name", "mobile", "phone", "email", "budget", "title", "first_channel", "other_phones", "created_at", "created_by"] {
                #expect(restoredB[field] == beforeB[field], "\(field)")
            }
            let afterA = try await api.send(.get, "/api/v1/contacts/\(a)").body
            for field in ["mobile", "phone", "budget", "other_phones", "title", "first_channel"] { #expect(afterA[field] == beforeA[field], "\(field)") }
            #expect(afterA["email"] == "w.wei@example.cn")
            #expect(try await api.send(.get, "/api/v1/activities/\(activity)").body["related_to"] == .string(b))
            #expect(try await api.send(.get, "/api/v1/contacts/\(a)/merges").body["data"]?[0]?["undoneAt"]?.stringValue != nil)
            #expect(try await api.send(.post, "/api/v1/contacts/merges/\(mergeID)/undo").body.errorCode == "already_undone")
            // They were said to be different people: editing one does not trip over the other.
            #expect(try await api.send(.patch, "/api/v1/contacts/\(b)", json: ["mobile": "13812345678"]).status == .ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func mergingAccountsMovesContactsAndDealsAndKeepsTheOldNameFindable(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let survivor = try await AccessAPITests.create(api, "accounts", ["name": "百度在线网络技术(北京)有限公司", "industry": "互联网"], as: api.token)
            let old = try await AccessAPITests.create(api, "accounts", ["name": "北京百度网讯科技有限公司", "credit_code": "91110000802100433B",
                                                                       "phone": "010-59928888"], as: api.token)
            let contact = try await AccessAPITests.create(api, "contacts", ["name": "李娜", "account": .string(old), "mobile": "13700001111"], as: api.token)
            let deal = try await AccessAPITests.create(api, "opportunities", ["name": "云服务", "account": .string(old)], as: api.token)
            let merged = try await api.send(.post, "/api/v1/accounts/merge", json: ["survivor": .string(survivor), "merged": [.string(old)], "rule": "most_recent"])
            #expect(merged.status == .ok, "\(merged.body)")
            // most_recent: the old record was written last, so its name wins unless chosen otherwise — it was not.
            #expect(merged.body["record"]?["name"] == "北京百度网讯科技有限公司" && merged.body["record"]?["industry"] == "互联网")
            #expect(merged.body["record"]?["credit_code"] == "91110000802100433B")
            #expect(try await api.send(.get, "/api/v1/contacts/\(contact)").body["account"] == .string(survivor))
            #expect(try await api.send(.get, "/api/v1/opportunities/\(deal)").body["account"] == .string(survivor))
            #expect(merged.body["merge"]?["moved"] == 2)
            // The survivor's own former name still finds it.
            let again = try await api.send(.post, "/api/v1/accounts", json: ["name": "百度在线网络技术（北京）有限公司"])
            #expect(again.status == .conflict && again.body["error"]?["candidates"]?[0]?["id"] == .string(survivor))
        }
    }

    @Test(arguments: TestDatabase.all)
    func badMergesChangeNothing(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let (a, b, activity, _) = try await Self.twoWangWei(api)
            let account = try await AccessAPITests.create(api, "accounts", ["name": "上海联影医疗科技股份有限公司"], as: api.token)
            let before = try await api.keel.footprint(table: "contacts")

            // A concurrent edit: the versions the caller saw are stale → 409, nothing merged.
            #expect(try await api.send(.patch, "/api/v1/contacts/\(b)", json: ["title": "采购经理"]).status == .ok)
            let stale = try await api.send(.post, "/api/v1/contacts/merge", json: ["survivor": .string(a), "merged": [.string(b)], "versions": [a: 1, b: 1]])
            #expect(stale.status == .conflict && stale.body.errorCode == "version_conflict")
            let afterEdit = try await api.keel.footprint(table: "contacts")
            #expect(afterEdit[0] == before[0])
            #expect(try await api.send(.get, "/api/v1/activities/\(activity)").body["related_to"] == .string(b))

            // Records of different objects → 422; unknown → 404; malformed → 400/422.
            let mixed = try await api.send(.post, "/api/v1/contacts/merge", json: ["survivor": .string(a), "merged": [.string(account)]])
            #expect(mixed.status == .unprocessableContent && mixed.body.errorCode == "different_objects")
            #expect(try await api.send(.post, "/api/v1/contacts/merge", json: ["survivor": .string(a), "merged": ["0000000000000000000000000a"]]).status == .notFound)
            #expect(try await api.send(.post, "/api/v1/contacts/merge", json: ["survivor": .string(a)]).status == .badRequest)
            let bad = try await api.send(.post, "/api/v1/contacts/merge", json: [
                "survivor": .string(a), "merged": [.string(a)], "rule": "loudest", "sourcePriority": ["fax"], "choose": ["title": "someone-else"],
            ])
            #expect(bad.body.violationCodes == ["merged": "invalid_records", "rule": "invalid_option", "sourcePriority": "invalid_option",
                                                "choose.title": "invalid_choice"])
            #expect(try await api.send(.post, "/api/v1/contacts/merge", json: ["survivor": .string(a), "merged": [.string(b)], "choose": ["nope": .string(b)]])
                .body.violationCodes == ["choose.nope": "unknown_field"])
            #expect(try await api.send(.post, "/api/v1/contacts/merges/nothing/undo").status == .notFound)
            let paths = try await api.send(.get, "/api/v1/openapi.json", auth: .none).body["paths"]
            #expect(paths?["/api/v1/contacts/merge"]?["post"]?["responses"]?["409"] != nil)
            #expect(paths?["/api/v1/contacts/merges/{merge}/undo"]?["post"] != nil && paths?["/api/v1/contacts/{id}/merges"]?["get"] != nil)

            // A member may not merge at all by default (it removes records); a manager who cannot see every field of a
            // record may not merge it either (403).
            let rep = try await AccessAPITests.user(api, "rep@example.com")
            let repOwn = try await AccessAPITests.create(api, "contacts", ["name": "周芷若", "mobile": "13500001111"], as: rep.token)
            let repOwnToo = try await AccessAPITests.create(api, "contacts", ["name": "周芷若", "email": "zhou@example.cn"], as: rep.token)
            let refused = try await api.send(.post, "/api/v1/contacts/merge", json: ["survivor": .string(repOwn), "merged": [.string(repOwnToo)]], auth: .token(rep.token))
            #expect(refused.status == .forbidden && refused.body.errorCode == "forbidden")
            var policies = try #require(try await api.send(.get, "/api/v1/access/policies").body["policies"]?.arrayValue)
            policies.append(["id": "wechat-for-admins", "effect": "forbid", "actions": ["read"], "objects": ["contacts"],
                             "when": ["all": [["attr": "field.name", "op": "eq", "value": "wechat_id"], ["attr": "user.role", "op": "eq", "value": "manager"]]]])
            #expect(try await api.send(.put, "/api/v1/access/policies", json: ["policies": .array(policies)]).status == .ok)
            let manager = try await AccessAPITests.user(api, "mgr@example.com", role: "manager", department: "销售部", level: 3)
            let mine = try await AccessAPITests.create(api, "contacts", ["name": "赵敏", "mobile": "13600001111"], as: manager.token)
            let mineToo = try await AccessAPITests.create(api, "contacts", ["name": "赵敏", "email": "zhao@example.cn"], as: manager.token)
            #expect(try await api.send(.patch, "/api/v1/contacts/\(mineToo)", json: ["wechat_id": "zhaomin"]).status == .ok)
            let hidden = try await api.send(.post, "/api/v1/contacts/merge", json: ["survivor": .string(mine), "merged": [.string(mineToo)]], auth: .token(manager.token))
            #expect(hidden.status == .forbidden && hidden.body.errorCode == "merge_forbidden", "\(hidden.body)")
            #expect(try await api.send(.get, "/api/v1/contacts/\(mineToo)").body["wechat_id"] == "zhaomin")
        }
    }
}
