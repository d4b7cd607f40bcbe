/// Where Keel sends signed events: a URL, a `whsec_` secret, the objects and events it subscribes to.
public struct WebhookEndpoint: Sendable, Hashable {
    public var id: String
    public var url: String
    public var secret: String
    /// Object names, or `["*"]`.
    public var objects: [String]
    /// `created`, `updated`, `deleted`, or `["*"]`.
    public var events: [String]
    /// `active` or `disabled`.
    public var status: String
    /// An admin allowed a loopback or private-network address (refused otherwise: SSRF).
    public var allowPrivate: Bool
    public var createdAt: String
    public var createdBy: String

    public init(id: String, url: String, secret: String, objects: [String], events: [String], status: String = "active",
                allowPrivate: Bool, createdAt: String, createdBy: String) {
        self.id = id
        self.url = url
        self.secret = secret
        self.objects = objects
        self.events = events
        self.status = status
        self.allowPrivate = allowPrivate
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public func subscribes(object: String, operation: String) -> Bool {
        status == "active" && (objects.contains("*") || objects.contains(object)) && (events.contains("*") || events.contains(operation))
    }

    /// The API form; the secret is shown once, when the endpoint is created.
    public func json(withSecret: Bool = false) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id), "url": .string(url), "objects": .array(objects.map(JSONValue.string)),
            "events": .array(events.map(JSONValue.string)), "status": .string(status), "allowPrivate": .bool(allowPrivate),
            "createdAt": .string(createdAt), "createdBy": .string(createdBy),
        ]
        if withSecret { o["secret"] = .string(secret) }
        return .object(o)
    }
}
