/// A message to one user in Keel's inbox, optionally about a record.
public struct UserNotification: Sendable, Hashable {
    public var id: String
    public var userID: String
    public var title: String
    public var object: String?
    public var recordID: String?
    public var createdAt: String
    public var readAt: String?

    public init(userID: String, title: String, object: String? = nil, recordID: String? = nil, createdAt: String) {
        self.id = RecordID.make()
        self.userID = userID
        self.title = title
        self.object = object
        self.recordID = recordID
        self.createdAt = createdAt
    }

    public var json: JSONValue {
        ["id": .string(id), "title": .string(title), "object": object.map(JSONValue.string) ?? .null,
         "recordId": recordID.map(JSONValue.string) ?? .null, "createdAt": .string(createdAt), "readAt": readAt.map(JSONValue.string) ?? .null]
    }
}
