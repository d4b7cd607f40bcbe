import Foundation
import KeelCore
import SQLKit

/// The sign-in throttle's memory: failures per key and the addresses users signed in from.
public struct SignInStore: Sendable {
    public init() {}

    /// Failures counted under each key (only keys with any), with the time of the newest.
    public func failures(_ keys: [String], on db: any SQLDatabase) async throws -> [String: (count: Int, last: String)] {
        guard !keys.isEmpty else { return [:] }
        var out: [String: (Int, String)] = [:]
        for row in try await db.raw("SELECT key, failures, last_at FROM sign_in_failures WHERE key IN (\(binds: keys))").all() {
            out[try row.decode(column: "key", as: String.self)] = (try row.decode(column: "failures", as: Int.self), try row.decode(column: "last_at", as: String.self))
        }
        return out
    }

    /// Counts one more failure under `key` at `at`; failures before `since` are forgotten (and purged).
    public func fail(_ key: String, at: String, since: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sign_in_failures WHERE last_at < \(bind: since)").run()
        try await db.raw("""
            INSERT INTO sign_in_failures (key, failures, last_at) VALUES (\(bind: key), 1, \(bind: at))
            ON CONFLICT (key) DO UPDATE SET failures = sign_in_failures.failures + 1, last_at = excluded.last_at
            """).run()
    }

    public func clear(_ keys: [String], on db: any SQLDatabase) async throws {
        guard !keys.isEmpty else { return }
        try await db.raw("DELETE FROM sign_in_failures WHERE key IN (\(binds: keys))").run()
    }

    /// Whether the user has signed in from `address` before.
    public func knows(userID: String, address: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS one FROM sign_in_addresses WHERE user_id = \(bind: userID) AND address = \(bind: address)").first() != nil
    }

    public func remember(userID: String, address: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO sign_in_addresses (user_id, address, last_at) VALUES (\(bind: userID), \(bind: address), \(bind: at))
            ON CONFLICT (user_id, address) DO UPDATE SET last_at = excluded.last_at
            """).run()
    }
}
