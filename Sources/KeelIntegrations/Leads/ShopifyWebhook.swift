import Crypto
import Foundation
import KeelCore

/// Shopify's webhooks as Shopify documents them: `X-Shopify-Hmac-Sha256` is the base64 HMAC-SHA256 of the raw body
/// with the app's secret, `X-Shopify-Topic` names the event, `X-Shopify-Event-Id` is the same on every retry of one
/// event. `customers/create` and `orders/create` become leads; addresses carry `country_code` (ISO 3166-1 alpha-2),
/// which may be missing.
public enum ShopifyWebhook {
    public static let topics = ["customers/create", "orders/create"]

    /// Whether `hmac` is the body's signature under `secret` (compared in constant time).
    public static func verify(body: [UInt8], hmac: String, secret: String) -> Bool {
        guard !secret.isEmpty, let mac = Data(base64Encoded: hmac.trimmingCharacters(in: .whitespaces)) else { return false }
        return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: body, using: SymmetricKey(data: Data(secret.utf8)))
    }

    /// The signature Shopify would send (for tests and fakes that follow the protocol).
    public static func sign(body: [UInt8], secret: String) -> String {
        Data(HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Data(secret.utf8)))).base64EncodedString()
    }

    /// The lead a customer or an order describes: the person, their company, phone, e-mail and where they are; nil
    /// for topics that make no lead.
    public static func lead(topic: String, payload: JSONValue) -> [String: JSONValue]? {
        let person: JSONValue?, address: JSONValue?
        switch topic {
        case "customers/create":
            (person, address) = (payload, payload["default_address"] ?? payload["addresses"]?.arrayValue?.first)
        case "orders/create":
            (person, address) = (payload["customer"], payload["billing_address"] ?? payload["shipping_address"] ?? payload["customer"]?["default_address"])
        default:
            return nil
        }
        func text(_ value: JSONValue?) -> String? {
            value?.stringValue.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let first = text(person?["first_name"]) ?? text(address?["first_name"]), last = text(person?["last_name"]) ?? text(address?["last_name"])
        // Latin names read given name first; Chinese ones family name first, without a space.
        let latin = ((first ?? "") + (last ?? "")).unicodeScalars.allSatisfy(\.isASCII)
        let name = (latin ? [first, last] : [last, first]).compactMap { $0 }.joined(separator: latin ? " " : "")
        let email = text(person?["email"]) ?? text(payload["email"])
        var lead: [String: JSONValue] = ["channel": "shopify", "name": .string(name.isEmpty ? email ?? "Shopify" : name)]
        func put(_ field: String, _ value: String?) { if let value { lead[field] = .string(value) } }
        put("email", email)
        put("phone", text(person?["phone"]) ?? text(address?["phone"]) ?? text(payload["phone"]))
        put("company", text(address?["company"]))
        put("country", text(address?["country_code"]) ?? text(address?["country"]))
        put("province", text(address?["province"]))
        put("city", text(address?["city"]))
        return lead
    }
}
