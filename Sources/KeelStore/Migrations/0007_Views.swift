import SQLKit

extension Migration {
    /// Saved list views: columns, filters and sort as JSON text, personal or shared.
    static let m0007Views = Migration(name: "0007_views") { dialect in
        [
            """
            CREATE TABLE saved_views (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                name TEXT NOT NULL,
                owner_id TEXT NOT NULL REFERENCES users(id),
                shared \(unsafeRaw: dialect.booleanType) NOT NULL,
                columns TEXT NOT NULL,
                filters TEXT NOT NULL,
                sort TEXT,
                created_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX ix_saved_views_object ON saved_views (object, owner_id)",
        ]
    }
}
