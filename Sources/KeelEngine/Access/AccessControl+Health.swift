import Foundation
import KeelCore
import KeelStore

/// One problem the permission health scan found, with what to do about it.
public struct HealthFinding: Sendable, Hashable {
    public enum Kind: String, Sendable {
        /// A user may do what an expectation says they must not.
        case overAuthorised = "over_authorised"
        /// A user cannot do what an expectation says their duties need.
        case island
        /// A user who holds access has not been active for `AccessControl.zombieDays`.
        case zombie
        /// A permit that gives nobody anything.
        case unusedPolicy = "unused_policy"
    }

    public var kind: Kind
    public var user: User?
    public var action: Action?
    public var objects: [String]
    public var policies: [String]
    public var message: String
    public var fix: String

    public var json: JSONValue {
        [
            "kind": .string(kind.rawValue), "user": user.map { .string($0.id) } ?? .null, "email": user.map { .string($0.email) } ?? .null,
            "action": action.map { .string($0.rawValue) } ?? .null, "objects": .array(objects.map(JSONValue.string)),
            "policies": .array(policies.map(JSONValue.string)), "message": .string(message), "fix": .string(fix),
        ]
    }
}

extension AccessControl {
    public static let zombieDays = 90

    /// Checks the policies in force against every active user and the declared expectations: over-authorisation,
    /// islands, zombie accounts and unused permits. `principal` nil is the command line.
    public func healthScan(by principal: Principal?, now: Date = Date()) async throws -> [HealthFinding] {
        if let principal { try await require(principal, .managePolicies) }
        let set = try await policies()
        let objects = try await objects()
        let (users, tree) = try await database.read { db in
            (try await directory.users(on: db).filter { $0.status == .active }, try await directory.departments(on: db))
        }
        var findings: [HealthFinding] = []
        var usedPolicies: Set<String> = []
        for user in users {
            let subject = self.subject(user.principal, tree: tree, now: now)
            func permits(_ action: Action, _ object: ObjectDefinition?) -> [String] {
                set.policies.filter { p in
                    p.effect == .permit && (p.operations?.contains(action) ?? true) && (object.map { p.covers(action, object: $0.name) } ?? true)
                        && (object.map { o in ([nil] + o.fields.map(Optional.some)).contains { p.when.residual(subject, object: o, field: $0) != .never } }
                            ?? (p.when.residual(subject, object: nil, field: nil) == .always))
                }.map(\.id)
            }
            func can(_ action: Action, _ object: ObjectDefinition) -> Bool {
                action.isRecordOperation ? !set.plan(subject, action, object: object).deniesAll : set.allows(subject, action)
            }
            for p in set.policies where p.when.residual(subject, object: nil, field: nil) != .never { usedPolicies.insert(p.id) }
            for e in set.expectations where e.who.residual(subject, object: nil, field: nil) == .always {
                let covered = objects.filter { e.objects?.contains($0.name) ?? true }
                for action in e.mustNot.sorted(by: { $0.rawValue < $1.rawValue }) {
                    let over = action.isRecordOperation ? covered.filter { can(action, $0) }.map(\.name) : (set.allows(subject, action) ? ["*"] : [])
                    guard !over.isEmpty else { continue }
                    let granting = Set(action.isRecordOperation ? covered.flatMap { permits(action, $0) } : permits(action, nil)).sorted()
                    findings.append(HealthFinding(
                        kind: .overAuthorised, user: user, action: action, objects: over, policies: granting,
                        message: "\(user.email) may \(action.rawValue) \(over.joined(separator: ", ")), which \(e.id) rules out.",
                        fix: "Narrow \(granting.joined(separator: ", ")) or add a forbid of \(action.rawValue) for these users."))
                }
                for action in e.must.sorted(by: { $0.rawValue < $1.rawValue }) {
                    let missing = action.isRecordOperation ? covered.filter { !can(action, $0) }.map(\.name) : (set.allows(subject, action) ? [] : ["*"])
                    guard !missing.isEmpty else { continue }
                    findings.append(HealthFinding(
                        kind: .island, user: user, action: action, objects: missing, policies: [],
                        message: "\(user.email) cannot \(action.rawValue) \(missing.joined(separator: ", ")), which \(e.id) says their duties need.",
                        fix: "Add a permit of \(action.rawValue) on \(missing.joined(separator: ", ")) that matches \(user.email)."))
                }
            }
            let lastSeen = user.lastActiveAt.flatMap(ValueFormats.parseDateTime) ?? ValueFormats.parseDateTime(user.createdAt) ?? now
            let idle = Int(now.timeIntervalSince(lastSeen) / 86_400)
            if idle >= Self.zombieDays, objects.contains(where: { can(.read, $0) }) || set.allows(subject, .manageUsers) {
                findings.append(HealthFinding(
                    kind: .zombie, user: user, action: nil, objects: [], policies: [],
                    message: "\(user.email) still holds access but has not been active for \(idle) days.",
                    fix: "Freeze the account (PATCH /api/v1/users/\(user.id) {\"status\": \"frozen\"}) if they left or changed duties."))
            }
        }
        for p in set.policies where p.effect == .permit && !usedPolicies.contains(p.id) {
            findings.append(HealthFinding(kind: .unusedPolicy, user: nil, action: nil, objects: [], policies: [p.id],
                                          message: "\(p.id) gives no active user anything.", fix: "Remove it, or check its condition."))
        }
        return findings
    }
}
