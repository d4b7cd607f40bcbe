import Foundation
import KeelCore
import KeelStore

extension AccessControl {
    /// Validates and activates a new policy document as the next version. Refused (422) when invalid, or when no
    /// active admin could manage policies afterwards; the set in force is then unchanged.
    public func save(_ document: JSONValue, by principal: Principal) async throws -> PolicySet {
        try await require(principal, .managePolicies)
        let objects = try await objects()
        var set = try PolicySet.parse(document, objects: objects)
        let admins = try await database.read { try await directory.users(on: $0) }.filter { $0.status == .active && $0.role == .admin }
        var keepsAnAdmin = false
        for admin in admins where try await set.allows(subject(admin.principal), .managePolicies) {
            keepsAnAdmin = true
            break
        }
        guard keepsAnAdmin else {
            // The document may be well made: it is who the administrators are now that it cannot stand with (409).
            throw KeelError(.conflict, code: "locks_out_admins",
                            message: "These policies would leave no active administrator able to change policies; nothing was changed.",
                            violations: [Violation(field: "policies", code: "locks_out_admins",
                                                   message: "Keep a permit of manage_policies that an active administrator matches.")])
        }
        set.version = try await database.write { db in
            try await store.lockPolicies(dialect: database.dialect, on: db)
            // The version this one replaces, read under the lock: what the audit entry compares with.
            let previous = try await store.activePolicies(on: db).map { try PolicySet.parseStored(JSONValue.parse(text: $0.document), version: $0.version) }
                ?? PolicySet.defaults(objects: objects)
            let version = previous.version + 1
            try await store.insertPolicies(version: version, document: set.json.canonicalText(), actor: principal.userID, on: db)
            try await store.audit(AuditEntry(at: ValueFormats.formatDateTime(Date()), actor: principal.userID, action: "policy_change",
                                             detail: ["from_version": JSONValue(previous.version), "to_version": JSONValue(version),
                                                      "changed": .array(Self.changedIDs(previous, set).map(JSONValue.string))]), on: db)
            return version
        }
        return set
    }

    /// Ids of policies added, removed or changed between two sets.
    static func changedIDs(_ a: PolicySet, _ b: PolicySet) -> [String] {
        let before = Dictionary(a.policies.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        let after = Dictionary(b.policies.map { ($0.id, $0) }, uniquingKeysWith: { x, _ in x })
        return Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
    }

    /// The stored versions, newest first (version 0, the defaults, is implied).
    public func versions(by principal: Principal) async throws -> [JSONValue] {
        try await require(principal, .managePolicies)
        return try await database.read { try await store.policyVersions(on: $0) }
    }

    public func document(version: Int, by principal: Principal) async throws -> JSONValue {
        try await require(principal, .managePolicies)
        if version == 0 { return PolicySet.defaults(objects: try await objects()).json }
        guard let text = try await database.read({ try await store.policyDocument(version: version, on: $0) }) else {
            throw KeelError.notFound("policy version \(version)")
        }
        return try PolicySet.parseStored(JSONValue.parse(text: text), version: version).json
    }

    /// Records an audit entry in its own transaction.
    public func audit(_ entry: AuditEntry) async throws {
        try await database.write { try await store.audit(entry, on: $0) }
    }

    /// Audit entries, newest first, for admins.
    public func auditEntries(actor: String?, action: String?, recordID: String?, before: String?, limit: Int,
                             by principal: Principal) async throws -> [AuditEntry] {
        try await require(principal, .readAudit)
        return try await database.read {
            try await store.auditEntries(actor: actor, action: action, recordID: recordID, before: before, limit: min(max(limit, 1), 500), on: $0)
        }
    }
}
