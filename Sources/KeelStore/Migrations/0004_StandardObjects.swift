import KeelCore
import SQLKit

extension Migration {
    /// One table per standard object with a typed column per field, plus `custom_records` for custom objects.
    /// The columns are written out here, not derived from `StandardObjects`, so this migration never changes.
    static let m0004StandardObjects = Migration(name: "0004_standard_objects") { d in
        let tables: [(String, [(String, FieldType)], [String])] = [
            ("accounts", [("name", .text), ("credit_code", .text), ("industry", .text), ("province", .text),
                          ("city", .text), ("address", .text), ("legal_representative", .text), ("size", .text),
                          ("website", .text), ("phone", .text), ("email", .text), ("owner", .text), ("department", .text)],
             ["name", "credit_code", "owner"]),
            ("contacts", [("name", .text), ("title", .text), ("role", .text), ("phone", .text), ("mobile", .text),
                          ("email", .text), ("account", .text), ("wechat_id", .text), ("owner", .text)],
             ["name", "account", "owner", "phone", "email"]),
            ("leads", [("name", .text), ("company", .text), ("phone", .text), ("email", .text), ("channel", .text),
                       ("utm_source", .text), ("utm_medium", .text), ("utm_campaign", .text), ("utm_term", .text),
                       ("utm_content", .text), ("region", .text), ("industry", .text), ("status", .text),
                       ("owner", .text), ("score", .number)],
             ["name", "owner", "status", "phone", "email"]),
            ("opportunities", [("name", .text), ("account", .text), ("amount", .money), ("currency", .text),
                               ("stage", .text), ("expected_close_date", .text), ("probability", .percent), ("owner", .text)],
             ["account", "owner", "stage"]),
            ("activities", [("type", .text), ("subject", .text), ("body", .text), ("related_to", .text),
                            ("occurred_at", .text), ("next_step", .text), ("owner", .text)],
             ["related_to", "owner"]),
            ("tasks", [("subject", .text), ("due", .text), ("assignee", .text), ("status", .text),
                       ("related_to", .text), ("description", .text)],
             ["assignee", "related_to"]),
        ]
        var statements = Migration.recordTables(d, tables)
        statements.append("""
            CREATE TABLE custom_records (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                version BIGINT NOT NULL,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                created_by TEXT,
                updated_by TEXT,
                name TEXT,
                owner TEXT,
                custom \(unsafeRaw: d.jsonColumnType) NOT NULL DEFAULT '{}'
            )
            """)
        statements.append("CREATE INDEX ix_custom_records_object ON custom_records (object, id)")
        statements.append("CREATE INDEX ix_custom_records_name ON custom_records (object, name)")
        return statements
    }
}
