import Foundation
import KeelCore
import SQLKit
import Synchronization

/// The field history (hash chain) and the outbox.
public struct JournalStore: Sendable {
    public let dialect: SQLDialectKind

    public init(dialect: SQLDialectKind) {
        self.dialect = dialect
    }

    /// What the write in progress knows of the chain: whether it holds the chain's lock, and the hash it appended
    /// last (after that, nobody else can append before it commits). Set for each write by `KeelDatabase.write`, so a
    /// write that changes many records locks and reads the chain's head once.
    @TaskLocal static var chain: ChainState?

    final class ChainState: Sendable {
        let state = Mutex<(locked: Bool, head: String?)>((false, nil))
    }

    /// How a batch notes a record whose history it holds back, for a read of that history to write it first.
    static func tag(_ object: String, _ recordID: String) -> String { "field_history:\(object):\(recordID)" }

    /// Serialises appends to the hash chain until the transaction ends (a no-op on SQLite, whose writes are serial).
    public func lockChain(on db: any SQLDatabase) async throws {
        guard dialect == .postgres, Self.chain?.state.withLock({ $0.locked }) != true else { return }
        try await db.lockInstallation(7_120_002)
        Self.chain?.state.withLock { $0.locked = true }
    }

    /// The hash of the newest history entry, or "" for an empty history.
    public func lastHash(on db: any SQLDatabase) async throws -> String {
        if let head = Self.chain?.state.withLock({ $0.head }) { return head }
        return try await db.raw("SELECT hash FROM field_history ORDER BY seq DESC LIMIT 1").first()?.decode(column: "hash", as: String.self) ?? ""
    }

    /// Appends entries in one statement, in the order given.
    public func append(_ entries: [HistoryEntry], on db: any SQLDatabase) async throws {
        guard !entries.isEmpty else { return }
        let rows: [SQLQueryString] = entries.map { e in
            """
            (\(bind: e.changeID), \(bind: e.object), \(bind: e.recordID), \(bind: e.operation), \(bind: e.field),
             \(bind: e.oldValue.canonicalText()), \(bind: e.newValue.canonicalText()), \(bind: e.actor),
             \(bind: e.source), \(bind: e.at), \(bind: e.prevHash), \(bind: e.hash))
            """
        }
        try await WriteBatch.insert(into: "field_history", columns: ["change_id", "object", "record_id", "operation", "field", "old_value", "new_value",
                                                                   "actor", "source", "at", "prev_hash", "hash"], rows: rows,
                                    tags: entries.map { Self.tag($0.object, $0.recordID) }, on: db)
        if let last = entries.last { Self.chain?.state.withLock { $0.head = last.hash } }
    }

    public func history(recordID: String, object: String, on db: any SQLDatabase) async throws -> [HistoryEntry] {
        try await WriteBatch.flush(ifPending: [Self.tag(object, recordID)], on: db)
        return try await db.raw("""
            SELECT seq, change_id, object, record_id, operation, field, old_value, new_value, actor, source, at, prev_hash, hash
            FROM field_history WHERE record_id = \(bind: recordID) AND object = \(bind: object) ORDER BY seq
            """).all().map(decodeEntry)
    }

    /// The newest entries of some records of one object, newest first.
    public func recent(recordIDs: [String], object: String, limit: Int, on db: any SQLDatabase) async throws -> [HistoryEntry] {
        try await db.raw("""
            SELECT seq, change_id, object, record_id, operation, field, old_value, new_value, actor, source, at, prev_hash, hash
            FROM field_history WHERE record_id IN (\(binds: recordIDs)) AND object = \(bind: object) ORDER BY seq DESC LIMIT \(literal: limit)
            """).all().map(decodeEntry)
    }

    /// When a field last changed on each of some records of one object (record id → ISO time).
    public func lastChanges(field: String, object: String, recordIDs: [String], on db: any SQLDatabase) async throws -> [String: String] {
        guard !recordIDs.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT record_id, MAX(at) AS at FROM field_history
            WHERE record_id IN (\(binds: recordIDs)) AND object = \(bind: object) AND field = \(bind: field) GROUP BY record_id
            """).all()
        return Dictionary(try rows.map { (try $0.decode(column: "record_id", as: String.self), try $0.decode(column: "at", as: String.self)) },
                          uniquingKeysWith: max)
    }

    /// Entries in chain order, `limit` at a time after `afterSeq`.
    public func chain(afterSeq: Int64, limit: Int, on db: any SQLDatabase) async throws -> [HistoryEntry] {
        try await db.raw("""
            SELECT seq, change_id, object, record_id, operation, field, old_value, new_value, actor, source, at, prev_hash, hash
            FROM field_history WHERE seq > \(bind: afterSeq) ORDER BY seq LIMIT \(literal: limit)
            """).all().map(decodeEntry)
    }

    func decodeEntry(_ row: any SQLRow) throws -> HistoryEntry {
        HistoryEntry(
            seq: try row.decode(column: "seq", as: Int64.self),
            changeID: try row.decode(column: "change_id", as: String.self),
            object: try row.decode(column: "object", as: String.self),
            recordID: try row.decode(column: "record_id", as: String.self),
            operation: try row.decode(column: "operation", as: String.self),
            field: try row.decode(column: "field", as: String.self),
            oldValue: (try? JSONValue.parse(text: row.decode(column: "old_value", as: String.self))) ?? .null,
            newValue: (try? JSONValue.parse(text: row.decode(column: "new_value", as: String.self))) ?? .null,
            actor: try row.decode(column: "actor", as: String?.self),
            source: try row.decode(column: "source", as: String.self),
            at: try row.decode(column: "at", as: String.self),
            prevHash: try row.decode(column: "prev_hash", as: String.self),
            hash: try row.decode(column: "hash", as: String.self))
    }

    public func enqueue(_ event: OutboxEvent, on db: any SQLDatabase) async throws {
        let fields = JSONValue.array(event.changedFields.map(JSONValue.string)).canonicalText()
        try await WriteBatch.insert(into: "outbox", columns: ["id", "object", "record_id", "operation", "changed_fields", "at", "depth"], rows: ["""
            (\(bind: event.id), \(bind: event.object), \(bind: event.recordID), \(bind: event.operation), \(bind: fields), \(bind: event.at),
             \(bind: event.depth))
            """], on: db)
    }

    /// Events not yet processed, oldest first; with `lock`, locked for this transaction and skipped by other
    /// processes (PostgreSQL), so each event is dispatched once.
    public func pendingEvents(limit: Int, lock: Bool = false, on db: any SQLDatabase) async throws -> [OutboxEvent] {
        let skipLocked: SQLQueryString = lock && dialect == .postgres ? "FOR UPDATE SKIP LOCKED" : ""
        return try await db.raw("""
            SELECT id, object, record_id, operation, changed_fields, at, depth FROM outbox WHERE processed_at IS NULL
            ORDER BY seq LIMIT \(literal: limit) \(skipLocked)
            """).all().map { row in
            let fields = (try? JSONValue.parse(text: row.decode(column: "changed_fields", as: String.self)))?.arrayValue ?? []
            return OutboxEvent(
                id: try row.decode(column: "id", as: String.self), object: try row.decode(column: "object", as: String.self),
                recordID: try row.decode(column: "record_id", as: String.self), operation: try row.decode(column: "operation", as: String.self),
                changedFields: fields.compactMap(\.stringValue), at: try row.decode(column: "at", as: String.self),
                depth: try row.decode(column: "depth", as: Int.self))
        }
    }

    /// Removes events dispatched before `before` (the field history keeps every change).
    public func pruneProcessed(before: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM outbox WHERE processed_at IS NOT NULL AND processed_at < \(bind: before)").run()
    }

    public func markProcessed(_ ids: [String], at now: String, on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        try await db.raw("UPDATE outbox SET processed_at = \(bind: now) WHERE id IN (\(binds: ids))").run()
    }

    /// The entries one change wrote (the outbox event's id is the change id).
    public func change(_ changeID: String, on db: any SQLDatabase) async throws -> [HistoryEntry] {
        try await db.raw("""
            SELECT seq, change_id, object, record_id, operation, field, old_value, new_value, actor, source, at, prev_hash, hash
            FROM field_history WHERE change_id = \(bind: changeID) ORDER BY seq
            """).all().map(decodeEntry)
    }

    public func backlog(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM outbox WHERE processed_at IS NULL").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
