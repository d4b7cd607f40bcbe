import Foundation
import KeelStore
import SQLKit

/// What `/healthz` and `/metrics` read of the database, so the server needs no SQL of its own.
extension Keel {
    public struct DatabaseStatus: Sendable {
        /// SQLite: connections open; PostgreSQL: in use.
        public var connections: Int
        /// Writes waiting for the SQLite writer connection.
        public var waitingWriters: Int
        /// Commits since the process opened the database (SQLite: one per group of writes).
        public var commits: Int
        /// Outbox events not yet processed.
        public var outboxBacklog: Int
        /// This process's clock minus the PostgreSQL server's; nil on SQLite.
        public var clockOffset: TimeInterval?
    }

    /// Throws when the database does not answer a trivial query.
    public func ping() async throws {
        try await database.read { db in _ = try await db.raw("SELECT 1 AS ok").all() }
    }

    public func databaseStatus() async throws -> DatabaseStatus {
        let pool = database.poolStatus
        let backlog = try await database.read { try await JournalStore(dialect: database.dialect).backlog(on: $0) }
        var offset: TimeInterval?
        if database.dialect == .postgres, let serverNow = try await database.read({ try await $0.raw("SELECT now() AS t").first()?.decode(column: "t", as: Date.self) }) {
            offset = Date().timeIntervalSince(serverNow)
        }
        return DatabaseStatus(connections: pool.connections, waitingWriters: pool.waitingWriters, commits: pool.commits, outboxBacklog: backlog,
                              clockOffset: offset)
    }
}
