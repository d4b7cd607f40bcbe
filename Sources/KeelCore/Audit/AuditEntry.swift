/// One line of the audit log: who did what to which record, when.
public struct AuditEntry: Sendable, Hashable {
    public var at: String
    public var actor: String?
    /// `policy_change`, `sensitive_read`, `export`, `user_change`, `access_request`, `step_up`, …
    public var action: String
    public var object: String?
    public var recordID: String?
    public var detail: JSONValue

    public init(at: String, actor: String?, action: String, object: String? = nil, recordID: String? = nil, detail: JSONValue = [:]) {
        self.at = at
        self.actor = actor
        self.action = action
        self.object = object
        self.recordID = recordID
        self.detail = detail
    }

    public var json: JSONValue {
        [
            "at": .string(at), "actor": actor.map(JSONValue.string) ?? .null, "action": .string(action),
            "object": object.map(JSONValue.string) ?? .null, "record": recordID.map(JSONValue.string) ?? .null, "detail": detail,
        ]
    }
}
