import SQLKit

extension Migration {
    /// Formula fields (their expression next to the field), default values of custom fields, and validation rules.
    static let m0011Formulas = Migration(name: "0011_formulas") { _ in
        [
            "ALTER TABLE field_definitions ADD COLUMN expression TEXT",
            "ALTER TABLE field_definitions ADD COLUMN default_value TEXT",
            """
            CREATE TABLE validation_rules (
                object TEXT NOT NULL,
                name TEXT NOT NULL,
                expression TEXT NOT NULL,
                message TEXT NOT NULL,
                position INTEGER NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT,
                PRIMARY KEY (object, name)
            )
            """,
        ]
    }
}
