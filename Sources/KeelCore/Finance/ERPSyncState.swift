import Foundation

/// Where a connector's pulls of one kind of document stand: from which modification time the next pull reads, when it
/// last succeeded, and — while it fails — how often, why, and when it tries again.
public struct ERPSyncState: Sendable, Equatable {
    public var connector: String
    public var kind: ERPEntry.Kind
    public var cursor: String?
    public var lastSuccessAt: String?
    public var lastAttemptAt: String?
    public var nextAttemptAt: String?
    public var failures: Int
    public var lastError: String?
    /// People were told it keeps failing (told again only after it has worked once more).
    public var alerted: Bool

    public init(connector: String, kind: ERPEntry.Kind, cursor: String? = nil, lastSuccessAt: String? = nil, lastAttemptAt: String? = nil,
                nextAttemptAt: String? = nil, failures: Int = 0, lastError: String? = nil, alerted: Bool = false) {
        (self.connector, self.kind, self.cursor, self.lastSuccessAt, self.lastAttemptAt) = (connector, kind, cursor, lastSuccessAt, lastAttemptAt)
        (self.nextAttemptAt, self.failures, self.lastError, self.alerted) = (nextAttemptAt, failures, lastError, alerted)
    }

    /// How long to wait after the `failures`-th failure in a row: a minute, doubling, at most six hours.
    public static func backoff(after failures: Int) -> TimeInterval {
        min(60 * pow(2, Double(max(0, failures - 1))), 6 * 3600)
    }

    public var json: JSONValue {
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        return ["connector": .string(connector), "kind": .string(kind.rawValue), "cursor": text(cursor), "last_success_at": text(lastSuccessAt),
                "last_attempt_at": text(lastAttemptAt), "next_attempt_at": text(nextAttemptAt), "failures": JSONValue(failures),
                "last_error": text(lastError), "alerted": .bool(alerted)]
    }
}
