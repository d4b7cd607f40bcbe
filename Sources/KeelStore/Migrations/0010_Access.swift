import SQLKit

extension Migration {
    /// Attribute-based access: users' rank, versioned policy documents, sensitivity levels of objects and fields,
    /// requests for access to secret (L4) records, step-up marks on sessions and tokens, and the audit log.
    static let m0010Access = Migration(name: "0010_access") { _ in
        // Members' lists are "records I own, in some order": (owner, id) lets the index give them in id order.
        ownerIndexes + [
            "ALTER TABLE users ADD COLUMN level INTEGER NOT NULL DEFAULT 1",
            "ALTER TABLE users ADD COLUMN last_active_at TEXT",
            """
            CREATE TABLE access_policies (
                version INTEGER PRIMARY KEY,
                document TEXT NOT NULL,
                created_at TEXT NOT NULL,
                created_by TEXT
            )
            """,
            """
            CREATE TABLE sensitivity_levels (
                object TEXT NOT NULL,
                field TEXT NOT NULL,
                level INTEGER NOT NULL,
                PRIMARY KEY (object, field)
            )
            """,
            """
            CREATE TABLE access_requests (
                id TEXT PRIMARY KEY,
                object TEXT NOT NULL,
                record_id TEXT NOT NULL,
                requester TEXT NOT NULL REFERENCES users(id),
                approver TEXT NOT NULL REFERENCES users(id),
                reason TEXT NOT NULL,
                status TEXT NOT NULL,
                comment TEXT,
                created_at TEXT NOT NULL,
                decided_at TEXT,
                expires_at TEXT
            )
            """,
            "CREATE INDEX ix_access_requests_requester ON access_requests (requester, object, status)",
            "ALTER TABLE sessions ADD COLUMN step_up_at TEXT",
            "ALTER TABLE api_tokens ADD COLUMN step_up_at TEXT",
            """
            CREATE TABLE audit_log (
                id TEXT PRIMARY KEY,
                at TEXT NOT NULL,
                actor TEXT,
                action TEXT NOT NULL,
                object TEXT,
                record_id TEXT,
                detail TEXT NOT NULL
            )
            """,
            "CREATE INDEX ix_audit_log_at ON audit_log (at)",
            "CREATE INDEX ix_audit_log_actor ON audit_log (actor, at)",
        ]
    }

    static let ownerIndexes: [SQLQueryString] = [
        ("accounts", "owner"), ("contacts", "owner"), ("leads", "owner"), ("opportunities", "owner"), ("activities", "owner"), ("tasks", "assignee"),
    ].flatMap { table, column -> [SQLQueryString] in
        ["DROP INDEX \(name: "ix_\(table)_\(column)")", "CREATE INDEX \(name: "ix_\(table)_\(column)_id") ON \(name: table) (\(name: column), id)"]
    } + ["CREATE INDEX ix_custom_records_owner_id ON custom_records (object, owner, id)"]
}
