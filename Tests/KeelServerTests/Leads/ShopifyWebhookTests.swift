import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelIntegrations
import KeelTestSupport
import Testing

/// Shopify's webhooks as Shopify sends them (the body signed with the app secret, an event id repeated on retries):
/// customers and orders become routed leads, once each; a bad signature stores nothing.
@Suite struct ShopifyWebhookTests {
    static let secret = "shpss_0123456789abcdef0123456789"

    func deliver(_ api: API, topic: String, event: String, _ payload: JSONValue, secret: String = secret) async throws -> (status: HTTPResponse.Status, body: JSONValue) {
        let body = Array(payload.canonicalText().utf8)
        let r = try await api.send(.post, "/api/v1/integrations/shopify/webhooks", raw: body, headers: [
            HTTPField.Name("X-Shopify-Topic")!: topic, HTTPField.Name("X-Shopify-Event-Id")!: event,
            HTTPField.Name("X-Shopify-Hmac-Sha256")!: ShopifyWebhook.sign(body: body, secret: secret), .contentType: "application/json",
        ], auth: .none)
        return (r.status, r.body)
    }

    @Test(arguments: TestDatabase.all)
    func customersAndOrdersBecomeRoutedLeadsOnceEachAndBadSignaturesStoreNothing(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let rep = try await api.keel.makeUser("gulf@example.com", role: .member)
            #expect(try await deliver(api, topic: "customers/create", event: "e0", ["id": 1]).status == .notFound)
            #expect(try await api.send(.put, "/api/v1/settings/shopify", json: ["secret": "short"]).status == .unprocessableContent)
            #expect(try await api.send(.put, "/api/v1/settings/shopify", json: ["secret": .string(Self.secret)]).body["configured"] == true)
            #expect(try await api.send(.get, "/api/v1/settings/shopify").body["secret"] == nil)
            _ = try await api.send(.put, "/api/v1/settings/lead-routing", json: ["rules": [["id": "gulf", "name": "海湾", "when": ["regions": ["Saudi Arabia"]],
                                                                                           "members": ["gulf@example.com"]]]])
            let customer: JSONValue = ["id": 706405506930370084, "email": "ahmed@riyadh-trading.example", "first_name": "Ahmed", "last_name": "Ali",
                                       "phone": "+966501234567",
                                       "default_address": ["company": "Riyadh Trading", "country_code": "SA", "city": "Riyadh", "province": "Riyadh"]]
            let first = try await deliver(api, topic: "customers/create", event: "evt-1", customer)
            #expect(first.status == .ok && first.body["status"] == "created", "\(first.body)")
            // Shopify retries the same event: answered, not processed again.
            #expect(try await deliver(api, topic: "customers/create", event: "evt-1", customer).body["status"] == "created")
            var leads = try await api.send(.get, "/api/v1/leads").body["data"]?.arrayValue ?? []
            #expect(leads.count == 1)
            #expect(leads.first?["name"] == "Ahmed Ali" && leads.first?["channel"] == "shopify" && leads.first?["country"] == "SA")
            #expect(leads.first?["owner"] == .string(rep.userID) && leads.first?["company"] == "Riyadh Trading")

            // Signed with another secret, or not at all: 401, nothing stored.
            #expect(try await deliver(api, topic: "customers/create", event: "evt-2", ["id": 2, "first_name": "伪造"], secret: "not-the-secret-at-all").status == .unauthorized)
            let unsigned = try await api.send(.post, "/api/v1/integrations/shopify/webhooks", raw: Array(#"{"id": 3}"#.utf8),
                                              headers: [HTTPField.Name("X-Shopify-Topic")!: "customers/create", HTTPField.Name("X-Shopify-Event-Id")!: "evt-3"],
                                              auth: .none)
            #expect(unsigned.status == .unauthorized)

            // An order without a country code: the lead is kept, unassigned (no rule), and the admins hear of it.
            let order: JSONValue = ["id": 820982911946154508, "email": "wei@example.cn",
                                    "customer": ["first_name": "伟", "last_name": "张", "email": "wei@example.cn"],
                                    "billing_address": ["city": "Atlantis", "company": "张氏贸易"]]
            #expect(try await deliver(api, topic: "orders/create", event: "evt-4", order).body["status"] == "created")
            leads = try await api.send(.get, "/api/v1/leads?sort=created_at").body["data"]?.arrayValue ?? []
            #expect(leads.count == 2 && leads.last?["name"] == "张伟" && leads.last?["owner"] == .null)
            // The same customer orders again: no second lead; their owner is told.
            let again: JSONValue = ["id": 9, "email": "ahmed@riyadh-trading.example", "customer": customer]
            #expect(try await deliver(api, topic: "orders/create", event: "evt-5", again).body["status"] == "duplicate")
            #expect(try await api.keel.notifier.notifications(of: rep).items.contains { $0.title.contains("在 Shopify 下了订单") })
            // Other topics are acknowledged and left alone.
            #expect(try await deliver(api, topic: "products/update", event: "evt-6", ["id": 7]).body["status"] == "ignored")
            #expect(try await api.send(.get, "/api/v1/leads").body["data"]?.arrayValue?.count == 2)
        }
    }
}
