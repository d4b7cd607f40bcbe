import Foundation
import KeelCore
import KeelStore

extension AccessControl {
    public static let defaultGrantHours = 24
    public static let maxGrantHours = 7 * 24

    /// Asks `approverID` for access to one secret record. Whether the record exists is not revealed here.
    public func requestAccess(object objectName: String, recordID: String, approverID: String, reason: String,
                              by principal: Principal) async throws -> AccessRequest {
        guard principal.status == .active else { throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.") }
        var violations: [Violation] = []
        let reason = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        if reason.isEmpty || reason.count > 500 { violations.append(Violation(field: "reason", code: "required", message: "Give a reason of 1 to 500 characters.")) }
        else if ValueFormats.controlCharacter(in: reason, lines: true) != nil {
            violations.append(Violation(field: "reason", code: "control_character", message: "The reason has a control character."))
        }
        if !RecordID.isWellFormed(recordID) { violations.append(Violation(field: "record", code: "invalid_format", message: "record is a record id.")) }
        if try await !objects().contains(where: { $0.name == objectName }) {
            violations.append(Violation(field: "object", code: "unknown_object", message: "There is no object named \(objectName)."))
        }
        let approver = try await database.read { try await directory.user(id: approverID, on: $0) }
        if approver?.status != .active || approverID == principal.userID {
            violations.append(Violation(field: "approver", code: "invalid_approver", message: "Name an active user other than yourself."))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        let request = AccessRequest(id: RecordID.make(), object: objectName, recordID: recordID, requester: principal.userID, approver: approverID,
                                    reason: reason, status: .pending, createdAt: ValueFormats.formatDateTime(Date()))
        try await database.write { db in
            try await store.insert(request, on: db)
            try await store.audit(AuditEntry(at: request.createdAt, actor: principal.userID, action: "access_request", object: objectName,
                                             recordID: recordID, detail: ["request": .string(request.id), "approver": .string(approverID)]), on: db)
        }
        return request
    }

    /// The named approver grants (for `hours`) or rejects a pending request. Granting needs the policies' leave to
    /// approve access to that record (by default: admins, and managers over the record's owner).
    public func decide(requestID: String, grant: Bool, comment: String?, hours: Int = AccessControl.defaultGrantHours,
                       by principal: Principal) async throws -> AccessRequest {
        guard var request = try await database.read({ try await store.accessRequest(id: requestID, on: $0) }),
              request.approver == principal.userID || request.requester == principal.userID else {
            throw KeelError.notFound("access request \(requestID)")
        }
        guard request.approver == principal.userID else {
            throw KeelError(.forbidden, code: "not_the_approver", message: "Only the approver named in the request may decide it.")
        }
        guard (1...Self.maxGrantHours).contains(hours) else {
            throw KeelError.validation([Violation(field: "hours", code: "out_of_range", message: "A grant lasts 1 to \(Self.maxGrantHours) hours.")])
        }
        let now = Date()
        if grant {
            guard let object = try await objects().first(where: { $0.name == request.object }) else { throw KeelError.notFound(request.object) }
            let scope = try await scope(principal, .approveAccess, object: object)
            guard try await database.read({ try await recordStore.fetch(object, id: request.recordID, access: scope, on: $0) }) != nil else {
                throw KeelError(.forbidden, code: "forbidden", message: "No policy lets you approve access to this record (or it does not exist).")
            }
        }
        request.status = grant ? .granted : .rejected
        request.comment = comment
        request.decidedAt = ValueFormats.formatDateTime(now)
        request.expiresAt = grant ? ValueFormats.formatDateTime(now + TimeInterval(hours * 3600)) : nil
        try await database.write { db in
            guard try await store.decide(id: requestID, status: request.status, comment: comment, at: request.decidedAt!,
                                         expiresAt: request.expiresAt, on: db) else {
                throw KeelError(.conflict, code: "already_decided", message: "This request was already decided.")
            }
            try await store.audit(AuditEntry(at: request.decidedAt!, actor: principal.userID, action: "access_decision", object: request.object,
                                             recordID: request.recordID, detail: ["request": .string(requestID), "status": .string(request.status.rawValue),
                                                                                  "expires_at": request.expiresAt.map(JSONValue.string) ?? .null]), on: db)
        }
        return request
    }

    public func accessRequests(by principal: Principal) async throws -> [AccessRequest] {
        try await database.read { try await store.accessRequests(involving: principal.userID, on: $0) }
    }
}
