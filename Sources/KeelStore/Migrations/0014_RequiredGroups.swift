import SQLKit

extension Migration {
    /// Required field groups: fields an object's records must have, always or while a field holds certain values.
    static let m0014RequiredGroups = Migration(name: "0014_required_groups") { _ in
        [
            """
            CREATE TABLE required_groups (
                object TEXT NOT NULL,
                name TEXT NOT NULL,
                definition TEXT NOT NULL,
                position INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT,
                PRIMARY KEY (object, name)
            )
            """,
        ]
    }
}
