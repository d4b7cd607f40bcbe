import Foundation
import Logging
import SQLKit
import SQLiteKit
import Synchronization

/// Embedded SQLite: WAL, `synchronous=FULL`, a busy timeout, foreign keys on, ONE writer connection
/// (writes serialised by a FIFO lock) and a small pool of reader connections.
final class SQLiteBackend: DatabaseBackend {
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let writeLock = AsyncLock()
    private let nextReader = Atomic<Int>(0)

    static let readerCount = 4
    /// Each connection keeps 16 MB of pages, and reads the file through a shared memory map (up to 1 GB) instead of a
    /// system call per page: index look-ups over a million records stay in memory.
    static let cache = ["PRAGMA cache_size=-16384", "PRAGMA mmap_size=1073741824"]

    private init(writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.writer = writer
        self.readers = readers
    }

    static func open(path: String, logger: Logger) async throws -> SQLiteBackend {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let writer = try await SQLiteConnection.open(storage: .file(path: absolute), logger: logger)
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON"] + cache {
            _ = try await writer.sql().raw(SQLQueryString(pragma)).all()
        }
        var readers: [SQLiteConnection] = []
        for _ in 0..<readerCount {
            let reader = try await SQLiteConnection.open(storage: .file(path: absolute), logger: logger)
            for pragma in ["PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON", "PRAGMA query_only=ON"] + cache {
                _ = try await reader.sql().raw(SQLQueryString(pragma)).all()
            }
            readers.append(reader)
        }
        return SQLiteBackend(writer: writer, readers: readers)
    }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await body(readers[abs(index) % readers.count].sql())
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await writeLock.withLock {
            let db = writer.sql()
            try await db.raw("BEGIN IMMEDIATE").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    var poolStatus: PoolStatus {
        PoolStatus(connections: readers.count + 1, waitingWriters: writeLock.waiting)
    }

    func close() async {
        for reader in readers { try? await reader.close() }
        try? await writer.close()
    }
}
