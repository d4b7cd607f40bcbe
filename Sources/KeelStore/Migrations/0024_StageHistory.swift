import SQLKit

extension Migration {
    /// Every stage move of every record (the stage history forecasts learn from), and each move a gate refused (so an
    /// advance can be told to have met its gate at the first attempt).
    static let m0024StageHistory = Migration(name: "0024_stage_history") { d in
        [
            """
            CREATE TABLE stage_transitions (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                pipeline TEXT NOT NULL,
                from_stage TEXT,
                to_stage TEXT NOT NULL,
                at TEXT NOT NULL,
                actor TEXT NOT NULL,
                source TEXT NOT NULL,
                reason TEXT,
                seconds_in_stage BIGINT,
                working_seconds_in_stage BIGINT,
                back INTEGER NOT NULL,
                first_time INTEGER NOT NULL,
                owner TEXT,
                expected_close TEXT,
                amount \(unsafeRaw: d.columnType(.number))
            )
            """,
            "CREATE INDEX stage_transitions_record ON stage_transitions (object, record_id, at)",
            "CREATE INDEX stage_transitions_at ON stage_transitions (object, at)",
            """
            CREATE TABLE stage_refusals (
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                to_stage TEXT NOT NULL,
                actor TEXT NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX stage_refusals_record ON stage_refusals (object, record_id, to_stage)",
        ]
    }
}
