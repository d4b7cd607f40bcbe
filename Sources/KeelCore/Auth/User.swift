/// A person who signs in to Keel.
public struct User: Sendable, Hashable {
    /// Ranks (职级) from staff to executive.
    public static let levels = 1...9

    public var id: String
    public var email: String
    public var name: String
    public var role: Role
    public var departmentID: String?
    public var managerID: String?
    public var status: UserStatus
    /// Rank (职级), 1 staff … 5 executive.
    public var level: Int
    public var createdAt: String
    /// When the user last signed in or sent a request (noted at most hourly).
    public var lastActiveAt: String?
    /// The mobile robots @-mention and escalations call; the Feishu open id (`ou_…`) Feishu robots @-mention.
    public var mobile: String?
    public var feishuID: String?
    /// On leave from `awayFrom` to `awayUntil` (days, both included): routing passes them by.
    public var awayFrom: String?
    public var awayUntil: String?

    public init(id: String, email: String, name: String, role: Role, departmentID: String?, managerID: String?,
                status: UserStatus, level: Int = 1, createdAt: String,
                lastActiveAt: String? = nil) {
        self.lastActiveAt = lastActiveAt
        self.id = id
        self.email = email
        self.name = name
        self.role = role
        self.departmentID = departmentID
        self.managerID = managerID
        self.status = status
        self.level = level
        self.createdAt = createdAt
    }

    /// Whether the user is on leave on `day` (YYYY-MM-DD).
    public func isAway(on day: String) -> Bool {
        guard let awayFrom, let awayUntil else { return false }
        return awayFrom <= day && day <= awayUntil
    }

    public var principal: Principal {
        Principal(userID: id, email: email, role: role, departmentID: departmentID, status: status, level: level)
    }

    public var json: JSONValue {
        [
            "id": .string(id), "email": .string(email), "name": .string(name), "role": .string(role.rawValue),
            "department": departmentID.map(JSONValue.string) ?? .null, "manager": managerID.map(JSONValue.string) ?? .null,
            "status": .string(status.rawValue), "level": JSONValue(level), "created_at": .string(createdAt),
            "last_active_at": lastActiveAt.map(JSONValue.string) ?? .null, "mobile": mobile.map(JSONValue.string) ?? .null,
            "feishu_id": feishuID.map(JSONValue.string) ?? .null, "away_from": awayFrom.map(JSONValue.string) ?? .null,
            "away_until": awayUntil.map(JSONValue.string) ?? .null,
        ]
    }
}

/// A unit of the organisation; departments form a tree.
public struct Department: Sendable, Hashable {
    public var id: String
    public var name: String
    public var parentID: String?
    public var managerID: String?

    public init(id: String, name: String, parentID: String?, managerID: String?) {
        self.id = id
        self.name = name
        self.parentID = parentID
        self.managerID = managerID
    }

    public var json: JSONValue {
        ["id": .string(id), "name": .string(name), "parent": parentID.map(JSONValue.string) ?? .null,
         "manager": managerID.map(JSONValue.string) ?? .null]
    }
}
