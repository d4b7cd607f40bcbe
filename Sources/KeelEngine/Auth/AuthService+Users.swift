import Foundation
import KeelCore
import KeelMatching
import KeelStore

/// Changes to a user's access; nil leaves a property as it is.
public struct UserChanges: Sendable {
    public var status: UserStatus?
    public var role: Role?
    public var level: Int?
    public var departmentID: String?
    /// How the user is reached and when they are away; `.some(nil)` clears. A user may change these of their own.
    public var mobile: String??
    public var feishuID: String??
    public var away: (from: String, until: String)??

    public init(status: UserStatus? = nil, role: Role? = nil, level: Int? = nil, departmentID: String? = nil) {
        self.status = status
        self.role = role
        self.level = level
        self.departmentID = departmentID
    }

    /// Only how the user is reached, or their leave, changes.
    var onlyReach: Bool { status == nil && role == nil && level == nil && departmentID == nil }
}

/// What it takes to create a user.
public struct NewUser: Sendable {
    public var email: String
    public var password: String
    public var name: String?
    public var role: Role
    public var department: String?
    public var managerEmail: String?
    public var level: Int

    public init(email: String, password: String, name: String? = nil, role: Role, department: String? = nil, managerEmail: String? = nil,
                level: Int = 1) {
        self.level = level
        self.email = email
        self.password = password
        self.name = name
        self.role = role
        self.department = department
        self.managerEmail = managerEmail
    }
}

extension AuthService {
    /// Creates a user; `by` is nil when the shell does it. The department is created when it does not exist yet.
    public func createUser(_ new: NewUser, by principal: Principal?) async throws -> User {
        if let principal { try await access.require(principal, .manageUsers) }
        let email = new.email.trimmingCharacters(in: .whitespaces).lowercased()
        var violations: [Violation] = []
        if !ValueFormats.isEmail(email) { violations.append(Violation(field: "email", code: "invalid_format", message: "\(new.email) is not a valid email address.")) }
        violations += PasswordRules.violations(new.password, email: email, name: new.name)
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let hash = PasswordHash.make(new.password, cost: bcryptCost)
        return try await database.write { db in
            if try await directory.user(email: email, on: db) != nil {
                throw KeelError(.conflict, code: "email_taken", message: "A user with email \(email) already exists.")
            }
            var managerID: String?
            if let managerEmail = new.managerEmail {
                guard let (manager, _) = try await directory.user(email: managerEmail.lowercased(), on: db) else {
                    throw KeelError.validation([Violation(field: "manager", code: "reference_not_found", message: "No user has email \(managerEmail).")])
                }
                managerID = manager.id
            }
            var departmentID: String?
            if let name = new.department?.trimmingCharacters(in: .whitespaces), !name.isEmpty {
                if let existing = try await directory.departments(on: db).first(where: { $0.name == name }) {
                    departmentID = existing.id
                } else {
                    let d = Department(id: RecordID.make(), name: name, parentID: nil, managerID: nil)
                    try await directory.insertDepartment(d, on: db)
                    departmentID = d.id
                }
            }
            let user = User(id: RecordID.make(), email: email, name: new.name ?? String(email.split(separator: "@")[0]),
                            role: new.role, departmentID: departmentID, managerID: managerID, status: .active, level: new.level,
                            createdAt: ValueFormats.formatDateTime(Date()))
            try await directory.insertUser(user, passwordHash: hash, on: db)
            try await AccessStore().audit(AuditEntry(at: user.createdAt, actor: principal?.userID, action: "user_change", object: "users", recordID: user.id,
                                                     detail: ["created": .string(user.email), "role": .string(user.role.rawValue),
                                                              "level": JSONValue(user.level), "department": user.departmentID.map(JSONValue.string) ?? .null]),
                                          on: db)
            if new.role == .manager, let departmentID,
               try await directory.departments(on: db).first(where: { $0.id == departmentID })?.managerID == nil {
                try await directory.setDepartmentManager(departmentID, managerID: user.id, on: db)
            }
            return user
        }
    }

    /// Freezes or unfreezes a user. Freezing ends every session and token at once.
    public func setStatus(_ userID: String, _ status: UserStatus, by principal: Principal) async throws -> User {
        try await updateUser(userID, UserChanges(status: status), by: principal)
    }

    /// Gives a user another role.
    public func setRole(_ userID: String, _ role: Role, by principal: Principal) async throws -> User {
        try await updateUser(userID, UserChanges(role: role), by: principal)
    }

    /// Changes what a user may do: role, rank, department, status. Freezing ends every session and token at once;
    /// an admin cannot freeze or demote themselves (so an install keeps an admin). Every change goes to the audit log.
    public func updateUser(_ userID: String, _ changes: UserChanges, by principal: Principal) async throws -> User {
        if userID == principal.userID, changes.onlyReach { try Self.requireActive(principal) } else { try await access.require(principal, .manageUsers) }
        var violations: [Violation] = []
        var mobile = changes.mobile
        if let given = changes.mobile, let text = given {
            let phone = PhoneNumber(text)
            if phone.kind == .mobile, let e164 = phone.e164, phone.isValid { mobile = .some(String(e164.dropFirst(3))) } else {
                violations.append(Violation(field: "mobile", code: "invalid_phone", message: "\(text) is not a mainland China mobile number."))
            }
        }
        if let given = changes.feishuID, let id = given, !(id.hasPrefix("ou_") && (4...64).contains(id.count)) {
            violations.append(Violation(field: "feishuId", code: "invalid_format", message: "A Feishu open id starts ou_ (at most 64 characters)."))
        }
        if let given = changes.away, let away = given {
            let days = [away.from, away.until].map { text in text.count == 10 && FormulaValue.dayNumber(text).map(FormulaValue.dayText) == text }
            if days.contains(false) || away.from > away.until {
                violations.append(Violation(field: "away", code: "invalid_format", message: "away is {\"from\", \"until\"}: days written YYYY-MM-DD, from not after until."))
            }
        }
        if userID == principal.userID, changes.status == .frozen {
            violations.append(Violation(field: "status", code: "cannot_freeze_self", message: "You cannot freeze your own account."))
        }
        if userID == principal.userID, let role = changes.role, role != .admin {
            violations.append(Violation(field: "role", code: "cannot_demote_self", message: "You cannot take away your own admin role."))
        }
        if let level = changes.level, !User.levels.contains(level) {
            violations.append(Violation(field: "level", code: "out_of_range", message: "level is a rank from 1 to 9."))
        }
        guard violations.isEmpty else {
            // Doing it to oneself is not a malformed request: it is one this caller may not make (403).
            throw violations.count == 1 && violations[0].code.hasPrefix("cannot_")
                ? KeelError(.forbidden, code: violations[0].code, message: violations[0].message, violations: violations)
                : KeelError.validation(violations)
        }
        return try await database.write { db in
            guard var user = try await directory.user(id: userID, on: db) else { throw KeelError.notFound("users/\(userID)") }
            var detail: [String: JSONValue] = [:]
            if let status = changes.status, status != user.status {
                try await directory.setStatus(userID, status: status, on: db)
                if status == .frozen {
                    try await directory.revokeTokens(userID: userID, on: db)
                    try await SessionStore().deleteAll(userID: userID, on: db)
                }
                detail["status"] = [.string(user.status.rawValue), .string(status.rawValue)]
                user.status = status
            }
            if let role = changes.role, role != user.role {
                try await directory.setRole(userID, role: role, on: db)
                detail["role"] = [.string(user.role.rawValue), .string(role.rawValue)]
                user.role = role
            }
            if let level = changes.level, level != user.level {
                try await directory.setLevel(userID, level: level, on: db)
                detail["level"] = [JSONValue(user.level), JSONValue(level)]
                user.level = level
            }
            if let department = changes.departmentID, department != user.departmentID {
                guard try await directory.departments(on: db).contains(where: { $0.id == department }) else {
                    throw KeelError.validation([Violation(field: "department", code: "reference_not_found", message: "Department \(department) does not exist.")])
                }
                try await directory.setDepartment(userID, departmentID: department, on: db)
                detail["department"] = [user.departmentID.map(JSONValue.string) ?? .null, .string(department)]
                user.departmentID = department
            }
            var reached = user
            if let mobile { reached.mobile = mobile }
            if let id = changes.feishuID { reached.feishuID = id }
            if let away = changes.away { (reached.awayFrom, reached.awayUntil) = (away?.from, away?.until) }
            if reached != user {
                try await directory.setReach(reached, on: db)
                for (key, old, new) in [("mobile", user.mobile, reached.mobile), ("feishu_id", user.feishuID, reached.feishuID),
                                        ("away_from", user.awayFrom, reached.awayFrom), ("away_until", user.awayUntil, reached.awayUntil)] where old != new {
                    detail[key] = [old.map(JSONValue.string) ?? .null, new.map(JSONValue.string) ?? .null]
                }
                user = reached
            }
            if !detail.isEmpty {
                try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(Date()), actor: principal.userID, action: "user_change",
                                                         object: "users", recordID: userID, detail: .object(detail)), on: db)
            }
            return user
        }
    }

    public func users(by principal: Principal) async throws -> [User] {
        try Self.requireActive(principal)
        return try await database.read { try await directory.users(on: $0) }
    }

    /// The signed-in user's own account.
    public func me(_ principal: Principal) async throws -> User {
        guard let user = try await database.read({ try await directory.user(id: principal.userID, on: $0) }) else {
            throw KeelError.notFound("users/\(principal.userID)")
        }
        return user
    }

    public func departments(by principal: Principal) async throws -> [Department] {
        try Self.requireActive(principal)
        return try await database.read { try await directory.departments(on: $0) }
    }

    /// Creates a department under an optional parent.
    public func createDepartment(name: String, parentID: String?, managerID: String?, by principal: Principal) async throws -> Department {
        try await access.require(principal, .manageUsers)
        let trimmed = name.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 100 else {
            throw KeelError.validation([Violation(field: "name", code: "required", message: "A department needs a name of at most 100 characters.")])
        }
        if ValueFormats.controlCharacter(in: trimmed) != nil {
            throw KeelError.validation([Violation(field: "name", code: "control_character", message: "A department's name may hold no control characters.")])
        }
        return try await database.write { db in
            let all = try await directory.departments(on: db)
            if all.contains(where: { $0.name == trimmed }) {
                throw KeelError(.conflict, code: "name_taken", message: "A department named \(trimmed) already exists.")
            }
            var violations: [Violation] = []
            if let parentID, !all.contains(where: { $0.id == parentID }) {
                violations.append(Violation(field: "parent", code: "reference_not_found", message: "Department \(parentID) does not exist."))
            }
            if let managerID, try await directory.user(id: managerID, on: db) == nil {
                violations.append(Violation(field: "manager", code: "reference_not_found", message: "User \(managerID) does not exist."))
            }
            guard violations.isEmpty else { throw KeelError.validation(violations) }
            let d = Department(id: RecordID.make(), name: trimmed, parentID: parentID, managerID: managerID)
            try await directory.insertDepartment(d, on: db)
            try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(Date()), actor: principal.userID, action: "department_change",
                                                     object: "departments", recordID: d.id,
                                                     detail: ["created": .string(d.name), "parent": parentID.map(JSONValue.string) ?? .null]), on: db)
            return d
        }
    }

    /// The directory (users, departments) is readable by every active user: owner pickers need it.
    static func requireActive(_ principal: Principal) throws(KeelError) {
        guard principal.status == .active else { throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.") }
    }
}
