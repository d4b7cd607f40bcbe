import Foundation
import KeelCore
import SQLKit

/// The attachments of records (their rows; the bytes are files named by their hash).
public struct AttachmentStore: Sendable {
    public init() {}

    static let columns = "id, object, record_id, sha256, size, content_type, filename, kind, uploaded_by, at"

    public func insert(_ a: Attachment, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO attachments (\(unsafeRaw: Self.columns)) VALUES (\(bind: a.id), \(bind: a.object), \(bind: a.recordID), \(bind: a.sha256), \(bind: a.size),
            \(bind: a.contentType), \(bind: a.filename), \(bind: a.kind), \(bind: a.uploadedBy), \(bind: a.at))
            """).run()
    }

    /// A record's attachments, newest first.
    public func attachments(object: String, recordID: String, on db: any SQLDatabase) async throws -> [Attachment] {
        try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM attachments WHERE object = \(bind: object) AND record_id = \(bind: recordID) ORDER BY at DESC, id DESC
            """).all().map(decode)
    }

    /// How many attachments of each kind a record has.
    public func kinds(object: String, recordID: String, on db: any SQLDatabase) async throws -> [String: Int] {
        var out: [String: Int] = [:]
        for row in try await db.raw("""
            SELECT kind, COUNT(*) AS n FROM attachments WHERE object = \(bind: object) AND record_id = \(bind: recordID) GROUP BY kind
            """).all() {
            out[try row.decode(column: "kind", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// The kinds of the files on each of these records.
    public func kinds(object: String, recordIDs: [String], on db: any SQLDatabase) async throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for chunk in stride(from: 0, to: recordIDs.count, by: 500).map({ Array(recordIDs[$0..<min($0 + 500, recordIDs.count)]) }) {
            for row in try await db.raw("""
                SELECT record_id, kind FROM attachments WHERE object = \(bind: object) AND record_id IN (\(binds: chunk))
                """).all() {
                out[try row.decode(column: "record_id", as: String.self), default: []].append(try row.decode(column: "kind", as: String.self))
            }
        }
        return out
    }

    func decode(_ row: any SQLRow) throws -> Attachment {
        Attachment(id: try row.decode(column: "id", as: String.self), object: try row.decode(column: "object", as: String.self),
                   recordID: try row.decode(column: "record_id", as: String.self), sha256: try row.decode(column: "sha256", as: String.self),
                   size: try row.decode(column: "size", as: Int.self), contentType: try row.decode(column: "content_type", as: String.self),
                   filename: try row.decode(column: "filename", as: String.self), kind: try row.decode(column: "kind", as: String.self),
                   uploadedBy: try row.decode(column: "uploaded_by", as: String.self), at: try row.decode(column: "at", as: String.self))
    }
}
