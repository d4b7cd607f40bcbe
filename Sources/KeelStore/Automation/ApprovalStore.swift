import Foundation
import KeelCore
import SQLKit

public struct ApprovalStore: Sendable {
    public let dialect: SQLDialectKind

    public init(dialect: SQLDialectKind) {
        self.dialect = dialect
    }

    /// Adds a pending request; false when the record already has one pending.
    public func insert(_ r: ApprovalRequest, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("""
            INSERT INTO approval_requests (id, process_id, version, object, record_id, status, step, submitted_by, created_at)
            VALUES (\(bind: r.id), \(bind: r.processID), \(bind: r.version), \(bind: r.object), \(bind: r.recordID), 'pending',
                    \(bind: r.step), \(bind: r.submittedBy), \(bind: r.createdAt))
            ON CONFLICT (object, record_id) WHERE status = 'pending' DO NOTHING RETURNING id
            """).all()).isEmpty
    }

    public func request(_ id: String, forUpdate: Bool = false, on db: any SQLDatabase) async throws -> ApprovalRequest? {
        let lock: SQLQueryString = forUpdate && dialect == .postgres ? "FOR UPDATE" : ""
        guard var r = try await db.raw("SELECT \(unsafeRaw: Self.columns) FROM approval_requests WHERE id = \(bind: id) \(lock)").first().map(decode) else {
            return nil
        }
        r.decisions = try await db.raw("""
            SELECT step, step_name, actor, decision, comment, at FROM approval_decisions WHERE request_id = \(bind: id) ORDER BY step
            """).all().map { row in
            ApprovalDecision(step: try row.decode(column: "step", as: Int.self), stepName: try row.decode(column: "step_name", as: String.self),
                             actor: try row.decode(column: "actor", as: String.self), decision: try row.decode(column: "decision", as: String.self),
                             comment: try row.decode(column: "comment", as: String.self), at: try row.decode(column: "at", as: String.self))
        }
        return r
    }

    /// The pending request on a record, if any: such a record is locked.
    public func pending(object: String, recordID: String, on db: any SQLDatabase) async throws -> ApprovalRequest? {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM approval_requests WHERE object = \(bind: object) AND record_id = \(bind: recordID) AND status = 'pending'
            """).first().map(decode)
    }

    /// Every request on a record, oldest first, with its decisions.
    public func requests(object: String, recordID: String, on db: any SQLDatabase) async throws -> [ApprovalRequest] {
        var out: [ApprovalRequest] = []
        for r in try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM approval_requests WHERE object = \(bind: object) AND record_id = \(bind: recordID)
            ORDER BY created_at, id
            """).all().map(decode) {
            if let full = try await request(r.id, on: db) { out.append(full) }
        }
        return out
    }

    public func requests(status: String?, limit: Int, on db: any SQLDatabase) async throws -> [ApprovalRequest] {
        let only: SQLQueryString = status.map { "WHERE status = \(bind: $0)" } ?? ""
        return try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM approval_requests \(only) ORDER BY created_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map(decode)
    }

    public func decide(_ d: ApprovalDecision, requestID: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO approval_decisions (request_id, step, step_name, actor, decision, comment, at)
            VALUES (\(bind: requestID), \(bind: d.step), \(bind: d.stepName), \(bind: d.actor), \(bind: d.decision), \(bind: d.comment), \(bind: d.at))
            """).run()
    }

    public func move(_ id: String, step: Int, status: String, decidedAt: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE approval_requests SET step = \(bind: step), status = \(bind: status), decided_at = \(bind: decidedAt) WHERE id = \(bind: id)
            """).run()
    }

    static let columns = "id, process_id, version, object, record_id, status, step, submitted_by, created_at, decided_at"

    func decode(_ row: any SQLRow) throws -> ApprovalRequest {
        ApprovalRequest(id: try row.decode(column: "id", as: String.self), processID: try row.decode(column: "process_id", as: String.self),
                        version: try row.decode(column: "version", as: Int.self), object: try row.decode(column: "object", as: String.self),
                        recordID: try row.decode(column: "record_id", as: String.self), status: try row.decode(column: "status", as: String.self),
                        step: try row.decode(column: "step", as: Int.self), submittedBy: try row.decode(column: "submitted_by", as: String.self),
                        createdAt: try row.decode(column: "created_at", as: String.self), decidedAt: try row.decode(column: "decided_at", as: String?.self))
    }
}
