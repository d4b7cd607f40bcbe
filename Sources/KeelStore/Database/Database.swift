import KeelCore
import Logging
import SQLKit

/// The SQL dialects Keel speaks. Everything dialect-specific is decided in one place: `SQLDialectKind+Fields`.
public enum SQLDialectKind: String, Sendable {
    case sqlite, postgres

    /// The dialect a connection speaks.
    public init(of db: any SQLDatabase) { self = db.dialect.name == "sqlite" ? .sqlite : .postgres }
}

/// A backend runs reads on a pooled connection and writes inside one transaction.
protocol DatabaseBackend: Sendable {
    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T
    func close() async
    var poolStatus: PoolStatus { get }
}

/// Connection figures for `/metrics`.
public struct PoolStatus: Sendable {
    public var connections: Int
    public var waitingWriters: Int
    /// Commits since the database was opened (on SQLite, one per group of writes).
    public var commits: Int = 0
}

/// Keel's handle on its database (SQLite or PostgreSQL), opened from a `DatabaseURL`.
public final class KeelDatabase: Sendable {
    public let dialect: SQLDialectKind
    private let backend: any DatabaseBackend

    init(dialect: SQLDialectKind, backend: any DatabaseBackend) {
        self.dialect = dialect
        self.backend = backend
    }

    /// On SQLite, how many writes may wait for the writer before more are refused (503, try again).
    public static let defaultWriteQueueLimit = 512

    public static func open(_ url: DatabaseURL, logger: Logger = Logger(label: "keel.db"),
                            writeQueueLimit: Int = defaultWriteQueueLimit) async throws -> KeelDatabase {
        switch url {
        case .sqlite(let path):
            return KeelDatabase(dialect: .sqlite, backend: try await SQLiteBackend.open(path: path, logger: logger, queueLimit: writeQueueLimit))
        case .postgres:
            return KeelDatabase(dialect: .postgres, backend: try await PostgresBackend.open(url, logger: logger))
        }
    }

    /// Runs `body` on a reader connection.
    public func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await backend.read(body)
    }

    /// Runs `body` inside ONE transaction: committed when it returns, rolled back when it throws.
    public func write<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await backend.transaction { db in
            try await JournalStore.$chain.withValue(JournalStore.ChainState()) { try await body(db) }
        }
    }

    public var poolStatus: PoolStatus { backend.poolStatus }

    public func close() async {
        await backend.close()
    }
}
