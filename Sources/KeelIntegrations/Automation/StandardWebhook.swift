import Crypto
import Foundation
import KeelCore

/// Signing as the Standard Webhooks specification has it: the signed content is `id.timestamp.body`, the key the
/// base64 part of a `whsec_` secret, and `webhook-signature` is `v1,<base64 HMAC-SHA256>` (several, space-separated,
/// while a secret is being rotated).
public enum StandardWebhook {
    /// A new secret: `whsec_` and 32 random bytes in base64.
    public static func newSecret() -> String {
        "whsec_" + Data(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }).base64EncodedString()
    }

    public static func signature(id: String, timestamp: Int, body: [UInt8], secret: String) throws(KeelError) -> String {
        let key = try Self.key(secret)
        var content = Array("\(id).\(timestamp).".utf8)
        content += body
        return "v1," + Data(HMAC<SHA256>.authenticationCode(for: content, using: key)).base64EncodedString()
    }

    /// The headers a delivery carries.
    public static func headers(id: String, timestamp: Int, body: [UInt8], secret: String) throws(KeelError) -> [(String, String)] {
        [("webhook-id", id), ("webhook-timestamp", String(timestamp)),
         ("webhook-signature", try signature(id: id, timestamp: timestamp, body: body, secret: secret)),
         ("content-type", "application/json")]
    }

    /// Checks a received delivery as a receiver would: one of the signatures matches (in constant time) and the
    /// timestamp is within `tolerance` seconds of `now`.
    public static func verify(id: String, timestamp: String, signatures: String, body: [UInt8], secret: String,
                              now: Date = Date(), tolerance: TimeInterval = 300) -> Bool {
        guard let ts = Int(timestamp), abs(now.timeIntervalSince1970 - Double(ts)) <= tolerance,
              let key = try? Self.key(secret) else { return false }
        var content = Array("\(id).\(ts).".utf8)
        content += body
        return signatures.split(separator: " ").contains { candidate in
            guard candidate.hasPrefix("v1,"), let mac = Data(base64Encoded: String(candidate.dropFirst(3))) else { return false }
            return HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: key)
        }
    }

    static func key(_ secret: String) throws(KeelError) -> SymmetricKey {
        guard secret.hasPrefix("whsec_"), let bytes = Data(base64Encoded: String(secret.dropFirst(6))), bytes.count >= 24 else {
            throw KeelError.validation([Violation(field: "secret", code: "invalid_format",
                                                  message: "A webhook secret is whsec_ followed by at least 24 bytes in base64.")])
        }
        return SymmetricKey(data: bytes)
    }
}
