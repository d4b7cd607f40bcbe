import SQLKit

extension Migration {
    /// Merges (what each one changed, so it can be undone), pairs people said are not duplicates, and the extra
    /// phones and e-mails a merged record brings to its survivor.
    static let m0015Merges = Migration(name: "0015_merges") { _ in
        [
            """
            CREATE TABLE merges (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                survivor_id TEXT NOT NULL,
                snapshot TEXT NOT NULL,
                merged_at TEXT NOT NULL,
                merged_by TEXT NOT NULL,
                undone_at TEXT,
                undone_by TEXT
            )
            """,
            "CREATE INDEX ix_merges_survivor ON merges (object, survivor_id)",
            """
            CREATE TABLE distinct_pairs (
                object TEXT NOT NULL,
                a_id TEXT NOT NULL,
                b_id TEXT NOT NULL,
                marked_at TEXT NOT NULL,
                marked_by TEXT NOT NULL,
                PRIMARY KEY (object, a_id, b_id)
            )
            """,
            "CREATE INDEX ix_distinct_pairs_b ON distinct_pairs (object, b_id)",
        ] + ["accounts", "contacts", "leads"].flatMap { table -> [SQLQueryString] in
            ["ALTER TABLE \(name: table) ADD COLUMN other_phones TEXT", "ALTER TABLE \(name: table) ADD COLUMN other_emails TEXT"]
        }
    }
}
