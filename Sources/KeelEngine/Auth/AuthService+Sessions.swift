import Foundation
import KeelCore
import KeelStore

/// A signed-in browser session.
public struct WebSession: Sendable {
    public var principal: Principal
    public var name: String
    public var csrf: String
    public var locale: String?
}

extension AuthService {
    /// Sessions end after this long without a request…
    public static let sessionIdleTimeout: TimeInterval = 30 * 60
    /// …and after this long in any case.
    public static let sessionLifetime: TimeInterval = 12 * 60 * 60

    /// Checks the password and starts a session; returns the cookie value (shown only here). The session speaks the
    /// language the user chose before, else `locale` (the browser's).
    public func startSession(email: String, password: String, locale: String?, address: String? = nil) async throws -> (cookie: String, user: User) {
        let user = try await verifyPassword(email: email, password: password, address: address)
        let cookie = Self.randomSecret(prefix: "")
        let now = Date()
        let chosen = try await database.read { try await directory.locale(userID: user.id, on: $0) }
        let stored = StoredSession(userID: user.id, csrf: Self.randomSecret(prefix: ""), locale: chosen ?? locale,
                                   createdAt: ValueFormats.formatDateTime(now), lastSeenAt: ValueFormats.formatDateTime(now),
                                   expiresAt: ValueFormats.formatDateTime(now + Self.sessionLifetime))
        try await database.write { try await SessionStore().insert(idHash: Digest.sha256Hex(cookie), stored, on: $0) }
        return (cookie, user)
    }

    /// The session behind a cookie; nil when unknown, idle too long, past its lifetime, or its user frozen.
    public func session(cookie: String, now: Date = Date()) async throws -> WebSession? {
        let idHash = Digest.sha256Hex(cookie)
        let store = SessionStore()
        guard let stored = try await database.read({ try await store.find(idHash: idHash, on: $0) }),
              let expires = ValueFormats.parseDateTime(stored.expiresAt), expires > now,
              let lastSeen = ValueFormats.parseDateTime(stored.lastSeenAt), now.timeIntervalSince(lastSeen) < Self.sessionIdleTimeout
        else { return nil }
        guard let user = try await database.read({ try await directory.user(id: stored.userID, on: $0) }), user.status == .active else {
            return nil
        }
        if now.timeIntervalSince(lastSeen) > 60 {
            try await database.write { try await store.touch(idHash: idHash, at: ValueFormats.formatDateTime(now), on: $0) }
        }
        try await noteActivity(user, now: now)
        var principal = user.principal
        principal.stepUpAt = stored.stepUpAt.flatMap(ValueFormats.parseDateTime)
        return WebSession(principal: principal, name: user.name, csrf: stored.csrf, locale: stored.locale)
    }

    public func endSession(cookie: String) async throws {
        try await database.write { try await SessionStore().delete(idHash: Digest.sha256Hex(cookie), on: $0) }
    }

    /// Switches the session's language and remembers it as the user's choice for later sessions.
    public func setLocale(cookie: String, userID: String, locale: String) async throws {
        try await database.write { db in
            try await SessionStore().setLocale(idHash: Digest.sha256Hex(cookie), locale: locale, on: db)
            try await directory.setLocale(userID: userID, locale: locale, on: db)
        }
    }
}
