import Crypto
import Foundation
import KeelCore

/// Who may read `/metrics`, which names routes, automations and webhook endpoints: a scraper sending the bearer token
/// in `KEEL_METRICS_TOKEN` (how Prometheus is set up: `authorization: {credentials: …}`), or a client whose address is
/// in `KEEL_METRICS_ALLOW` (comma-separated; loopback only when unset).
public struct MetricsAccess: Sendable {
    public var token: String?
    public var addresses: Set<String>

    public static let loopback: Set<String> = ["127.0.0.1", "::1", "::ffff:127.0.0.1"]

    public init(token: String? = nil, addresses: Set<String> = MetricsAccess.loopback) {
        self.token = token
        self.addresses = addresses
    }

    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> MetricsAccess {
        let allow = environment["KEEL_METRICS_ALLOW"].map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }) }
        return MetricsAccess(token: environment["KEEL_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }, addresses: allow ?? loopback)
    }

    func allows(authorization: String?, address: String?) -> Bool {
        if let token, let authorization, authorization.lowercased().hasPrefix("bearer ") {
            // Compared as digests, so the time taken tells nothing about the token.
            return SHA256.hash(data: Data(authorization.dropFirst(7).utf8)) == SHA256.hash(data: Data(token.utf8))
        }
        return address.map(addresses.contains) ?? false
    }
}
