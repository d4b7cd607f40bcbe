import SQLKit

extension Migration {
    /// The duplicate-check index: each record's identity keys (normalised name, trade name, credit code, phone…),
    /// so that the candidates for a new record are found with one indexed look-up.
    static let m0013MatchKeys = Migration(name: "0013_match_keys") { _ in
        [
            """
            CREATE TABLE match_keys (
                object TEXT NOT NULL,
                key TEXT NOT NULL,
                record_id TEXT NOT NULL,
                PRIMARY KEY (object, key, record_id)
            )
            """,
            "CREATE INDEX ix_match_keys_record ON match_keys (object, record_id)",
        ]
    }
}
