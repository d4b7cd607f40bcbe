import Foundation
import KeelCore
import SQLKit

public struct WebhookStore: Sendable {
    public init() {}

    public func insert(_ e: WebhookEndpoint, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO webhook_endpoints (id, url, secret, objects, events, status, allow_private, created_at, created_by)
            VALUES (\(bind: e.id), \(bind: e.url), \(bind: e.secret), \(bind: Self.list(e.objects)), \(bind: Self.list(e.events)),
                    \(bind: e.status), \(bind: e.allowPrivate ? 1 : 0), \(bind: e.createdAt), \(bind: e.createdBy))
            """).run()
    }

    public func setStatus(_ id: String, status: String, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("UPDATE webhook_endpoints SET status = \(bind: status) WHERE id = \(bind: id) RETURNING id").all()).isEmpty
    }

    public func endpoints(on db: any SQLDatabase) async throws -> [WebhookEndpoint] {
        try await db.raw("""
            SELECT id, url, secret, objects, events, status, allow_private, created_at, created_by FROM webhook_endpoints ORDER BY id
            """).all().map { row in
            WebhookEndpoint(id: try row.decode(column: "id", as: String.self), url: try row.decode(column: "url", as: String.self),
                            secret: try row.decode(column: "secret", as: String.self),
                            objects: Self.names(try row.decode(column: "objects", as: String.self)),
                            events: Self.names(try row.decode(column: "events", as: String.self)),
                            status: try row.decode(column: "status", as: String.self),
                            allowPrivate: try row.decode(column: "allow_private", as: Int.self) != 0,
                            createdAt: try row.decode(column: "created_at", as: String.self), createdBy: try row.decode(column: "created_by", as: String.self))
        }
    }

    static func list(_ names: [String]) -> String { JSONValue.array(names.map(JSONValue.string)).canonicalText() }
    static func names(_ text: String) -> [String] { ((try? JSONValue.parse(text: text))?.arrayValue ?? []).compactMap(\.stringValue) }
}
