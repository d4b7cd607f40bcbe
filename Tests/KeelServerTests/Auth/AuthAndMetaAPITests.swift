import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct AuthAndMetaAPITests {
    @Test(arguments: TestDatabase.all)
    func tokensFreezingAndRoles(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            #expect(try await api.send(.get, "/api/v1/accounts", auth: .none).status == .unauthorized)
            let bogus = try await api.send(.get, "/api/v1/accounts", auth: .token("keel_not-a-real-token"))
            #expect(bogus.status == .unauthorized)
            #expect(bogus.body.errorCode == "invalid_token")
            #expect(bogus.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            let wrong = try await api.send(.post, "/api/v1/auth/token", json: ["email": "admin@example.com", "password": "nope-nope"], auth: .none)
            #expect(wrong.status == .unauthorized)

            let created = try await api.send(.post, "/api/v1/users", json: ["email": "member@example.com", "password": "member-pass", "role": "member"])
            #expect(created.status == .created)
            let memberID = try #require(created.body["id"]?.stringValue)
            let login = try await api.send(.post, "/api/v1/auth/token", json: ["email": "member@example.com", "password": "member-pass"], auth: .none)
            let memberToken = try #require(login.body["token"]?.stringValue)
            #expect(try await api.send(.get, "/api/v1/me", auth: .token(memberToken)).body["email"] == "member@example.com")
            let forbidden = try await api.send(.post, "/api/v1/metadata/objects", json: ["name": "projects"], auth: .token(memberToken))
            #expect(forbidden.status == .forbidden)
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "会员创建的客户"], auth: .token(memberToken)).status == .created)

            let frozen = try await api.send(.patch, "/api/v1/users/\(memberID)", json: ["status": "frozen"])
            #expect(frozen.body["status"] == "frozen")
            #expect(try await api.send(.get, "/api/v1/accounts", auth: .token(memberToken)).status == .unauthorized)

            let tokens = try await api.send(.get, "/api/v1/auth/tokens")
            #expect(tokens.body["data"]?.arrayValue?.count == 1)
            #expect(!tokens.body.canonicalText().contains(api.token))
            #expect(try await api.send(.delete, "/api/v1/auth/token").status == .noContent)
            #expect(try await api.send(.get, "/api/v1/accounts").status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.all)
    func metadataOpenAPIHealthAndMetrics(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let object = try await api.send(.post, "/api/v1/metadata/objects", json: [
                "name": "agreements", "labels": ["zh-CN": "协议", "en": "Agreements"],
                "fields": [["name": "total", "type": "money", "required": true], ["name": "account", "type": "reference", "target": "accounts"]],
            ])
            #expect(object.status == .created)
            let field = try await api.send(.post, "/api/v1/metadata/objects/agreements/fields",
                                           json: ["name": "payment_terms", "type": "picklist", "options": ["预付", "月结30天"], "labels": ["zh-CN": "付款条件", "en": "Payment terms"]])
            #expect(field.body["options"] == ["预付", "月结30天"])
            let fields = try await api.send(.get, "/api/v1/metadata/objects/agreements/fields")
            #expect(fields.body["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["name", "owner", "total", "account", "payment_terms"])
            let objects = try await api.send(.get, "/api/v1/metadata/objects")
            #expect(objects.body["data"]?.arrayValue?.compactMap { $0["name"]?.stringValue }.contains("agreements") == true)

            let record = try await api.send(.post, "/api/v1/agreements", json: ["name": "2026 年框架合同", "total": 880000, "payment_terms": "预付"])
            #expect(record.status == .created)
            #expect(try await api.send(.get, "/api/v1/agreements?filter[payment_terms][eq]=%E9%A2%84%E4%BB%98").body["data"]?.arrayValue?.count == 1)

            let doc = try await api.send(.get, "/api/v1/openapi.json", auth: .none)
            #expect(doc.body["openapi"] == "3.1.0")
            #expect(doc.body["paths"]?["/api/v1/agreements/{id}/history"]?["get"] != nil)
            // A write may send the options (or null, or an empty text, which clears it too); a create must carry the required
            // fields, a change need not.
            #expect(doc.body["components"]?["schemas"]?["AgreementsInput"]?["properties"]?["payment_terms"]?["enum"] == ["预付", "月结30天", nil, ""])
            #expect(doc.body["components"]?["schemas"]?["AgreementsCreate"]?["required"] == ["name", "total"])
            #expect(doc.body["components"]?["schemas"]?["AgreementsInput"]?["required"] == [])
            #expect(doc.body["components"]?["schemas"]?["AgreementsInput"]?["properties"]?["name"]?["minLength"] == 1)

            #expect(try await api.send(.get, "/healthz", auth: .none).body["status"] == "ok")
            let metrics = try await api.send(.get, "/metrics", auth: .none)
            let text = metrics.body.stringValue ?? ""
            #expect(text.contains(#"keel_http_requests_total{method="POST",path="/api/v1/{object}",status="201"} 1"#))
            #expect(text.contains("keel_http_request_duration_seconds_bucket"))
            // The background worker empties the outbox as it goes.
            #expect(text.contains("keel_outbox_backlog "))
            #expect(text.contains("keel_scheduler_lag_seconds ") && text.contains("keel_clock_drift_seconds "))
            #expect(text.contains("keel_db_connections"))
        }
    }
}
