import SQLKit

extension Migration {
    /// Custom objects and custom fields, and a counter bumped on every metadata change so that
    /// every Keel process notices new fields at once.
    static let m0002Metadata = Migration(name: "0002_metadata") { d in
        [
            """
            CREATE TABLE object_definitions (
                name TEXT PRIMARY KEY,
                labels TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT
            )
            """,
            """
            CREATE TABLE field_definitions (
                object TEXT NOT NULL,
                name TEXT NOT NULL,
                type TEXT NOT NULL,
                labels TEXT NOT NULL,
                required \(unsafeRaw: d.booleanType) NOT NULL,
                options TEXT,
                target TEXT,
                max_length INTEGER,
                position INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT,
                PRIMARY KEY (object, name)
            )
            """,
            "CREATE TABLE metadata_version (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
            "INSERT INTO metadata_version (id, version) VALUES (1, 0)",
        ]
    }
}
