import Foundation

/// How failed password attempts slow the next ones: a few are free, then each failure blocks the key for a delay that
/// doubles, up to a ceiling. Only failures count, and they are forgotten a day after the last one. Keys are an e-mail
/// address as typed (known or not, so the answer never tells which exist), a client address, an (e-mail, address)
/// pair the user has signed in from before, or a user's step-up.
public struct SignInThrottle: Sendable {
    /// Failures allowed before the first delay.
    public var freeFailures: Int
    public var firstDelay: TimeInterval = 30
    public var maxDelay: TimeInterval = 15 * 60
    /// Failures older than this (since the last one) no longer count.
    public static let memory: TimeInterval = 24 * 60 * 60

    /// An account (by e-mail) and a user's own (e-mail, address) pair.
    public static let account = SignInThrottle(freeFailures: 5)
    /// One client address across accounts: an office signs in behind one address, so it gets more.
    public static let address = SignInThrottle(freeFailures: 30)
    /// Re-entering one's password for a sensitive action.
    public static let stepUp = SignInThrottle(freeFailures: 5)

    /// Until when a key with `failures` (the newest at `last`) is blocked; nil when it is not.
    public func blockedUntil(failures: Int, last: Date) -> Date? {
        guard failures >= freeFailures else { return nil }
        return last + min(maxDelay, firstDelay * pow(2, Double(min(failures - freeFailures, 20))))
    }
}
