import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct RecordAPITests {
    @Test(arguments: TestDatabase.all)
    func crudFilterSortAndHistoryOverHTTP(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let field = try await api.send(.post, "/api/v1/metadata/objects/accounts/fields",
                                           json: ["name": "first_channel", "type": "text", "labels": ["zh-CN": "首次接触渠道", "en": "First contact channel"]])
            #expect(field.status == .created)
            var ids: [String] = []
            for (name, channel) in [("上海甲科技有限公司", "展会"), ("北京乙贸易有限公司", "官网"), ("深圳丙电子有限公司", "展会")] {
                let r = try await api.send(.post, "/api/v1/accounts", json: ["name": .string(name), "first_channel": .string(channel), "industry": "制造业"])
                #expect(r.status == .created)
                #expect(r.headers[.location] == "/api/v1/accounts/\(r.body["id"]?.stringValue ?? "")")
                ids.append(r.body["id"]?.stringValue ?? "")
            }
            let list = try await api.send(.get, "/api/v1/accounts?filter%5Bfirst_channel%5D%5Beq%5D=%E5%B1%95%E4%BC%9A&sort=-name&fields=name,first_channel&limit=1")
            #expect(list.status == .ok)
            #expect(list.body["data"]?.arrayValue?.map { $0["name"] } == ["深圳丙电子有限公司"])
            #expect(list.body["data"]?.arrayValue?.first?.objectValue?.keys.sorted() == ["first_channel", "id", "name", "version"])
            let cursor = try #require(list.body["nextCursor"]?.stringValue)
            let next = try await api.send(.get, "/api/v1/accounts?filter[first_channel][eq]=%E5%B1%95%E4%BC%9A&sort=-name&limit=1&cursor=\(cursor)")
            #expect(next.body["data"]?.arrayValue?.map { $0["name"] } == ["上海甲科技有限公司"])
            #expect(next.body["nextCursor"] == .null)

            let patched = try await api.send(.patch, "/api/v1/accounts/\(ids[0])", json: ["first_channel": "转介绍"], headers: [.ifMatch: "1"])
            #expect(patched.status == .ok)
            #expect(patched.body["version"] == 2)
            let stale = try await api.send(.patch, "/api/v1/accounts/\(ids[0])", json: ["first_channel": "官网"], headers: [.ifMatch: "1"])
            #expect(stale.status == .conflict)
            #expect(stale.body.errorCode == "version_conflict")

            let history = try await api.send(.get, "/api/v1/accounts/\(ids[0])/history")
            let change = history.body["data"]?.arrayValue?.last
            #expect(change?["field"] == "first_channel")
            #expect(change?["old"] == "展会")
            #expect(change?["new"] == "转介绍")
            #expect(change?["source"] == "api")

            #expect(try await api.send(.delete, "/api/v1/accounts/\(ids[1])").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/accounts/\(ids[1])").status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.all)
    func badInputGetsAClearErrorAndWritesNothing(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let contact = try await api.send(.post, "/api/v1/contacts", json: ["name": "王经理"])
            let contactID = try #require(contact.body["id"]?.stringValue)
            let before = try await api.keel.footprint()

            let malformed = try await api.send(.post, "/api/v1/accounts", raw: Array(#"{"name": "缺了括号""#.utf8))
            #expect(malformed.status == .badRequest)
            #expect(malformed.body.errorCode == "malformed_json")
            let utf8 = try await api.send(.post, "/api/v1/accounts", raw: [0x7B, 0x22, 0x6E, 0x22, 0x3A, 0x22, 0xC3, 0x28, 0x22, 0x7D])
            #expect(utf8.status == .badRequest)
            #expect(utf8.body.errorCode == "invalid_utf8")
            let array = try await api.send(.post, "/api/v1/accounts", json: ["name", "x"])
            #expect(array.status == .badRequest)
            let tooBig = try await api.send(.post, "/api/v1/accounts", raw: Array(#"{"name":""#.utf8) + Array(repeating: UInt8(ascii: "a"), count: 2 * 1024 * 1024) + Array(#""}"#.utf8))
            #expect(tooBig.status == .contentTooLarge)
            #expect(tooBig.body.errorCode == "payload_too_large")

            let wrong = try await api.send(.post, "/api/v1/accounts", json: [
                "name": 12, "website": "not a url", "unknown_thing": true, "address": .string(String(repeating: "路", count: 501)),
                "owner": .string(RecordID.make()),
            ])
            #expect(wrong.status == .unprocessableContent)
            #expect(wrong.body.violationCodes == ["name": "invalid_type", "website": "invalid_format", "unknown_thing": "unknown_field",
                                                  "address": "too_long", "owner": "reference_not_found"])
            let missing = try await api.send(.post, "/api/v1/accounts", json: ["industry": "制造业"])
            #expect(missing.body.violationCodes == ["name": "required"])

            let unknownObject = try await api.send(.post, "/api/v1/planets", json: ["name": "火星"])
            #expect(unknownObject.status == .notFound)
            #expect(unknownObject.body.errorCode == "unknown_object")
            #expect(try await api.send(.get, "/api/v1/planets").status == .notFound)

            let otherObject = try await api.send(.get, "/api/v1/accounts/\(contactID)")
            #expect(otherObject.status == .notFound)
            let otherPatch = try await api.send(.patch, "/api/v1/accounts/\(contactID)", json: ["name": "x"])
            #expect(otherPatch.status == .notFound)

            for bad in ["filter[name]=x", "filter[name][like]=x", "filter[nope][eq]=x", "filter[score][gt]=abc", "sort=nope", "limit=0", "cursor=zzz"] {
                let r = try await api.send(.get, "/api/v1/leads?\(bad)")
                #expect(r.status == .badRequest, "\(bad)")
                #expect(r.body["error"]?["violations"]?.arrayValue?.isEmpty == false, "\(bad)")
            }
            let badIfMatch = try await api.send(.patch, "/api/v1/contacts/\(contactID)", json: ["name": "x"], headers: [.ifMatch: "latest"])
            #expect(badIfMatch.status == .badRequest)

            let collide = try await api.send(.post, "/api/v1/metadata/objects/accounts/fields", json: ["name": "credit_code", "type": "text"])
            #expect(collide.status == .conflict)
            #expect(collide.body.violationCodes == ["name": "name_taken"])

            #expect(try await api.keel.footprint() == before)
            #expect(try await api.send(.get, "/api/v1/contacts/\(contactID)").body["name"] == "王经理")
        }
    }

    @Test(arguments: TestDatabase.all)
    func idempotencyKeyReplaysTheFirstResponse(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let first = try await api.send(.post, "/api/v1/leads", json: ["name": "孙先生", "phone": "+86 138 1234 5678"], headers: [.idempotencyKey: "form-42"])
            let again = try await api.send(.post, "/api/v1/leads", json: ["phone": "+86 138 1234 5678", "name": "孙先生"], headers: [.idempotencyKey: "form-42"])
            #expect(first.status == .created && again.status == .created)
            #expect(again.body == first.body)
            #expect(again.headers[.idempotentReplayed] == "true")
            let other = try await api.send(.post, "/api/v1/leads", json: ["name": "别人"], headers: [.idempotencyKey: "form-42"])
            #expect(other.status == .conflict)
            #expect(other.body.errorCode == "idempotency_key_reused")
            #expect(try await api.send(.get, "/api/v1/leads").body["data"]?.arrayValue?.count == 1)
        }
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
}
