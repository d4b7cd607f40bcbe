import SQLKit

extension Migration {
    /// Batch duplicate searches over an object's records, and the review queue of the clusters they found.
    static let m0016DedupRuns = Migration(name: "0016_dedup_runs") { _ in
        [
            """
            CREATE TABLE dedup_runs (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                status TEXT NOT NULL,
                phase TEXT NOT NULL,
                done INTEGER NOT NULL,
                total INTEGER NOT NULL,
                stats TEXT,
                error TEXT,
                created_at TEXT NOT NULL,
                created_by TEXT NOT NULL,
                finished_at TEXT
            )
            """,
            "CREATE INDEX ix_dedup_runs_object ON dedup_runs (object, created_at)",
            """
            CREATE TABLE dedup_clusters (
                id TEXT PRIMARY KEY,
                run_id TEXT NOT NULL,
                object TEXT NOT NULL,
                signature TEXT NOT NULL UNIQUE,
                record_ids TEXT NOT NULL,
                score DOUBLE PRECISION NOT NULL,
                evidence TEXT NOT NULL,
                status TEXT NOT NULL,
                decided_at TEXT,
                decided_by TEXT,
                merge_id TEXT,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX ix_dedup_clusters_queue ON dedup_clusters (object, status, score)",
        ]
    }
}
