import Foundation
import KeelCore
import SQLKit

public struct NotificationStore: Sendable {
    public init() {}

    /// Adds the notification unless one with `key` exists (a retried run notifies once).
    public func insert(_ n: UserNotification, key: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO notifications (id, key, user_id, title, object, record_id, created_at)
            VALUES (\(bind: n.id), \(bind: key), \(bind: n.userID), \(bind: n.title), \(bind: n.object), \(bind: n.recordID), \(bind: n.createdAt))
            ON CONFLICT (key) DO NOTHING
            """).run()
    }

    public func list(userID: String, limit: Int, on db: any SQLDatabase) async throws -> [UserNotification] {
        try await db.raw("""
            SELECT id, user_id, title, object, record_id, created_at, read_at FROM notifications
            WHERE user_id = \(bind: userID) ORDER BY created_at DESC, id DESC LIMIT \(literal: limit)
            """).all().map { row in
            var n = UserNotification(userID: try row.decode(column: "user_id", as: String.self), title: try row.decode(column: "title", as: String.self),
                                 object: try row.decode(column: "object", as: String?.self), recordID: try row.decode(column: "record_id", as: String?.self),
                                 createdAt: try row.decode(column: "created_at", as: String.self))
            n.id = try row.decode(column: "id", as: String.self)
            n.readAt = try row.decode(column: "read_at", as: String?.self)
            return n
        }
    }

    public func unread(userID: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM notifications WHERE user_id = \(bind: userID) AND read_at IS NULL").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// Marks the user's notifications read (all of them when `id` is nil).
    public func markRead(userID: String, id: String?, at now: String, on db: any SQLDatabase) async throws {
        let only: SQLQueryString = id.map { "AND id = \(bind: $0)" } ?? ""
        try await db.raw("UPDATE notifications SET read_at = \(bind: now) WHERE user_id = \(bind: userID) AND read_at IS NULL \(only)").run()
    }
}
