/// What a principal wants to do. Record operations apply to the records of an object; the others to the installation.
public enum Action: String, Sendable, CaseIterable {
    case read, create, update, delete
    case readHistory = "read_history", export, merge, bulkUpdate = "bulk_update"
    /// Deciding another user's request for access to a secret (L4) record.
    case approveAccess = "approve_access"
    case manageMetadata = "manage_metadata", manageUsers = "manage_users", managePolicies = "manage_policies", readAudit = "read_audit"

    /// Operations that concern records (and so have record and field conditions).
    public var isRecordOperation: Bool {
        switch self {
        case .manageMetadata, .manageUsers, .managePolicies, .readAudit: false
        default: true
        }
    }
}

/// One rule of the policy set. Cedar semantics: nothing is allowed unless a `permit` applies, and any applying
/// `forbid` beats every permit. A policy whose condition reads `field.*` attributes decides single fields
/// (a forbid masks them, a permit opens only them); otherwise it decides whole records.
public struct Policy: Hashable, Sendable {
    public enum Effect: String, Sendable {
        case permit, forbid
    }

    public var id: String
    public var description: String
    public var effect: Effect
    /// The operations it covers; nil means every operation.
    public var operations: Set<Action>?
    /// The objects it covers; nil means every object.
    public var objects: Set<String>?
    public var when: Condition { didSet { isFieldPolicy = Self.readsFields(when) } }
    /// Whether it decides fields rather than records (kept, not recomputed per decision).
    public private(set) var isFieldPolicy: Bool

    public init(id: String, description: String = "", effect: Effect, operations: Set<Action>?, objects: Set<String>? = nil,
                when: Condition = .always) {
        self.id = id
        self.description = description
        self.effect = effect
        self.operations = operations
        self.objects = objects
        self.when = when
        self.isFieldPolicy = Self.readsFields(when)
    }

    static func readsFields(_ c: Condition) -> Bool { c.attributes.contains { $0.scope == .field } }

    public func covers(_ operation: Action, object: String) -> Bool {
        (operations?.contains(operation) ?? true) && (objects?.contains(object) ?? true)
    }

}

/// The policies in force, as one versioned document.
public struct PolicySet: Hashable, Sendable {
    public var version: Int
    public var policies: [Policy]
    /// What groups of users must or must not be able to do; the health scan checks the policies against them.
    public var expectations: [Expectation]

    public init(version: Int, policies: [Policy], expectations: [Expectation] = []) {
        self.version = version
        self.policies = policies
        self.expectations = expectations
    }
}
