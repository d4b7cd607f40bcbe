import Foundation
import KeelCore
import SQLKit

/// Users, departments and API tokens.
public struct DirectoryStore: Sendable {
    public init() {}

    static let userColumns = "id, email, name, role, department_id, manager_id, status, level, created_at, last_active_at, password_hash, mobile, feishu_id, away_from, away_until"

    public func insertDepartment(_ d: Department, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO departments (id, name, parent_id, manager_id, created_at)
            VALUES (\(bind: d.id), \(bind: d.name), \(bind: d.parentID), \(bind: d.managerID), \(bind: ValueFormats.formatDateTime(Date())))
            """).run()
    }

    public func setDepartmentManager(_ departmentID: String, managerID: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE departments SET manager_id = \(bind: managerID) WHERE id = \(bind: departmentID)").run()
    }

    public func departments(on db: any SQLDatabase) async throws -> [Department] {
        try await db.raw("SELECT id, name, parent_id, manager_id FROM departments ORDER BY name").all().map {
            Department(id: try $0.decode(column: "id", as: String.self), name: try $0.decode(column: "name", as: String.self),
                       parentID: try $0.decode(column: "parent_id", as: String?.self),
                       managerID: try $0.decode(column: "manager_id", as: String?.self))
        }
    }

    public func insertUser(_ u: User, passwordHash: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO users (id, email, name, password_hash, role, department_id, manager_id, status, level, failed_logins, created_at, updated_at)
            VALUES (\(bind: u.id), \(bind: u.email), \(bind: u.name), \(bind: passwordHash), \(bind: u.role.rawValue),
                    \(bind: u.departmentID), \(bind: u.managerID), \(bind: u.status.rawValue), \(bind: u.level), 0, \(bind: u.createdAt), \(bind: u.createdAt))
            """).run()
    }

    /// The user and their password hash.
    public func user(email: String, on db: any SQLDatabase) async throws -> (User, String)? {
        try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE email = \(bind: email.lowercased())").first().map(decodeUser)
    }

    public func user(id: String, on db: any SQLDatabase) async throws -> User? {
        try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE id = \(bind: id)").first().map(decodeUser)?.0
    }

    public func users(on db: any SQLDatabase) async throws -> [User] {
        try await db.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users ORDER BY email").all().map(decodeUser).map(\.0)
    }

    /// The users these references (ids or e-mail addresses) name.
    public func users(named references: [String], on db: any SQLDatabase) async throws -> [User] {
        guard !references.isEmpty else { return [] }
        return try await db.raw("""
            SELECT \(unsafeRaw: Self.userColumns) FROM users
            WHERE id IN (\(binds: references)) OR email IN (\(binds: references.map { $0.lowercased() })) ORDER BY email
            """).all().map(decodeUser).map(\.0)
    }

    func decodeUser(_ row: any SQLRow) throws -> (User, String) {
        var user = User(
            id: try row.decode(column: "id", as: String.self), email: try row.decode(column: "email", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .member,
            departmentID: try row.decode(column: "department_id", as: String?.self),
            managerID: try row.decode(column: "manager_id", as: String?.self),
            status: UserStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .frozen,
            level: try row.decode(column: "level", as: Int.self),
            createdAt: try row.decode(column: "created_at", as: String.self),
            lastActiveAt: try row.decode(column: "last_active_at", as: String?.self))
        user.mobile = try row.decode(column: "mobile", as: String?.self)
        user.feishuID = try row.decode(column: "feishu_id", as: String?.self)
        user.awayFrom = try row.decode(column: "away_from", as: String?.self)
        user.awayUntil = try row.decode(column: "away_until", as: String?.self)
        return (user, try row.decode(column: "password_hash", as: String.self))
    }

    /// How the user is reached and when they are away.
    public func setReach(_ user: User, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET mobile = \(bind: user.mobile), feishu_id = \(bind: user.feishuID), away_from = \(bind: user.awayFrom),
            away_until = \(bind: user.awayUntil), updated_at = \(bind: ValueFormats.formatDateTime(Date())) WHERE id = \(bind: user.id)
            """).run()
    }

    public func setStatus(_ userID: String, status: UserStatus, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET status = \(bind: status.rawValue), updated_at = \(bind: ValueFormats.formatDateTime(Date())) WHERE id = \(bind: userID)
            """).run()
    }

    public func setDepartment(_ userID: String, departmentID: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET department_id = \(bind: departmentID), updated_at = \(bind: ValueFormats.formatDateTime(Date())) WHERE id = \(bind: userID)
            """).run()
    }

    /// Notes that the user was active (signed in or sent a request) at `at`.
    public func touch(_ userID: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET last_active_at = \(bind: at) WHERE id = \(bind: userID)").run()
    }

    public func setLevel(_ userID: String, level: Int, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET level = \(bind: level), updated_at = \(bind: ValueFormats.formatDateTime(Date())) WHERE id = \(bind: userID)
            """).run()
    }

    public func setRole(_ userID: String, role: Role, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE users SET role = \(bind: role.rawValue), updated_at = \(bind: ValueFormats.formatDateTime(Date())) WHERE id = \(bind: userID)
            """).run()
    }

    /// The language the user chose last, if any.
    public func locale(userID: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT locale FROM users WHERE id = \(bind: userID)").first()?.decode(column: "locale", as: String?.self)
    }

    public func setLocale(userID: String, locale: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET locale = \(bind: locale) WHERE id = \(bind: userID)").run()
    }

    // MARK: API tokens

    public func insertToken(id: String, userID: String, hash: String, name: String, expiresAt: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO api_tokens (id, user_id, token_hash, name, created_at, expires_at)
            VALUES (\(bind: id), \(bind: userID), \(bind: hash), \(bind: name), \(bind: ValueFormats.formatDateTime(Date())), \(bind: expiresAt))
            """).run()
    }

    /// The user holding an unrevoked, unexpired token with this hash, and when the token last stepped up.
    public func user(tokenHash: String, now: String, on db: any SQLDatabase) async throws -> (user: User, stepUpAt: String?)? {
        let columns = Self.userColumns.split(separator: ",").map { "u." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        return try await db.raw("""
            SELECT \(unsafeRaw: columns), t.step_up_at FROM api_tokens t JOIN users u ON u.id = t.user_id
            WHERE t.token_hash = \(bind: tokenHash) AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > \(bind: now))
            """).first().map { (try decodeUser($0).0, try $0.decode(column: "step_up_at", as: String?.self)) }
    }

    public func setTokenStepUp(hash: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE api_tokens SET step_up_at = \(bind: at) WHERE token_hash = \(bind: hash)").run()
    }

    public func tokens(userID: String, on db: any SQLDatabase) async throws -> [JSONValue] {
        try await db.raw("""
            SELECT id, name, created_at, expires_at, revoked_at FROM api_tokens WHERE user_id = \(bind: userID) ORDER BY created_at
            """).all().map { row in
            [
                "id": .string(try row.decode(column: "id", as: String.self)), "name": .string(try row.decode(column: "name", as: String.self)),
                "created_at": .string(try row.decode(column: "created_at", as: String.self)),
                "expires_at": try row.decode(column: "expires_at", as: String?.self).map(JSONValue.string) ?? .null,
                "revoked_at": try row.decode(column: "revoked_at", as: String?.self).map(JSONValue.string) ?? .null,
            ]
        }
    }

    /// Revokes one token of a user, or all of them when `tokenID` is nil. Returns how many were revoked.
    @discardableResult
    public func revokeTokens(userID: String, tokenID: String? = nil, on db: any SQLDatabase) async throws -> Int {
        let only: SQLQueryString = tokenID.map { "AND id = \(bind: $0)" } ?? ""
        return try await db.raw("""
            UPDATE api_tokens SET revoked_at = \(bind: ValueFormats.formatDateTime(Date()))
            WHERE user_id = \(bind: userID) AND revoked_at IS NULL \(only) RETURNING id
            """).all().count
    }

    public func revokeToken(hash: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE api_tokens SET revoked_at = \(bind: ValueFormats.formatDateTime(Date())) WHERE token_hash = \(bind: hash) AND revoked_at IS NULL").run()
    }

    // MARK: Idempotency keys

    /// The request hash and the response first given for this key.
    public func idempotencyEntry(userID: String, key: String, on db: any SQLDatabase) async throws -> (requestHash: String, response: String)? {
        try await db.raw("SELECT request_hash, response FROM idempotency_keys WHERE user_id = \(bind: userID) AND key = \(bind: key)")
            .first().map { (try $0.decode(column: "request_hash", as: String.self), try $0.decode(column: "response", as: String.self)) }
    }

    public func insertIdempotencyEntry(
        userID: String, key: String, requestHash: String, object: String, recordID: String, response: String, on db: any SQLDatabase
    ) async throws {
        try await db.raw("""
            INSERT INTO idempotency_keys (user_id, key, request_hash, object, record_id, response, created_at)
            VALUES (\(bind: userID), \(bind: key), \(bind: requestHash), \(bind: object), \(bind: recordID), \(bind: response),
                    \(bind: ValueFormats.formatDateTime(Date())))
            """).run()
    }
}
