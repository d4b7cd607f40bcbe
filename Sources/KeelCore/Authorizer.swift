/// What a principal wants to do.
public enum Operation: String, Sendable {
    case read, create, update, delete, readHistory = "read_history", manageMetadata = "manage_metadata", manageUsers = "manage_users"
}

/// Decides whether a principal may perform an operation on an object and the fields it touches.
/// The record service asks it first, inside the write transaction. Attribute-based policies plug in here.
public protocol Authorizer: Sendable {
    func authorize(_ principal: Principal, _ operation: Operation, object: String, fields: [String]) throws(KeelError)
}

/// The baseline: any active user may work with records; configuration and user administration need an admin.
public struct ActiveUserAuthorizer: Authorizer {
    public init() {}

    public func authorize(_ principal: Principal, _ operation: Operation, object: String, fields: [String]) throws(KeelError) {
        guard principal.status == .active else {
            throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.")
        }
        switch operation {
        case .manageMetadata, .manageUsers:
            guard principal.role == .admin else {
                throw KeelError(.forbidden, code: "forbidden", message: "Only administrators may do this.")
            }
        default:
            break
        }
    }
}
