import Foundation
import KeelCore
import Synchronization

/// Limits password attempts (API tokens, web sign-in, step-up) per client address, on top of the per-account lock-out:
/// at most `limit` attempts in `window` seconds, then 429 until the oldest attempt leaves the window.
final class LoginThrottle: Sendable {
    static let limit = 20
    static let window: TimeInterval = 5 * 60
    private let attempts = Mutex<[String: [Date]]>([:])

    /// Counts an attempt from `address`; throws 429 when there were too many.
    func attempt(from address: String?, now: Date = Date()) throws(KeelError) {
        let key = address ?? "unknown"
        let allowed = attempts.withLock { all -> Bool in
            var recent = (all[key] ?? []).filter { now.timeIntervalSince($0) < Self.window }
            defer { all[key] = recent }
            guard recent.count < Self.limit else { return false }
            recent.append(now)
            return true
        }
        guard allowed else {
            throw KeelError(.tooManyRequests, code: "too_many_attempts",
                            message: "Too many sign-in attempts from this address; wait a few minutes and try again.")
        }
    }
}
