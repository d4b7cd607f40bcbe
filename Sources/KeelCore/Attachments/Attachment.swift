/// A file attached to a record: stored once by its SHA-256 (content-addressed), with the name it was uploaded under,
/// the type its first bytes show, and what kind of document it is (a proposal, a contract, a photo of a visit).
/// Attachments are evidence: never changed, never removed.
public struct Attachment: Hashable, Sendable {
    public var id: String
    public var object: String
    public var recordID: String
    public var sha256: String
    public var size: Int
    public var contentType: String
    public var filename: String
    public var kind: String
    public var uploadedBy: String
    public var at: String

    public init(id: String, object: String, recordID: String, sha256: String, size: Int, contentType: String, filename: String, kind: String,
                uploadedBy: String, at: String) {
        (self.id, self.object, self.recordID, self.sha256, self.size, self.contentType, self.filename, self.kind, self.uploadedBy, self.at) =
            (id, object, recordID, sha256, size, contentType, filename, kind, uploadedBy, at)
    }

    /// The kinds a file may be filed as.
    public static let kinds = ["proposal", "quote", "contract", "photo", "call_record", "confirmation", "other"]

    public var json: JSONValue {
        ["id": .string(id), "sha256": .string(sha256), "size": JSONValue(size), "contentType": .string(contentType), "filename": .string(filename),
         "kind": .string(kind), "uploadedBy": .string(uploadedBy), "at": .string(at)]
    }
}
