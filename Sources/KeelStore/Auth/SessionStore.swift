import KeelCore
import SQLKit

/// A browser session as stored.
public struct StoredSession: Sendable {
    public var userID: String
    public var csrf: String
    public var locale: String?
    public var createdAt: String
    public var lastSeenAt: String
    public var expiresAt: String
    public var stepUpAt: String?

    public init(userID: String, csrf: String, locale: String?, createdAt: String, lastSeenAt: String, expiresAt: String, stepUpAt: String? = nil) {
        self.userID = userID
        self.csrf = csrf
        self.locale = locale
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
        self.stepUpAt = stepUpAt
    }
}

/// Browser sessions, keyed by the SHA-256 of the cookie value.
public struct SessionStore: Sendable {
    public init() {}

    public func insert(idHash: String, _ s: StoredSession, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO sessions (id_hash, user_id, csrf, locale, created_at, last_seen_at, expires_at)
            VALUES (\(bind: idHash), \(bind: s.userID), \(bind: s.csrf), \(bind: s.locale), \(bind: s.createdAt), \(bind: s.lastSeenAt), \(bind: s.expiresAt))
            """).run()
    }

    public func find(idHash: String, on db: any SQLDatabase) async throws -> StoredSession? {
        try await db.raw("SELECT user_id, csrf, locale, created_at, last_seen_at, expires_at, step_up_at FROM sessions WHERE id_hash = \(bind: idHash)")
            .first().map {
                StoredSession(userID: try $0.decode(column: "user_id", as: String.self), csrf: try $0.decode(column: "csrf", as: String.self),
                              locale: try $0.decode(column: "locale", as: String?.self), createdAt: try $0.decode(column: "created_at", as: String.self),
                              lastSeenAt: try $0.decode(column: "last_seen_at", as: String.self), expiresAt: try $0.decode(column: "expires_at", as: String.self),
                              stepUpAt: try $0.decode(column: "step_up_at", as: String?.self))
            }
    }

    public func touch(idHash: String, at now: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE sessions SET last_seen_at = \(bind: now) WHERE id_hash = \(bind: idHash)").run()
    }

    public func setStepUp(idHash: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE sessions SET step_up_at = \(bind: at) WHERE id_hash = \(bind: idHash)").run()
    }

    public func setLocale(idHash: String, locale: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE sessions SET locale = \(bind: locale) WHERE id_hash = \(bind: idHash)").run()
    }

    public func delete(idHash: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sessions WHERE id_hash = \(bind: idHash)").run()
    }

    public func deleteAll(userID: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
    }
}
