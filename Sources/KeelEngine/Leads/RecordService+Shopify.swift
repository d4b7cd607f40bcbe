import Foundation
import KeelCore
import KeelIntegrations
import KeelStore
import SQLKit

/// Shopify's `customers/create` and `orders/create` webhooks make leads (channel shopify), routed like any other;
/// each event is taken once, however often Shopify retries it.
extension RecordService {
    static let shopifyKind = "integration", shopifyID = "shopify"

    public enum ShopifyOutcome: String, Sendable { case created, duplicate, ignored }

    /// Sets the Shopify app's secret (admins); leads from Shopify are written as the admin who set it.
    public func setShopify(_ json: JSONValue, by principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        guard let object = json.objectValue, Set(object.keys).isSubset(of: ["secret"]), let secret = object["secret"]?.stringValue else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"secret\": the Shopify app's client secret}.")
        }
        guard secret.count >= 16, secret.count <= 200 else {
            throw KeelError.validation([Violation(field: "secret", code: "invalid_length", message: "The app secret has 16 to 200 characters.")])
        }
        let now = ValueFormats.formatDateTime(Date())
        try await database.write { db in
            _ = try await router.config.publish(kind: Self.shopifyKind, id: Self.shopifyID, definition: ["secret": .string(secret)], by: principal.userID,
                                               at: now, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "shopify_secret_set"), on: db)
        }
        return try await shopify(by: principal)
    }

    /// Whether Shopify is connected, and since when; never the secret.
    public func shopify(by principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        let item = try await database.read { try await router.config.items(kind: Self.shopifyKind, id: Self.shopifyID, on: $0).first }
        return ["configured": .bool(item != nil), "topics": .array(ShopifyWebhook.topics.map(JSONValue.string)),
                "updatedAt": item.map { .string($0.publishedAt) } ?? .null]
    }

    /// One webhook delivery: 401 unless signed with the secret (nothing stored), a repeated event id answered as
    /// before without a second lead, other topics acknowledged and ignored.
    public func receiveShopify(topic: String, eventID: String?, hmac: String?, body: [UInt8], at date: Date = Date()) async throws -> ShopifyOutcome {
        guard let hmac, !hmac.isEmpty else {
            throw KeelError(.unauthorized, code: "invalid_signature", message: "X-Shopify-Hmac-Sha256 is required.")
        }
        guard let eventID, !eventID.isEmpty, eventID.count <= 200, !topic.isEmpty else {
            throw KeelError(.badRequest, code: "missing_event_id", message: "X-Shopify-Topic and X-Shopify-Event-Id are required.")
        }
        guard let item = try await database.read({ try await router.config.items(kind: Self.shopifyKind, id: Self.shopifyID, on: $0).first }) else {
            throw KeelError.notFound("Shopify connection")
        }
        guard ShopifyWebhook.verify(body: body, hmac: hmac, secret: item.definition["secret"]?.stringValue ?? "") else {
            throw KeelError(.unauthorized, code: "invalid_signature", message: "X-Shopify-Hmac-Sha256 does not match the body.")
        }
        let payload = try JSONValue.parse(body)
        guard let publisher = try await database.read({ try await directory.user(id: item.publishedBy, on: $0) }), publisher.status == .active else {
            throw KeelError(.unavailable, code: "shopify_unavailable", message: "The admin who connected Shopify is no longer active; connect it again.",
                            details: ["retryAfter": 3600])
        }
        let catalog = try await metadata.catalog()
        let leads = try catalog.require(StandardObjects.lead.name)
        let context = WriteContext(principal: publisher.principal, source: .webhook)
        let scopes = try await access.scopes(publisher.principal, [.create, .read], object: leads)
        let now = ValueFormats.formatDateTime(date)
        let events = InboundEventStore()
        return try await database.write { db in
            if let earlier = try await events.outcome(source: "shopify", eventID: eventID, on: db) { return ShopifyOutcome(rawValue: earlier) ?? .ignored }
            guard var values = ShopifyWebhook.lead(topic: topic, payload: payload) else {
                try await events.record(source: "shopify", eventID: eventID, topic: topic, leadID: nil, outcome: "ignored", at: now, on: db)
                return .ignored
            }
            do {
                let lead: Record
                do {
                    lead = try await insertNew(leads, values, catalog: catalog, context: context, scope: scopes[0], readable: scopes[1], on: db)
                } catch let error as KeelError where error.kind == .unprocessable && !error.violations.contains(where: { $0.field == "name" }) {
                    // A shop's phone or e-mail in a shape Keel refuses: the lead is kept without it.
                    for violation in error.violations { values[violation.field] = nil }
                    lead = try await insertNew(leads, values, catalog: catalog, context: context, scope: scopes[0], readable: scopes[1], on: db)
                }
                try await events.record(source: "shopify", eventID: eventID, topic: topic, leadID: lead.id, outcome: "created", at: now, on: db)
                return .created
            } catch let error as KeelError where error.code == "duplicate" {
                let id = error.details["candidates"]?.arrayValue?.first?["id"]?.stringValue
                try await events.record(source: "shopify", eventID: eventID, topic: topic, leadID: id, outcome: "duplicate", at: now, on: db)
                if let id {
                    try await tellOwner(of: id, leads, topic == "orders/create" ? "在 Shopify 下了订单" : "在 Shopify 注册了账号", key: "shopify:\(eventID)",
                                        at: date, on: db)
                }
                return .duplicate
            }
        }
    }
}
