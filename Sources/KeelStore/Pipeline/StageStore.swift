import Foundation
import KeelCore
import SQLKit

/// Stage history: each record's transitions and the moves its gates refused.
public struct StageStore: Sendable {
    public init() {}

    static let columns = "id, object, record_id, pipeline, from_stage, to_stage, at, actor, source, reason, seconds_in_stage, working_seconds_in_stage, back, first_time, owner, amount, expected_close"

    public func insert(_ t: StageTransition, on db: any SQLDatabase) async throws {
        try await insert([t], on: db)
    }

    /// Many transitions in one statement per 500 (a demo's or an import's history).
    public func insert(_ transitions: [StageTransition], on db: any SQLDatabase) async throws {
        for chunk in stride(from: 0, to: transitions.count, by: 500).map({ transitions[$0..<min($0 + 500, transitions.count)] }) {
            let rows = chunk.map { t in
                SQLQueryString("""
                    (\(bind: t.id), \(bind: t.object), \(bind: t.recordID), \(bind: t.pipeline), \(bind: t.from), \(bind: t.to), \(bind: t.at),
                     \(bind: t.actor), \(bind: t.source), \(bind: t.reason), \(bind: t.secondsInStage), \(bind: t.workingSecondsInStage),
                     \(bind: t.back ? 1 : 0), \(bind: t.firstTime ? 1 : 0), \(bind: t.owner), \(bind: t.amount), \(bind: t.expectedClose))
                    """)
            }
            try await db.raw("INSERT INTO stage_transitions (\(unsafeRaw: Self.columns)) VALUES \(SQLList(rows))").run()
        }
    }

    /// The transitions of these records, oldest first.
    public func transitions(object: String, recordIDs: [String], on db: any SQLDatabase) async throws -> [StageTransition] {
        var out: [StageTransition] = []
        for chunk in stride(from: 0, to: recordIDs.count, by: 500).map({ Array(recordIDs[$0..<min($0 + 500, recordIDs.count)]) }) {
            out += try await db.raw("""
                SELECT \(unsafeRaw: Self.columns) FROM stage_transitions WHERE object = \(bind: object) AND record_id IN (\(binds: chunk)) ORDER BY at, id
                """).all().map(decode)
        }
        return out
    }

    /// The latest transition of each record (when it entered the stage it is in).
    public func latest(object: String, recordIDs: [String], on db: any SQLDatabase) async throws -> [String: StageTransition] {
        guard !recordIDs.isEmpty else { return [:] }
        var out: [String: StageTransition] = [:]
        for row in try await db.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM stage_transitions t WHERE object = \(bind: object) AND record_id IN (\(binds: recordIDs))
            AND at = (SELECT MAX(at) FROM stage_transitions u WHERE u.object = t.object AND u.record_id = t.record_id)
            """).all() {
            let t = try decode(row)
            if let seen = out[t.recordID], seen.id > t.id { continue }
            out[t.recordID] = t
        }
        return out
    }

    /// Every record's moves, for forecasts: only what they read, a page of rows at a time, owners and stages shared.
    public func timelines(object: String, on db: any SQLDatabase) async throws -> [DealTimeline] {
        var out: [DealTimeline] = [], shared: [String: String] = [:]
        func intern(_ s: String?) -> String? {
            guard let s else { return nil }
            if let known = shared[s] { return known }
            shared[s] = s
            return s
        }
        var after: (record: String, at: String, id: String)?
        while true {
            let cursor: SQLQueryString = after.map { "AND (record_id, at, id) > (\(bind: $0.record), \(bind: $0.at), \(bind: $0.id))" } ?? ""
            let rows = try await db.raw("""
                SELECT id, record_id, to_stage, at, owner, amount, expected_close FROM stage_transitions WHERE object = \(bind: object) \(cursor)
                ORDER BY record_id, at, id LIMIT 50000
                """).all()
            for row in rows {
                let record = try row.decode(column: "record_id", as: String.self), at = try row.decode(column: "at", as: String.self)
                let move = DealTimeline.Move(stage: intern(try row.decode(column: "to_stage", as: String.self))!, at: ValueFormats.parseDateTime(at) ?? .distantPast,
                                             owner: intern(try row.decode(column: "owner", as: String?.self)), amount: try row.decode(column: "amount", as: Double?.self),
                                             expectedClose: try row.decode(column: "expected_close", as: String?.self))
                if out.last?.id == record { out[out.count - 1].moves.append(move) } else { out.append(DealTimeline(id: record, moves: [move])) }
                after = (record, at, try row.decode(column: "id", as: String.self))
            }
            if rows.count < 50_000 { return out }
        }
    }

    /// Records of `table` still in `stage` that entered it before `before` (their latest move), with when and who owns them.
    public func inStage(object: String, table: String, stageField: String, stage: String, enteredBefore before: String,
                        on db: any SQLDatabase) async throws -> [(id: String, name: String?, owner: String?, since: String)] {
        try await db.raw("""
            SELECT t.record_id, t.at, r.owner, r.name FROM stage_transitions t JOIN \(ident: table) r ON r.id = t.record_id
            WHERE t.object = \(bind: object) AND t.to_stage = \(bind: stage) AND r.\(ident: stageField) = \(bind: stage) AND t.at < \(bind: before)
            AND t.at = (SELECT MAX(u.at) FROM stage_transitions u WHERE u.object = t.object AND u.record_id = t.record_id)
            """).all().map { row in
            (try row.decode(column: "record_id", as: String.self), try row.decode(column: "name", as: String?.self),
             try row.decode(column: "owner", as: String?.self), try row.decode(column: "at", as: String.self))
        }
    }

    /// Advances (forward moves, not a record's first stage) since `since` per actor and stage: how many, and how many met
    /// the gate at the first attempt.
    public func advances(object: String, since: String, actor: String?, on db: any SQLDatabase) async throws -> [(actor: String, stage: String, count: Int, firstTime: Int)] {
        let who: SQLQueryString = actor.map { "AND actor = \(bind: $0)" } ?? ""
        return try await db.raw("""
            SELECT actor, to_stage, COUNT(*) AS n, SUM(first_time) AS first FROM stage_transitions
            WHERE object = \(bind: object) AND back = 0 AND from_stage IS NOT NULL AND at >= \(bind: since) \(who)
            GROUP BY actor, to_stage ORDER BY actor, to_stage
            """).all().map { row in
            (try row.decode(column: "actor", as: String.self), try row.decode(column: "to_stage", as: String.self),
             try row.decode(column: "n", as: Int.self), try row.decode(column: "first", as: Int.self))
        }
    }

    /// How many moves back the record made since `since`.
    public func backMoves(object: String, recordID: String, since: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM stage_transitions WHERE object = \(bind: object) AND record_id = \(bind: recordID) AND back = 1 AND at >= \(bind: since)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public func refuse(object: String, recordID: String, to stage: String, actor: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO stage_refusals (object, record_id, to_stage, actor, at) VALUES (\(bind: object), \(bind: recordID), \(bind: stage), \(bind: actor), \(bind: at))
            """).run()
    }

    /// Whether a move into `stage` was refused since `since` (the record's latest move).
    public func wasRefused(object: String, recordID: String, to stage: String, since: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            SELECT 1 AS x FROM stage_refusals WHERE object = \(bind: object) AND record_id = \(bind: recordID) AND to_stage = \(bind: stage)
            AND at >= \(bind: since)
            """).first() != nil
    }

    func decode(_ row: any SQLRow) throws -> StageTransition {
        StageTransition(id: try row.decode(column: "id", as: String.self), object: try row.decode(column: "object", as: String.self),
                        recordID: try row.decode(column: "record_id", as: String.self), pipeline: try row.decode(column: "pipeline", as: String.self),
                        from: try row.decode(column: "from_stage", as: String?.self), to: try row.decode(column: "to_stage", as: String.self),
                        at: try row.decode(column: "at", as: String.self), actor: try row.decode(column: "actor", as: String.self),
                        source: try row.decode(column: "source", as: String.self), reason: try row.decode(column: "reason", as: String?.self),
                        secondsInStage: try row.decode(column: "seconds_in_stage", as: Int?.self),
                        workingSecondsInStage: try row.decode(column: "working_seconds_in_stage", as: Int?.self),
                        back: try row.decode(column: "back", as: Int.self) != 0, firstTime: try row.decode(column: "first_time", as: Int.self) != 0,
                        owner: try row.decode(column: "owner", as: String?.self), amount: try row.decode(column: "amount", as: Double?.self),
                        expectedClose: try row.decode(column: "expected_close", as: String?.self))
    }
}
