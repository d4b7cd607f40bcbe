/// One changed field of one record, as kept in the tamper-evident field history.
public struct HistoryEntry: Sendable, Hashable {
    public var seq: Int64
    public var changeID: String
    public var object: String
    public var recordID: String
    public var operation: String
    public var field: String
    public var oldValue: JSONValue
    public var newValue: JSONValue
    public var actor: String?
    public var source: String
    public var at: String
    public var prevHash: String
    public var hash: String
    /// The reader may not see this field: old and new values are left out.
    public var masked = false

    public init(seq: Int64 = 0, changeID: String, object: String, recordID: String, operation: String, field: String,
                oldValue: JSONValue, newValue: JSONValue, actor: String?, source: String, at: String,
                prevHash: String = "", hash: String = "") {
        self.seq = seq
        self.changeID = changeID
        self.object = object
        self.recordID = recordID
        self.operation = operation
        self.field = field
        self.oldValue = oldValue
        self.newValue = newValue
        self.actor = actor
        self.source = source
        self.at = at
        self.prevHash = prevHash
        self.hash = hash
    }

    /// The text the entry's hash covers: the previous hash and every stored column but `seq` and `hash`.
    public var hashInput: String {
        let body = JSONValue.canonicalText(members: [
            ("change", .string(changeID)), ("object", .string(object)), ("record", .string(recordID)),
            ("op", .string(operation)), ("field", .string(field)), ("old", oldValue), ("new", newValue),
            ("actor", actor.map(JSONValue.string) ?? .null), ("source", .string(source)), ("at", .string(at)),
        ])
        return prevHash + "\n" + body
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "seq": JSONValue(seq), "changeId": .string(changeID), "operation": .string(operation),
            "field": .string(field), "old": oldValue, "new": newValue,
            "actor": actor.map(JSONValue.string) ?? .null, "source": .string(source), "at": .string(at),
        ]
        if masked { o["masked"] = true }
        return .object(o)
    }

    /// The entry as a reader who may not see `fields` gets it.
    public func masking(_ fields: Set<String>) -> HistoryEntry {
        guard fields.contains(field) else { return self }
        var e = self
        e.oldValue = .null
        e.newValue = .null
        e.masked = true
        return e
    }
}

/// What the outbox carries to automations, SLA timers and webhooks after commit.
public struct OutboxEvent: Sendable, Hashable {
    public var id: String
    public var object: String
    public var recordID: String
    public var operation: String
    public var changedFields: [String]
    public var at: String
    /// How many automation runs led to this change (0: a person's change); long chains are loops.
    public var depth: Int

    public init(id: String, object: String, recordID: String, operation: String, changedFields: [String], at: String, depth: Int = 0) {
        self.depth = depth
        self.id = id
        self.object = object
        self.recordID = recordID
        self.operation = operation
        self.changedFields = changedFields
        self.at = at
    }
}
