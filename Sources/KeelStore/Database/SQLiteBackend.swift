import Foundation
import KeelCore
import Logging
import SQLKit
import SQLiteKit
import Synchronization

/// Embedded SQLite: WAL, `synchronous=FULL`, a busy timeout, foreign keys on, ONE writer connection (its savepoints'
/// journals in memory, not in temporary files) and a small pool of reader connections.
///
/// Writes are committed in groups. Writers take turns on the writer connection (a FIFO lock), each inside a savepoint
/// of one shared transaction: a writer that fails rolls back to its savepoint alone. The writer whose turn ends with
/// nobody waiting, or with the group full, commits for all; each writer returns only once the commit holding its write
/// is durable (and fails with it when it fails). Under load one fsync covers many writes; alone, a writer commits at once.
final class SQLiteBackend: DatabaseBackend {
    private let writer: SQLiteConnection
    private let readers: [SQLiteConnection]
    private let writeLock = AsyncLock()
    private let nextReader = Atomic<Int>(0)
    /// The open group: whether its transaction has begun, and the writers waiting for its commit. Touched only by
    /// the holder of `writeLock`.
    private let group = Mutex(Group())
    private let commits = Atomic<Int>(0)

    private struct Group {
        var open = false
        var waiting: [CheckedContinuation<Void, any Error>] = []
    }

    static let readerCount = 4
    /// Writes per commit at most: bounds how long the first of a group waits for its answer.
    static let groupLimit = 16
    /// Writers queued at most; one more is refused at once (503, try again) rather than left waiting without end.
    private let queueLimit: Int
    /// Each connection keeps 16 MB of pages, and reads the first 256 MB of the file through a memory map instead of a
    /// system call per page. Pages past that are read from the system's file cache, which keeps a million records'
    /// indexes in memory all the same; a larger map only made the process look bigger (its resident size counts every
    /// mapped page it touched: a million-row import showed over 1 GB with a 1 GB map).
    static let cache = ["PRAGMA cache_size=-16384", "PRAGMA mmap_size=268435456"]

    private init(writer: SQLiteConnection, readers: [SQLiteConnection], queueLimit: Int) {
        self.writer = writer
        self.readers = readers
        self.queueLimit = queueLimit
    }

    static func open(path: String, logger: Logger, queueLimit: Int) async throws -> SQLiteBackend {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        let writer = try await SQLiteConnection.open(storage: .file(path: absolute), logger: logger)
        for pragma in ["PRAGMA journal_mode=WAL", "PRAGMA synchronous=FULL", "PRAGMA busy_timeout=10000", "PRAGMA foreign_keys=ON", "PRAGMA temp_store=MEMORY"] + cache {
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
        return SQLiteBackend(writer: writer, readers: readers, queueLimit: queueLimit)
    }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let index = nextReader.wrappingAdd(1, ordering: .relaxed).oldValue
        return try await body(readers[abs(index) % readers.count].sql())
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        guard writeLock.waiting < queueLimit else {
            throw KeelError(.unavailable, code: "busy", message: "Too many writes are waiting; try again in a moment.", details: ["retryAfter": 1])
        }
        await writeLock.lock()
        let db = writer.sql()
        let outcome: Result<T, any Error>
        do {
            if !group.withLock({ $0.open }) {
                try await db.raw("BEGIN IMMEDIATE").run()
                group.withLock { $0.open = true }
            }
            try await db.raw("SAVEPOINT write").run()
        } catch {
            _ = await end(db, failing: error)
            throw error
        }
        do {
            let result = try await body(db)
            try await db.raw("RELEASE write").run()
            outcome = .success(result)
        } catch {
            do {
                try await db.raw("ROLLBACK TO write").run()
                try await db.raw("RELEASE write").run()
            } catch let broken {
                // The transaction itself is gone (an I/O error…): nobody in the group was written.
                _ = await end(db, failing: broken)
                throw error
            }
            outcome = .failure(error)
        }
        let succeeded = if case .success = outcome { true } else { false }
        let members = group.withLock { $0.waiting.count } + (succeeded ? 1 : 0)
        if writeLock.waiting == 0 || members >= Self.groupLimit {
            if let failure = await end(db, failing: nil), succeeded { throw failure }
        } else if succeeded {
            // Someone else commits this write, with theirs; the answer waits for that commit.
            try await withCheckedThrowingContinuation { (waiting: CheckedContinuation<Void, any Error>) in
                group.withLock { $0.waiting.append(waiting) }
                writeLock.unlock()
            }
            return try outcome.get()
        } else {
            writeLock.unlock()
        }
        return try outcome.get()
    }

    /// Ends the group: commits it (`failing == nil`) or rolls it back, answers the writers waiting for it, and lets the
    /// next writer in. Returns why the group was not committed, if it was not.
    private func end(_ db: any SQLDatabase, failing: (any Error)?) async -> (any Error)? {
        var failure = failing
        if group.withLock({ $0.open }) {
            if failure == nil {
                do {
                    try await db.raw("COMMIT").run()
                    commits.add(1, ordering: .relaxed)
                } catch {
                    failure = error
                }
            }
            if failure != nil { try? await db.raw("ROLLBACK").run() }
        }
        let waiting = group.withLock { g in
            defer { g = Group() }
            return g.waiting
        }
        writeLock.unlock()
        for writer in waiting {
            if let failure { writer.resume(throwing: failure) } else { writer.resume() }
        }
        return failure
    }

    var poolStatus: PoolStatus {
        PoolStatus(connections: readers.count + 1, waitingWriters: writeLock.waiting, commits: commits.load(ordering: .relaxed))
    }

    func close() async {
        for reader in readers { try? await reader.close() }
        try? await writer.close()
    }
}
