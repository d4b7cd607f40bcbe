import Crypto
import Foundation

/// e签宝 (V3) callbacks as its open platform documents them: the body is JSON (`action`: SIGN_MISSON_COMPLETE when a
/// signer has signed, SIGN_FLOW_COMPLETE when the flow ends), and the request carries `X-Tsign-Open-App-Id`,
/// `X-Tsign-Open-TIMESTAMP` (milliseconds), `X-Tsign-Open-SIGNATURE-ALGORITHM` (hmac-sha256) and
/// `X-Tsign-Open-SIGNATURE`: the hex HMAC-SHA256, keyed with the app secret, of the timestamp, then the query
/// parameters' values in the order of their names, then the raw body.
public enum TsignCallback {
    public enum Problem: Error, Equatable {
        case missingHeaders, wrongApp, badSignature
        /// The timestamp is further than the window from now (an old callback sent again, or a clock far off).
        case outsideWindow
    }

    /// How far a callback's timestamp may be from now.
    public static let window: TimeInterval = 300

    public static func signature(secret: String, timestamp: String, query: [(String, String)], body: [UInt8]) -> String {
        let values = query.sorted { $0.0 < $1.0 }.map(\.1).joined()
        let data = Array((timestamp + values).utf8) + body
        return HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: Array(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    /// Checks a callback: its app, its signature (compared in constant time) and its timestamp; nil when it holds.
    /// `headers` with lower-case names.
    public static func problem(headers: [String: String], query: [(String, String)], body: [UInt8], appID: String, secret: String, now: Date) -> Problem? {
        guard let app = headers["x-tsign-open-app-id"], let timestamp = headers["x-tsign-open-timestamp"], let given = headers["x-tsign-open-signature"],
              let milliseconds = Double(timestamp) else { return .missingHeaders }
        guard app == appID else { return .wrongApp }
        if let algorithm = headers["x-tsign-open-signature-algorithm"], algorithm.lowercased() != "hmac-sha256" { return .badSignature }
        let expected = Array(signature(secret: secret, timestamp: timestamp, query: query, body: body).utf8), actual = Array(given.lowercased().utf8)
        guard expected.count == actual.count, zip(expected, actual).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0 else { return .badSignature }
        guard abs(now.timeIntervalSince1970 - milliseconds / 1000) <= window else { return .outsideWindow }
        return nil
    }

    /// The headers e签宝 sends with a callback (for its fakes and tests).
    public static func headers(appID: String, secret: String, query: [(String, String)], body: [UInt8], at date: Date) -> [(String, String)] {
        let timestamp = String(Int64(date.timeIntervalSince1970 * 1000))
        return [("X-Tsign-Open-App-Id", appID), ("X-Tsign-Open-TIMESTAMP", timestamp), ("X-Tsign-Open-SIGNATURE-ALGORITHM", "hmac-sha256"),
                ("X-Tsign-Open-SIGNATURE", signature(secret: secret, timestamp: timestamp, query: query, body: body)), ("Content-Type", "application/json")]
    }
}
