/// A request for access to one secret record, decided by a named approver.
public struct AccessRequest: Sendable, Hashable {
    public enum Status: String, Sendable { case pending, granted, rejected }
    public var id: String
    public var object: String
    public var recordID: String
    public var requester: String
    public var approver: String
    public var reason: String
    public var status: Status
    public var comment: String?
    public var createdAt: String
    public var decidedAt: String?
    public var expiresAt: String?

    public init(id: String, object: String, recordID: String, requester: String, approver: String, reason: String, status: Status,
                comment: String? = nil, createdAt: String, decidedAt: String? = nil, expiresAt: String? = nil) {
        self.id = id
        self.object = object
        self.recordID = recordID
        self.requester = requester
        self.approver = approver
        self.reason = reason
        self.status = status
        self.comment = comment
        self.createdAt = createdAt
        self.decidedAt = decidedAt
        self.expiresAt = expiresAt
    }

    public var json: JSONValue {
        [
            "id": .string(id), "object": .string(object), "record": .string(recordID), "requester": .string(requester),
            "approver": .string(approver), "reason": .string(reason), "status": .string(status.rawValue),
            "comment": comment.map(JSONValue.string) ?? .null, "created_at": .string(createdAt),
            "decided_at": decidedAt.map(JSONValue.string) ?? .null, "expires_at": expiresAt.map(JSONValue.string) ?? .null,
        ]
    }
}

