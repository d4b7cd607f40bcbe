import KeelCore
import Logging
import NIOCore
import SQLKit
import Synchronization

/// Many records written in one transaction (an import's batch), their rows held back and inserted a table at a time,
/// many rows per statement: each statement is a round trip to the database's thread, which costs more than the row.
///
/// While a batch is `current` (inside `run`), `insert` holds rows back; a read that could see them writes them first
/// (`flush`), so what a write reads is what it would read without the batch. Each record's write is a `row`: when it
/// fails, its held-back rows are dropped (and what it wrote itself is rolled back) while the batch goes on. Answers that
/// cannot change within the transaction (a configuration's version, a user that exists) are asked once (`remembered`).
/// Reads of records by id are answered from memory (`records`) for the records the batch holds back, as they will be
/// written, and for those it read ahead (`remember`) until anything but an insert is written.
///
/// Once a row ends with enough rows held back, they are written in the background while the next rows are worked out
/// (`stream`): the database does its part on its own thread meanwhile. Every statement of the batch waits for that
/// write first (`settle`); a write that fails fails the batch.
public final class WriteBatch: Sendable {
    @TaskLocal static var current: WriteBatch?

    /// Rows per statement at most, and binds (SQLite allows 32,766 per statement, PostgreSQL 65,535).
    static let maxRows = 1_000, maxBinds = 30_000
    /// Held-back rows written in the background once a row ends with this many.
    static let streamAt = 1_000

    struct Insert {
        let table: String
        let columns: [String]
        let values: SQLQueryString
        /// The record this row is, under its tag.
        var record: (tag: String, value: Record)? = nil
    }

    private struct State {
        var pending: [Insert] = []
        /// The records among the held-back rows, by tag.
        var held: [String: Record] = [:]
        /// Records read ahead, by tag, as they are stored.
        var read: [String: Record] = [:]
        /// What the held-back rows hold that a read may ask for: their tables, and whatever their writers noted.
        var tags: Set<String> = []
        var memo: [String: any Sendable] = [:]
        /// Look-ups answered from memory: per tag, the values a read of it finds (`know`), kept current as rows are
        /// added or removed (`noteAdded`, `noteRemoved`).
        var known: [String: [String]] = [:]
        /// The row in progress: where its held-back rows begin, whether it took a savepoint (it flushed), and what it
        /// changed in `known` (undone when it fails).
        var row: (start: Int, savepoint: Bool)?
        var knownChanges: [(tag: String, value: String, added: Bool)] = []
        /// The held-back rows being written in the background (after those written before them).
        var writing: Task<Void, any Error>?

        /// Drops these held-back rows (written, or of a row that failed).
        mutating func drop(_ range: Range<Int>) {
            for insert in pending[range] { if let tag = insert.record?.tag { held[tag] = nil } }
            pending.removeSubrange(range)
        }
    }

    private let state = Mutex(State())

    public init() {}

    /// Runs `body` with this batch current, on the database as the batch sees it, then writes what it held back.
    public func run<T: Sendable>(on db: any SQLDatabase, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        try await Self.$current.withValue(self) {
            let value: T
            do {
                value = try await body(RowDatabase(base: db, batch: self))
            } catch {
                // Nothing may still be writing when the transaction goes on (or rolls back).
                try? await settle()
                throw error
            }
            try await flush(on: db)
            return value
        }
    }

    /// Waits for the rows being written in the background, failing as they failed.
    func settle() async throws {
        try await state.withLock { $0.writing }?.value
    }

    /// After a row, with enough rows held back: writes them in the background. Their records are answered from
    /// memory still, as read ahead, until something other than an insert is written.
    private func stream(on db: any SQLDatabase) {
        state.withLock { s in
            guard s.row == nil, s.pending.count >= Self.streamAt else { return }
            let inserts = s.pending, earlier = s.writing
            s.read.merge(s.held) { $1 }
            s.pending = []
            s.held = [:]
            s.tags = []
            s.writing = Task {
                try await earlier?.value
                try await Self.write(inserts, on: db)
            }
        }
    }

    /// One record's write within the batch, on the database `body` is given: when `body` throws, nothing it wrote
    /// stays, and the batch goes on. The row takes a savepoint only when it writes more than held-back rows, or flushes
    /// its own: most rows cost no statement of their own.
    public func row<T: Sendable>(on db: any SQLDatabase, _ body: (any SQLDatabase) async throws -> T) async throws -> T {
        let db = (db as? RowDatabase)?.base ?? db
        let head = JournalStore.chain?.state.withLock { $0.head }
        state.withLock { $0.row = (start: $0.pending.count, savepoint: false); $0.knownChanges = [] }
        do {
            let value = try await body(RowDatabase(base: db, batch: self))
            if state.withLock({ $0.row?.savepoint }) == true { try await db.raw("RELEASE SAVEPOINT batch_row").run() }
            state.withLock { $0.row = nil; $0.knownChanges = [] }
            stream(on: db)
            return value
        } catch {
            let savepoint = state.withLock { s in
                defer { s.row = nil; s.knownChanges = [] }
                for change in s.knownChanges.reversed() {
                    if change.added {
                        if let i = s.known[change.tag]?.lastIndex(of: change.value) { s.known[change.tag]!.remove(at: i) }
                    } else {
                        s.known[change.tag]?.append(change.value)
                    }
                }
                guard let row = s.row else { return false }
                s.drop(row.start..<s.pending.count)
                return row.savepoint
            }
            if savepoint {
                try await settle()
                try await db.raw("ROLLBACK TO SAVEPOINT batch_row").run()
                try await db.raw("RELEASE SAVEPOINT batch_row").run()
            }
            // The history chain goes on from the last entry that stays.
            JournalStore.chain?.state.withLock { $0.head = head }
            throw error
        }
    }

    /// Before the row in progress writes to the database itself: the earlier rows' held-back rows are written, then
    /// the row takes its savepoint (once).
    func enterSavepoint(on db: any SQLDatabase) async throws {
        let db = (db as? RowDatabase)?.base ?? db
        try await settle()
        let earlier = state.withLock { s -> [Insert]? in
            guard let row = s.row, !row.savepoint else { return nil }
            defer { s.drop(0..<row.start); s.row = (0, true) }
            return Array(s.pending[..<row.start])
        }
        guard let earlier else { return }
        try await Self.write(earlier, on: db)
        try await db.raw("SAVEPOINT batch_row").run()
    }

    /// Inserts rows into `table` (each `values` one parenthesised row of `columns`): held back while a batch is current,
    /// else at once, in one statement. `tags` name what a later read may ask for (see `flush(ifPending:)`).
    static func insert(into table: String, columns: [String], rows: [SQLQueryString], tags: [String] = [], on db: any SQLDatabase) async throws {
        guard !rows.isEmpty else { return }
        if let batch = current {
            batch.state.withLock { s in
                s.pending += rows.map { Insert(table: table, columns: columns, values: $0) }
                s.tags.insert(table)
                s.tags.formUnion(tags)
            }
            return
        }
        try await write(rows.map { Insert(table: table, columns: columns, values: $0) }, on: db)
    }

    /// Holds back a record's row (see `insert`), answering reads of it by its tag from memory until it is written.
    static func insert(_ record: Record, into table: String, columns: [String], row: SQLQueryString, tag: String, on db: any SQLDatabase) async throws {
        guard let batch = current else { return try await insert(into: table, columns: columns, rows: [row], on: db) }
        batch.state.withLock { s in
            s.pending.append(Insert(table: table, columns: columns, values: row, record: (tag, record)))
            s.held[tag] = record
            s.tags.formUnion([table, tag])
        }
    }

    /// The held-back or read-ahead records under these tags.
    static func records(_ tags: [String]) -> [Record] {
        current?.state.withLock { s in tags.compactMap { s.held[$0] ?? s.read[$0] } } ?? []
    }

    /// Records read ahead, by tag, for `records` to answer until something other than an insert is written.
    static func remember(_ records: [(tag: String, record: Record)]) {
        current?.state.withLock { s in for (tag, record) in records { s.read[tag] = record } }
    }

    /// A statement other than an insert may change what was read ahead.
    func forgetReadAhead() {
        state.withLock { $0.read = [:] }
    }

    /// Writes the held-back rows now if any of them is in `tag` (a table, or what its writer noted).
    static func flush(ifPending tags: [String], on db: any SQLDatabase) async throws {
        guard let batch = current, batch.state.withLock({ s in tags.contains(where: s.tags.contains) }) else { return }
        try await batch.flush(on: db)
    }

    /// Writes the held-back rows now, whatever they are.
    public static func flush(on db: any SQLDatabase) async throws {
        try await current?.flush(on: db)
    }

    /// `compute`'s answer, asked once per batch (none current: every time).
    static func remembered<T: Sendable>(_ key: String, _ compute: () async throws -> T) async throws -> T {
        guard let batch = current else { return try await compute() }
        if let known = batch.state.withLock({ $0.memo[key] }), let value = known as? T { return value }
        let value = try await compute()
        batch.state.withLock { $0.memo[key] = value }
        return value
    }

    /// Remembers what reads of these tags find (the batch's look-ups fetched at once), for `known` to answer them.
    static func know(_ found: [String: [String]]) {
        current?.state.withLock { s in s.known.merge(found) { $1 } }
    }

    /// What reads of these tags would find, when the batch knows every one of them; nil otherwise.
    static func known(_ tags: [String]) -> [[String]]? {
        current?.state.withLock { s in
            var out: [[String]] = []
            for tag in tags {
                guard let values = s.known[tag] else { return nil }
                out.append(values)
            }
            return out
        }
    }

    /// A value now found under each tag the batch knows.
    static func noteAdded(_ entries: [(tag: String, value: String)]) {
        current?.state.withLock { s in
            for (tag, value) in entries where s.known[tag] != nil {
                s.known[tag]!.append(value)
                if s.row != nil { s.knownChanges.append((tag, value, true)) }
            }
        }
    }

    /// These values no longer found under any known tag that begins with `prefix`.
    static func noteRemoved(_ values: Set<String>, under prefix: String) {
        current?.state.withLock { s in
            for (tag, found) in s.known where tag.hasPrefix(prefix) && found.contains(where: values.contains) {
                s.known[tag] = found.filter { !values.contains($0) }
                if s.row != nil { for value in found where values.contains(value) { s.knownChanges.append((tag, value, false)) } }
            }
        }
    }

    /// Forgets a `remembered` answer (what it answered has changed).
    static func forget(_ key: String) {
        current?.state.withLock { _ = $0.memo.removeValue(forKey: key) }
    }

    /// Writes everything held back (within a row, after its savepoint: see `enterSavepoint`).
    func flush(on db: any SQLDatabase) async throws {
        let db = (db as? RowDatabase)?.base ?? db
        try await settle()
        let own = state.withLock { s in s.row.map { !$0.savepoint && $0.start < s.pending.count } ?? false }
        if own { try await enterSavepoint(on: db) }
        let all = state.withLock { s in
            defer { s.pending = []; s.held = [:]; s.tags = []; if s.row != nil { s.row!.start = 0 } }
            return s.pending
        }
        try await Self.write(all, on: db)
    }

    /// Inserts grouped by table and columns, in the order each group first appears, many rows per statement.
    static func write(_ inserts: [Insert], on db: any SQLDatabase) async throws {
        var groups: [[Insert]] = [], index: [String: Int] = [:]
        for insert in inserts {
            let key = insert.table + "\u{1}" + insert.columns.joined(separator: ",")
            if let i = index[key] { groups[i].append(insert) } else { index[key] = groups.count; groups.append([insert]) }
        }
        for group in groups {
            let first = group[0], perStatement = max(1, min(maxRows, maxBinds / max(1, first.columns.count)))
            for start in stride(from: 0, to: group.count, by: perStatement) {
                let values = group[start..<min(group.count, start + perStatement)].map(\.values)
                try await db.raw("INSERT INTO \(name: first.table) (\(names: first.columns, joinedBy: ", ")) VALUES \(values.joined(separator: ", "))").run()
            }
        }
    }
}

/// The database as a batch sees it: each statement waits for what is being written in the background; one that is not
/// a read forgets the records read ahead, and within a row, before its first such statement, the row takes its
/// savepoint (`WriteBatch.enterSavepoint`).
struct RowDatabase: SQLDatabase {
    let base: any SQLDatabase
    let batch: WriteBatch

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { base.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) -> EventLoopFuture<Void> {
        eventLoop.makeFutureWithTask { try await execute(sql: query, onRow) }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> ()) async throws {
        try await batch.settle()
        let sql = base.serialize(query).sql.drop { $0 == " " || $0 == "\n" }
        if !sql.prefix(6).uppercased().hasPrefix("SELECT") {
            batch.forgetReadAhead()
            try await batch.enterSavepoint(on: base)
        }
        try await base.execute(sql: query, onRow)
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await closure(self)
    }
}
