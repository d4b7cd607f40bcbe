import Foundation
import Logging
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// PostgreSQL through a PostgresNIO client pool. Each transaction holds one pooled connection, so writers run side by
/// side, as many as the pool has connections.
final class PostgresBackend: DatabaseBackend {
    private let client: PostgresClient
    private let runTask: Task<Void, Never>
    private let inUse = Atomic<Int>(0)
    private let commits = Atomic<Int>(0)

    /// Connections at most: `KEEL_DATABASE_POOL` (1–500), else four per core of this machine, at least 8 and at most
    /// 64 — writers mostly wait on the server and the disk, and the server's own limit (100 by default) stays clear
    /// for a second Keel process and the administrator.
    static var maxConnections: Int {
        if let set = ProcessInfo.processInfo.environment["KEEL_DATABASE_POOL"].flatMap(Int.init), (1...500).contains(set) { return set }
        return min(64, max(8, 4 * ProcessInfo.processInfo.activeProcessorCount))
    }

    private init(client: PostgresClient, runTask: Task<Void, Never>) {
        self.client = client
        self.runTask = runTask
    }

    static func open(_ url: DatabaseURL, logger: Logger) async throws -> PostgresBackend {
        guard case let .postgres(host, port, user, password, database, schema) = url else {
            preconditionFailure("PostgresBackend needs a postgres URL")
        }
        var config = PostgresClient.Configuration(host: host, port: port, username: user, password: password,
                                                  database: database, tls: .disable)
        config.options.maximumConnections = maxConnections
        if let schema { config.options.additionalStartupParameters = [("search_path", schema)] }
        let client = PostgresClient(configuration: config, backgroundLogger: logger)
        // Wait until the pool task is running before the first lease.
        let (started, signal) = AsyncStream<Void>.makeStream()
        let task = Task {
            signal.finish()
            await client.run()
        }
        for await _ in started {}
        let backend = PostgresBackend(client: client, runTask: task)
        // Fail now, with a clear error, when the server cannot be reached.
        do {
            try await backend.read { db in _ = try await db.raw("SELECT 1").all() }
        } catch {
            task.cancel()
            throw error
        }
        return backend
    }

    func read<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            inUse.add(1, ordering: .relaxed)
            defer { inUse.subtract(1, ordering: .relaxed) }
            return try await body(connection.sql())
        }
    }

    func transaction<T>(_ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            inUse.add(1, ordering: .relaxed)
            defer { inUse.subtract(1, ordering: .relaxed) }
            let db = connection.sql()
            try await db.raw("BEGIN").run()
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                commits.add(1, ordering: .relaxed)
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    var poolStatus: PoolStatus {
        PoolStatus(connections: inUse.load(ordering: .relaxed), waitingWriters: 0, commits: commits.load(ordering: .relaxed))
    }

    func close() async {
        runTask.cancel()
        _ = await runTask.value
    }
}
