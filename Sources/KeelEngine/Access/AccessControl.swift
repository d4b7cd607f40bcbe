import Foundation
import KeelCore
import KeelStore
import Synchronization

/// Decides who may do what: the policy set in force (cached, reloaded when any process saves a new version), the
/// department tree, and the request's context. Every record path asks it for an `AccessPlan` and applies it in SQL.
public final class AccessControl: Sendable {
    let database: KeelDatabase
    let store = AccessStore()
    let directory = DirectoryStore()
    let timeZone: TimeZone
    private let cached = Mutex<PolicySet?>(nil)

    /// How long a step-up (re-entered password) counts.
    public static let stepUpWindow: TimeInterval = 15 * 60

    public init(database: KeelDatabase, timeZone: TimeZone) {
        self.database = database
        self.timeZone = timeZone
    }

    /// The objects as stored now (policies are checked against them).
    func objects() async throws -> [ObjectDefinition] {
        try await database.read { try await MetadataStore(dialect: database.dialect).loadObjects(on: $0) }
    }

    /// The policy set in force: the newest saved version, or the defaults before any was saved (version 0).
    public func policies() async throws -> PolicySet {
        try await policies(version: try await database.read { try await store.policyVersion(on: $0) })
    }

    /// The policy set of `version`, from the cache when it is the one cached (one cheap query tells every process).
    func policies(version: Int) async throws -> PolicySet {
        if let c = cached.withLock({ $0 }), c.version == version { return c }
        var set = PolicySet.defaults(objects: try await objects())
        if let (v, text) = try await database.read({ try await store.activePolicies(on: $0) }) {
            // A stored version was valid when saved; parse it without checking against today's fields.
            set = try PolicySet.parseStored(JSONValue.parse(text: text), version: v)
        }
        cached.withLock { $0 = set }
        return set
    }

    /// The principal with their department tree and the request's context.
    public func subject(_ principal: Principal, now: Date = Date()) async throws -> Subject {
        subject(principal, tree: try await database.read { try await directory.departments(on: $0) }, now: now)
    }

    func subject(_ principal: Principal, tree: [Department], now: Date = Date()) -> Subject {
        let stepUp = principal.stepUpAt.map { now.timeIntervalSince($0) < Self.stepUpWindow && $0 <= now } ?? false
        return Subject(principal: principal, tree: tree, context: AccessContext(now: now, ip: principal.clientIP, stepUp: stepUp, timeZone: timeZone))
    }

    /// What `principal` may do with `object`'s records under `operation`, as a plan for the database; for an export,
    /// of `exportRows` records.
    public func scope(_ principal: Principal, _ operation: Action, object: ObjectDefinition, exportRows: Int = 0) async throws -> AccessScope {
        try await scopes(principal, [operation], object: object, exportRows: exportRows)[0]
    }

    /// The scopes of several operations on one object (a write's own, and `.read` for its answer), from one read of
    /// the policy version and the department tree.
    public func scopes(_ principal: Principal, _ operations: [Action], object: ObjectDefinition, exportRows: Int = 0) async throws -> [AccessScope] {
        let (version, tree) = try await database.read { db in (try await store.policyVersion(on: db), try await directory.departments(on: db)) }
        var subject = subject(principal, tree: tree)
        subject.context.exportRows = exportRows
        let policies = try await policies(version: version)
        var members: [String: [String]]?
        var scopes: [AccessScope] = []
        for operation in operations {
            scopes.append(try await scope(policies.plan(subject, operation, object: object), object: object, subject: subject, members: &members))
        }
        return scopes
    }

    /// A plan ready for the database: "owned in these departments" becomes "owned by these users", a list the
    /// database plans well (a sub-query hides how many rows it matches).
    func scope(_ plan: AccessPlan, object: ObjectDefinition, subject: Subject) async throws -> AccessScope {
        var members: [String: [String]]?
        return try await scope(plan, object: object, subject: subject, members: &members)
    }

    /// The same, reading the department members only if the plan needs them and `members` does not hold them yet.
    func scope(_ plan: AccessPlan, object: ObjectDefinition, subject: Subject, members known: inout [String: [String]]?) async throws -> AccessScope {
        var plan = plan
        var broad = false
        if plan.mentionsDepartments {
            let members = if let known { known } else { try await departmentMembers() }
            known = members
            plan = plan.resolvingDepartments(members)
            // What share of all users the reader sees records of: the store plans lists differently when it is large.
            let seen = Set(Self.owners(in: plan.rows))
            broad = seen.count * 10 >= max(1, members.values.reduce(0) { $0 + $1.count })
        }
        return AccessScope(plan: plan, object: object, userID: subject.principal.userID, now: ValueFormats.formatDateTime(subject.context.now),
                           broadOwners: broad)
    }

    /// The user ids a condition compares `record.owner` with.
    static func owners(in c: Condition) -> [String] {
        switch c {
        case .constant: []
        case .all(let cs), .any(let cs): cs.flatMap(owners)
        case .not(let inner): owners(in: inner)
        case .compare(let a, _, .value(let v)) where a.scope == .record && a.name == "owner": (v.arrayValue ?? [v]).compactMap(\.stringValue)
        case .compare: []
        }
    }

    /// Department id → ids of its users (frozen ones too: their records stay where they are).
    func departmentMembers() async throws -> [String: [String]] {
        let users = try await database.read { try await directory.users(on: $0) }
        return Dictionary(grouping: users.filter { $0.departmentID != nil }, by: { $0.departmentID! }).mapValues { $0.map(\.id) }
    }

    /// Throws 403 unless `principal` may do the installation-wide `operation`.
    public func require(_ principal: Principal, _ operation: Action) async throws {
        guard principal.status == .active else {
            throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.")
        }
        guard try await policies().allows(subject(principal), operation) else {
            throw KeelError(.forbidden, code: "forbidden", message: "No policy allows you to \(operation.rawValue.replacingOccurrences(of: "_", with: " ")).")
        }
    }

    static func denied(_ operation: Action, object: String) -> KeelError {
        KeelError(.forbidden, code: "forbidden", message: "No policy allows you to \(operation.rawValue.replacingOccurrences(of: "_", with: " ")) \(object).")
    }
}
