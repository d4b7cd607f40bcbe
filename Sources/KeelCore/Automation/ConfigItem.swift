/// A published configuration item (automation, approval process): the version in force and its state.
public struct ConfigItem: Sendable, Hashable {
    public var kind: String
    public var id: String
    public var version: Int
    /// `active`, `disabled`, or `halted` (stopped by Keel, e.g. a loop; `statusReason` says why).
    public var status: String
    public var statusReason: String?
    public var definition: JSONValue
    public var publishedAt: String
    public var publishedBy: String

    public init(kind: String, id: String, version: Int, status: String, statusReason: String?, definition: JSONValue, publishedAt: String,
                publishedBy: String) {
        self.kind = kind
        self.id = id
        self.version = version
        self.status = status
        self.statusReason = statusReason
        self.definition = definition
        self.publishedAt = publishedAt
        self.publishedBy = publishedBy
    }
}
