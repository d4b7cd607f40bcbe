import Foundation
import KeelCore
import SQLKit

/// Policy documents (every version kept), and the audit log.
public struct AccessStore: Sendable {
    public init() {}

    /// The newest policy document and its version; nil before any was saved.
    public func activePolicies(on db: any SQLDatabase) async throws -> (version: Int, document: String)? {
        try await db.raw("SELECT version, document FROM access_policies ORDER BY version DESC LIMIT 1").first().map {
            (try $0.decode(column: "version", as: Int.self), try $0.decode(column: "document", as: String.self))
        }
    }

    public func policyVersion(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT MAX(version) AS v FROM access_policies").first()?.decode(column: "v", as: Int?.self) ?? 0
    }

    /// Serialises policy saves across processes (PostgreSQL; SQLite has one writer anyway), so versions follow each other.
    public func lockPolicies(dialect: SQLDialectKind, on db: any SQLDatabase) async throws {
        if dialect == .postgres { try await db.lockInstallation(7_120_003) }
    }

    /// Stores a new version; the primary key makes a concurrent save of the same version fail instead of both winning.
    public func insertPolicies(version: Int, document: String, actor: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO access_policies (version, document, created_at, created_by)
            VALUES (\(bind: version), \(bind: document), \(bind: ValueFormats.formatDateTime(Date())), \(bind: actor))
            """).run()
    }

    /// Every stored version, newest first, without documents.
    public func policyVersions(on db: any SQLDatabase) async throws -> [JSONValue] {
        try await db.raw("SELECT version, created_at, created_by FROM access_policies ORDER BY version DESC").all().map { row in
            [
                "version": JSONValue(try row.decode(column: "version", as: Int.self)),
                "created_at": .string(try row.decode(column: "created_at", as: String.self)),
                "created_by": try row.decode(column: "created_by", as: String?.self).map(JSONValue.string) ?? .null,
            ]
        }
    }

    public func policyDocument(version: Int, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT document FROM access_policies WHERE version = \(bind: version)").first()?
            .decode(column: "document", as: String.self)
    }

    // MARK: Audit log

    public func audit(_ entry: AuditEntry, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO audit_log (id, at, actor, action, object, record_id, detail)
            VALUES (\(bind: RecordID.make()), \(bind: entry.at), \(bind: entry.actor), \(bind: entry.action), \(bind: entry.object),
                    \(bind: entry.recordID), \(bind: entry.detail.canonicalText()))
            """).run()
    }

    /// Entries newest first, optionally of one actor, action or record, before a time (for paging).
    public func auditEntries(actor: String?, action: String?, recordID: String?, before: String?, limit: Int,
                             on db: any SQLDatabase) async throws -> [AuditEntry] {
        var conditions: [SQLQueryString] = ["1 = 1"]
        if let actor { conditions.append("actor = \(bind: actor)") }
        if let action { conditions.append("action = \(bind: action)") }
        if let recordID { conditions.append("record_id = \(bind: recordID)") }
        if let before { conditions.append("at < \(bind: before)") }
        return try await db.raw("""
            SELECT at, actor, action, object, record_id, detail FROM audit_log WHERE \(conditions.joined(separator: " AND "))
            ORDER BY at DESC, id DESC LIMIT \(literal: limit)
            """).all().map { row in
            AuditEntry(at: try row.decode(column: "at", as: String.self), actor: try row.decode(column: "actor", as: String?.self),
                       action: try row.decode(column: "action", as: String.self), object: try row.decode(column: "object", as: String?.self),
                       recordID: try row.decode(column: "record_id", as: String?.self),
                       detail: (try? JSONValue.parse(text: row.decode(column: "detail", as: String.self))) ?? .null)
        }
    }

    // MARK: Sensitivity levels

    /// Levels set by admins, keyed by object and field ("" for the object itself).
    public func sensitivityLevels(on db: any SQLDatabase) async throws -> [String: [String: Int]] {
        var out: [String: [String: Int]] = [:]
        for row in try await db.raw("SELECT object, field, level FROM sensitivity_levels").all() {
            out[try row.decode(column: "object", as: String.self), default: [:]][try row.decode(column: "field", as: String.self)] =
                try row.decode(column: "level", as: Int.self)
        }
        return out
    }

    public func setSensitivity(object: String, field: String, level: Int, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sensitivity_levels WHERE object = \(bind: object) AND field = \(bind: field)").run()
        try await db.raw("INSERT INTO sensitivity_levels (object, field, level) VALUES (\(bind: object), \(bind: field), \(bind: level))").run()
        try await db.raw("UPDATE metadata_version SET version = version + 1 WHERE id = 1").run()
    }
}

extension AccessStore {
    public func insert(_ r: AccessRequest, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO access_requests (id, object, record_id, requester, approver, reason, status, created_at)
            VALUES (\(bind: r.id), \(bind: r.object), \(bind: r.recordID), \(bind: r.requester), \(bind: r.approver), \(bind: r.reason),
                    \(bind: r.status.rawValue), \(bind: r.createdAt))
            """).run()
    }

    public func accessRequest(id: String, on db: any SQLDatabase) async throws -> AccessRequest? {
        try await db.raw("SELECT * FROM access_requests WHERE id = \(bind: id)").first().map(decodeRequest)
    }

    /// Requests the user made or must decide, newest first.
    public func accessRequests(involving userID: String, on db: any SQLDatabase) async throws -> [AccessRequest] {
        try await db.raw("""
            SELECT * FROM access_requests WHERE requester = \(bind: userID) OR approver = \(bind: userID) ORDER BY created_at DESC, id LIMIT 200
            """).all().map(decodeRequest)
    }

    /// Decides a pending request; false when it was no longer pending.
    public func decide(id: String, status: AccessRequest.Status, comment: String?, at: String, expiresAt: String?,
                       on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("""
            UPDATE access_requests SET status = \(bind: status.rawValue), comment = \(bind: comment), decided_at = \(bind: at), expires_at = \(bind: expiresAt)
            WHERE id = \(bind: id) AND status = 'pending' RETURNING id
            """).all().isEmpty)
    }

    func decodeRequest(_ row: any SQLRow) throws -> AccessRequest {
        AccessRequest(
            id: try row.decode(column: "id", as: String.self), object: try row.decode(column: "object", as: String.self),
            recordID: try row.decode(column: "record_id", as: String.self), requester: try row.decode(column: "requester", as: String.self),
            approver: try row.decode(column: "approver", as: String.self), reason: try row.decode(column: "reason", as: String.self),
            status: AccessRequest.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .rejected,
            comment: try row.decode(column: "comment", as: String?.self), createdAt: try row.decode(column: "created_at", as: String.self),
            decidedAt: try row.decode(column: "decided_at", as: String?.self), expiresAt: try row.decode(column: "expires_at", as: String?.self))
    }
}
