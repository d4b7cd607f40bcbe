import SQLKit

extension Migration {
    /// The field history (hash-chained), the outbox, and idempotency keys of API requests.
    static let m0003Journal = Migration(name: "0003_journal") { d in
        [
            """
            CREATE TABLE field_history (
                seq \(unsafeRaw: d.autoIncrementPrimaryKey),
                change_id TEXT NOT NULL,
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                operation TEXT NOT NULL,
                field TEXT NOT NULL,
                old_value TEXT NOT NULL,
                new_value TEXT NOT NULL,
                actor TEXT,
                source TEXT NOT NULL,
                at TEXT NOT NULL,
                prev_hash TEXT NOT NULL,
                hash TEXT NOT NULL
            )
            """,
            "CREATE INDEX ix_field_history_record ON field_history (record_id, seq)",
            """
            CREATE TABLE outbox (
                seq \(unsafeRaw: d.autoIncrementPrimaryKey),
                id TEXT NOT NULL UNIQUE,
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                operation TEXT NOT NULL,
                changed_fields TEXT NOT NULL,
                at TEXT NOT NULL,
                processed_at TEXT
            )
            """,
            "CREATE INDEX ix_outbox_pending ON outbox (processed_at, seq)",
            """
            CREATE TABLE idempotency_keys (
                user_id TEXT NOT NULL,
                key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                response TEXT NOT NULL,
                created_at TEXT NOT NULL,
                PRIMARY KEY (user_id, key)
            )
            """,
        ]
    }
}
