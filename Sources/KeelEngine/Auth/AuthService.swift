import Foundation
import HummingbirdBcrypt
import KeelCore
import KeelStore
import SQLKit

/// Users, passwords (bcrypt), API tokens (random, stored as SHA-256) and lock-out after failed logins.
public final class AuthService: Sendable {
    let database: KeelDatabase
    let access: AccessControl
    let directory = DirectoryStore()
    let bcryptCost: UInt8

    public static let passwordLength = PasswordRules.length
    /// How long a new API token lasts: `KEEL_TOKEN_DAYS` days (1–3650), 90 by default.
    public static func tokenLifetime(from environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeInterval {
        let days = environment["KEEL_TOKEN_DAYS"].flatMap(Int.init).flatMap { (1...3650).contains($0) ? $0 : nil } ?? 90
        return TimeInterval(days) * 24 * 60 * 60
    }

    /// How long new API tokens last.
    let tokenLifetime: TimeInterval

    public init(database: KeelDatabase, access: AccessControl, bcryptCost: UInt8 = 10, tokenLifetime: TimeInterval = AuthService.tokenLifetime()) {
        self.database = database
        self.access = access
        self.bcryptCost = max(10, bcryptCost)
        self.tokenLifetime = tokenLifetime
    }

    static let invalidCredentials = KeelError(.unauthorized, code: "invalid_credentials", message: "The email or password is wrong.")
    let signIns = SignInStore()

    /// Checks the password and issues a new API token; the token is shown only here.
    public func login(email: String, password: String, tokenName: String = "api", address: String? = nil) async throws -> (token: String, user: User) {
        let user = try await verifyPassword(email: email, password: password, address: address)
        let token = try await database.write { try await issueToken(for: user.id, name: tokenName, on: $0) }
        return (token, user)
    }

    /// Checks e-mail and password under the sign-in throttle. Failures count against the e-mail as typed (whether or
    /// not a user has it, so the answers and their timing never tell) and against the client address; once either has
    /// too many, attempts are refused (429) for a growing delay without looking at the password. A user signing in
    /// from an address they used before is counted under that pair instead, so an attack from elsewhere does not
    /// lock them out. Successful sign-ins count nowhere.
    func verifyPassword(email: String, password: String, address: String?, now: Date = Date()) async throws -> User {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        let (found, known) = try await database.read { db -> ((User, String)?, Bool) in
            let found = try await directory.user(email: email, on: db)
            guard let (user, _) = found, let address else { return (found, false) }
            return (found, try await signIns.knows(userID: user.id, address: address, on: db))
        }
        // Keys are stored as SHA-256: the table holds no e-mail an attacker typed.
        let account = Digest.sha256Hex(known ? "pair:\(email)|\(address ?? "")" : "account:\(email)")
        let keys = [(account, SignInThrottle.account)] + (known ? [] : address.map { [(Digest.sha256Hex("address:\($0)"), SignInThrottle.address)] } ?? [])
        try await refuseWhileThrottled(keys, now: now)
        guard let (user, hash) = found, PasswordHash.verify(password, hash: hash) else {
            if found == nil { _ = PasswordHash.verify(password, hash: Self.timingHash) }  // the same work whether or not the account exists
            try await countFailure(keys.map(\.0), now: now)
            throw Self.invalidCredentials
        }
        guard user.status == .active else {
            throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.")
        }
        try await database.write { db in
            let at = ValueFormats.formatDateTime(now)
            try await signIns.clear([account], on: db)
            if let address { try await signIns.remember(userID: user.id, address: address, at: at, on: db) }
            try await directory.touch(user.id, at: at, on: db)
        }
        return user
    }

    /// 429 while any of `keys` has more recent failures than its throttle lets through.
    func refuseWhileThrottled(_ keys: [(String, SignInThrottle)], now: Date) async throws {
        let counts = try await database.read { try await signIns.failures(keys.map(\.0), on: $0) }
        let until = keys.compactMap { key, throttle -> Date? in
            guard let (count, lastText) = counts[key], let last = ValueFormats.parseDateTime(lastText),
                  now.timeIntervalSince(last) < SignInThrottle.memory else { return nil }
            return throttle.blockedUntil(failures: count, last: last).flatMap { $0 > now ? $0 : nil }
        }.max()
        if let until {
            let minutes = max(1, Int((until.timeIntervalSince(now) / 60).rounded(.up)))
            var error = KeelError(.tooManyRequests, code: "too_many_attempts",
                                  message: "Too many failed attempts for this account or from this address; try again in \(minutes) minute\(minutes == 1 ? "" : "s").")
            error.details["retryAfter"] = JSONValue(until.timeIntervalSince(now).rounded(.up))
            throw error
        }
    }

    func countFailure(_ keys: [String], now: Date) async throws {
        try await database.write { db in
            for key in keys {
                try await signIns.fail(key, at: ValueFormats.formatDateTime(now),
                                       since: ValueFormats.formatDateTime(now - SignInThrottle.memory), on: db)
            }
        }
    }

    static let timingHash = PasswordHash.make("keel-timing-equaliser", cost: 10)

    /// 256 random bits, base64url, with a prefix that says what the secret is.
    static func randomSecret(prefix: String) -> String {
        var bytes = [UInt8](repeating: 0, count: 32)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = rng.next() }
        return prefix + Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    func issueToken(for userID: String, name: String, on db: any SQLDatabase) async throws -> String {
        let token = Self.randomSecret(prefix: "keel_")
        try await directory.insertToken(id: RecordID.make(), userID: userID, hash: Digest.sha256Hex(token), name: name,
                                        expiresAt: ValueFormats.formatDateTime(Date() + tokenLifetime), on: db)
        return token
    }

    /// The principal behind a bearer token; nil when the token is unknown, revoked or expired, or its user frozen.
    public func authenticate(token: String) async throws -> Principal? {
        guard token.hasPrefix("keel_"), token.count < 200 else { return nil }
        let found = try await database.read {
            try await directory.user(tokenHash: Digest.sha256Hex(token), now: ValueFormats.formatDateTime(Date()), on: $0)
        }
        guard let (user, stepUpAt) = found, user.status == .active else { return nil }
        try await noteActivity(user)
        var principal = user.principal
        principal.stepUpAt = stepUpAt.flatMap(ValueFormats.parseDateTime)
        return principal
    }

    /// Step-up: the user re-enters their password, and for a while (`AccessControl.stepUpWindow`) this token or
    /// session counts as freshly verified (`context.step_up`). Wrong passwords count under the user's own step-up
    /// throttle, apart from sign-in: a mistyped step-up never locks anyone out of signing in.
    public func stepUp(_ principal: Principal, password: String, token: String? = nil, cookie: String? = nil) async throws {
        let key = [(Digest.sha256Hex("step-up:\(principal.userID)"), SignInThrottle.stepUp)]
        let now = Date()
        try await refuseWhileThrottled(key, now: now)
        guard let (_, hash) = try await database.read({ try await directory.user(email: principal.email, on: $0) }), PasswordHash.verify(password, hash: hash) else {
            try await countFailure(key.map(\.0), now: now)
            throw Self.invalidCredentials
        }
        let at = ValueFormats.formatDateTime(now)
        try await database.write { db in
            try await signIns.clear(key.map(\.0), on: db)
            if let token { try await directory.setTokenStepUp(hash: Digest.sha256Hex(token), at: at, on: db) }
            if let cookie { try await SessionStore().setStepUp(idHash: Digest.sha256Hex(cookie), at: at, on: db) }
            try await AccessStore().audit(AuditEntry(at: at, actor: principal.userID, action: "step_up"), on: db)
        }
    }

    /// Keeps `last_active_at` (what the health scan calls a zombie account by) within the hour, without a write per request.
    func noteActivity(_ user: User, now: Date = Date()) async throws {
        if let last = user.lastActiveAt.flatMap(ValueFormats.parseDateTime), now.timeIntervalSince(last) < 3600 { return }
        try await database.write { try await directory.touch(user.id, at: ValueFormats.formatDateTime(now), on: $0) }
    }

    public func revoke(tokenID: String?, of principal: Principal) async throws -> Int {
        try await database.write { try await directory.revokeTokens(userID: principal.userID, tokenID: tokenID, on: $0) }
    }

    public func revokeToken(_ token: String) async throws {
        try await database.write { try await directory.revokeToken(hash: Digest.sha256Hex(token), on: $0) }
    }

    public func tokens(of principal: Principal) async throws -> [JSONValue] {
        try await database.read { try await directory.tokens(userID: principal.userID, on: $0) }
    }
}
