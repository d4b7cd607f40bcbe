import SQLKit

extension Migration {
    /// Mappings saved under a name, one name per object.
    static let m0031ImportMappings = Migration(name: "0031_import_mappings") { _ in
        [
            """
            CREATE TABLE import_mappings (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                name TEXT NOT NULL,
                plan TEXT NOT NULL,
                created_by TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                UNIQUE (object, name)
            )
            """,
        ]
    }
}
