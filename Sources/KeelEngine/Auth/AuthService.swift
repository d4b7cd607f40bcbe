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

    public static let maxFailedLogins = 5
    public static let lockout: TimeInterval = 15 * 60
    public static let passwordLength = 8...64

    public init(database: KeelDatabase, access: AccessControl, bcryptCost: UInt8 = 10) {
        self.database = database
        self.access = access
        self.bcryptCost = max(10, bcryptCost)
    }

    static let invalidCredentials = KeelError(.unauthorized, code: "invalid_credentials", message: "The email or password is wrong.")

    /// Checks the password and issues a new API token; the token is shown only here.
    public func login(email: String, password: String, tokenName: String = "api") async throws -> (token: String, user: User) {
        let user = try await verifyPassword(email: email, password: password)
        let token = try await database.write { try await issueToken(for: user.id, name: tokenName, on: $0) }
        return (token, user)
    }

    /// Checks email and password, counting failures and locking the account after too many.
    func verifyPassword(email: String, password: String) async throws -> User {
        let now = Date()
        guard let (user, hash) = try await database.read({ try await directory.user(email: email.lowercased(), on: $0) }) else {
            _ = Bcrypt.verify(password, hash: Self.timingHash)  // same work whether or not the account exists
            throw Self.invalidCredentials
        }
        if let until = user.lockedUntil.flatMap(ValueFormats.parseDateTime), until > now {
            throw KeelError(.unauthorized, code: "account_locked",
                            message: "Too many failed logins; try again after \(ValueFormats.formatDateTime(until)).")
        }
        guard Bcrypt.verify(password, hash: hash) else {
            let failures = user.failedLogins + 1
            let locked = failures >= Self.maxFailedLogins
            try await database.write { db in
                try await directory.setLoginFailures(user.id, count: locked ? 0 : failures,
                                                     lockedUntil: locked ? ValueFormats.formatDateTime(now + Self.lockout) : nil, on: db)
            }
            throw Self.invalidCredentials
        }
        guard user.status == .active else {
            throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.")
        }
        try await database.write { db in
            if user.failedLogins > 0 || user.lockedUntil != nil { try await directory.setLoginFailures(user.id, count: 0, lockedUntil: nil, on: db) }
            try await directory.touch(user.id, at: ValueFormats.formatDateTime(now), on: db)
        }
        return user
    }

    static let timingHash = Bcrypt.hash("keel-timing-equaliser", cost: 10)

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
        try await directory.insertToken(id: RecordID.make(), userID: userID, hash: Digest.sha256Hex(token), name: name, expiresAt: nil, on: db)
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
    /// session counts as freshly verified (`context.step_up`). Wrong passwords count towards lock-out like logins.
    public func stepUp(_ principal: Principal, password: String, token: String? = nil, cookie: String? = nil) async throws {
        _ = try await verifyPassword(email: principal.email, password: password)
        let now = ValueFormats.formatDateTime(Date())
        try await database.write { db in
            if let token { try await directory.setTokenStepUp(hash: Digest.sha256Hex(token), at: now, on: db) }
            if let cookie { try await SessionStore().setStepUp(idHash: Digest.sha256Hex(cookie), at: now, on: db) }
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "step_up"), on: db)
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
