import SQLKit

extension Migration {
    /// Imports of files into objects, and each row's result (what it made or changed, and its problems), kept for the
    /// report and for taking an import back.
    static let m0030Imports = Migration(name: "0030_imports") { _ in
        [
            """
            CREATE TABLE imports (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                filename TEXT NOT NULL,
                path TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                plan TEXT NOT NULL,
                dry_run BIGINT NOT NULL,
                status TEXT NOT NULL,
                total_rows BIGINT NOT NULL,
                done_rows BIGINT NOT NULL,
                last_row BIGINT NOT NULL,
                n_created BIGINT NOT NULL,
                n_updated BIGINT NOT NULL,
                n_merged BIGINT NOT NULL,
                n_skipped BIGINT NOT NULL,
                n_failed BIGINT NOT NULL,
                problem TEXT,
                created_by TEXT NOT NULL,
                created_at TEXT NOT NULL,
                finished_at TEXT,
                reverted_at TEXT,
                reverted_by TEXT,
                revert_report TEXT
            )
            """,
            "CREATE INDEX imports_status ON imports (status, created_at)",
            """
            CREATE TABLE import_rows (
                import_id TEXT NOT NULL,
                row_number BIGINT NOT NULL,
                outcome TEXT NOT NULL,
                record_id TEXT,
                matched_id TEXT,
                version BIGINT,
                changes TEXT,
                problems TEXT,
                PRIMARY KEY (import_id, row_number)
            )
            """,
        ]
    }
}
