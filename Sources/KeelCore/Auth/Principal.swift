import Foundation

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
    /// Rank (职级): 1 staff … 5 executive; policies compare it (e.g. directors are level 4 and up).
    public var level: Int
    /// When the user last re-entered their password in this session or token (step-up), if ever.
    public var stepUpAt: Date?
    /// The client's address, when the request came over the network.
    public var clientIP: String?

    public init(userID: String, email: String, role: Role, departmentID: String?, status: UserStatus, level: Int = 1) {
        self.userID = userID
        self.email = email
        self.role = role
        self.departmentID = departmentID
        self.status = status
        self.level = level
    }
}

/// Where a write came from; recorded in the field history.
public enum WriteSource: String, Sendable, Codable, CaseIterable {
    case api, web, `import`, automation, webhook, demo, cli
    /// A public web form (no login), on behalf of the admin who published it.
    case form
    /// A formula field recomputed because a record it reads changed.
    case formula
    /// The field changes an approval process makes when a request is approved or rejected.
    case approval
    /// A merge of duplicates, or its undoing.
    case merge
    /// What the ERP booked, written back by the reconciliation.
    case erp
}
