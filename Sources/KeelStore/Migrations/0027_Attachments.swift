import SQLKit

extension Migration {
    /// Files attached to records; the bytes live on disk under their SHA-256.
    static let m0027Attachments = Migration(name: "0027_attachments") { _ in
        [
            """
            CREATE TABLE attachments (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                sha256 TEXT NOT NULL,
                size BIGINT NOT NULL,
                content_type TEXT NOT NULL,
                filename TEXT NOT NULL,
                kind TEXT NOT NULL,
                uploaded_by TEXT NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX attachments_record ON attachments (object, record_id, at)",
        ]
    }
}
