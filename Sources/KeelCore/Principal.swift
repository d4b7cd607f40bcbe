public enum Role: String, Sendable, Codable, CaseIterable {
    case admin, manager, member
}

public enum UserStatus: String, Sendable, Codable {
    case active, frozen
}

/// Who is acting: the authenticated user a request, job or command runs as.
public struct Principal: Sendable, Hashable {
    public var userID: String
    public var email: String
    public var role: Role
    public var departmentID: String?
    public var status: UserStatus

    public init(userID: String, email: String, role: Role, departmentID: String?, status: UserStatus) {
        self.userID = userID
        self.email = email
        self.role = role
        self.departmentID = departmentID
        self.status = status
    }
}

/// Where a write came from; recorded in the field history.
public enum WriteSource: String, Sendable, Codable {
    case api, web, `import`, automation, webhook, demo, cli
}
