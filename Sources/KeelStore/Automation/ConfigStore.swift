import Foundation
import KeelCore
import SQLKit

/// Versioned configuration: every published version is kept unchanged; `config_items` names the one in force.
public struct ConfigStore: Sendable {
    public init() {}

    /// Publishes `definition` as the next version of (kind, id) and makes it the one in force; returns its number.
    public func publish(kind: String, id: String, definition: JSONValue, by userID: String, at now: String, on db: any SQLDatabase) async throws -> Int {
        let last = try await db.raw("SELECT MAX(version) AS v FROM config_versions WHERE kind = \(bind: kind) AND id = \(bind: id)").first()?
            .decode(column: "v", as: Int?.self) ?? 0
        let version = last + 1
        try await db.raw("""
            INSERT INTO config_versions (kind, id, version, definition, published_at, published_by)
            VALUES (\(bind: kind), \(bind: id), \(bind: version), \(bind: definition.canonicalText()), \(bind: now), \(bind: userID))
            """).run()
        try await db.raw("""
            INSERT INTO config_items (kind, id, version, status, updated_at) VALUES (\(bind: kind), \(bind: id), \(bind: version), 'active', \(bind: now))
            ON CONFLICT (kind, id) DO UPDATE SET version = \(bind: version), status = 'active', status_reason = NULL, updated_at = \(bind: now)
            """).run()
        return version
    }

    public func setStatus(kind: String, id: String, status: String, reason: String?, at now: String, on db: any SQLDatabase) async throws -> Bool {
        !(try await db.raw("""
            UPDATE config_items SET status = \(bind: status), status_reason = \(bind: reason), updated_at = \(bind: now)
            WHERE kind = \(bind: kind) AND id = \(bind: id) RETURNING id
            """).all()).isEmpty
    }

    /// The number of the version in force of one item, nil when there is none: a short look-up for callers that keep
    /// the parsed document of a version.
    public func currentVersion(kind: String, id: String, on db: any SQLDatabase) async throws -> Int? {
        try await WriteBatch.remembered("config:\(kind):\(id)") {
            try await db.raw("SELECT version FROM config_items WHERE kind = \(bind: kind) AND id = \(bind: id)").first()?.decode(column: "version", as: Int.self)
        }
    }

    /// The items of a kind with the definition of the version in force.
    public func items(kind: String, id: String? = nil, on db: any SQLDatabase) async throws -> [ConfigItem] {
        let only: SQLQueryString = id.map { "AND i.id = \(bind: $0)" } ?? ""
        return try await db.raw("""
            SELECT i.kind, i.id, i.version, i.status, i.status_reason, v.definition, v.published_at, v.published_by
            FROM config_items i JOIN config_versions v ON v.kind = i.kind AND v.id = i.id AND v.version = i.version
            WHERE i.kind = \(bind: kind) \(only) ORDER BY i.id
            """).all().map(decode)
    }

    /// One version, in force or not (pending approvals finish on the version they started with).
    public func version(kind: String, id: String, version: Int, on db: any SQLDatabase) async throws -> ConfigItem? {
        try await db.raw("""
            SELECT kind, id, version, 'active' AS status, NULL AS status_reason, definition, published_at, published_by
            FROM config_versions WHERE kind = \(bind: kind) AND id = \(bind: id) AND version = \(bind: version)
            """).first().map(decode)
    }

    public func versions(kind: String, id: String, on db: any SQLDatabase) async throws -> [ConfigItem] {
        try await db.raw("""
            SELECT kind, id, version, 'active' AS status, NULL AS status_reason, definition, published_at, published_by
            FROM config_versions WHERE kind = \(bind: kind) AND id = \(bind: id) ORDER BY version DESC
            """).all().map(decode)
    }

    /// Adds one to a named counter and returns the new value (round-robin assignment).
    public func increment(_ key: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            INSERT INTO counters (key, value) VALUES (\(bind: key), 1) ON CONFLICT (key) DO UPDATE SET value = counters.value + 1 RETURNING value
            """).first()?.decode(column: "value", as: Int.self) ?? 1
    }

    func decode(_ row: any SQLRow) throws -> ConfigItem {
        ConfigItem(kind: try row.decode(column: "kind", as: String.self), id: try row.decode(column: "id", as: String.self),
                   version: try row.decode(column: "version", as: Int.self), status: try row.decode(column: "status", as: String.self),
                   statusReason: try row.decode(column: "status_reason", as: String?.self),
                   definition: (try? JSONValue.parse(text: row.decode(column: "definition", as: String.self))) ?? .null,
                   publishedAt: try row.decode(column: "published_at", as: String.self), publishedBy: try row.decode(column: "published_by", as: String.self))
    }
}
