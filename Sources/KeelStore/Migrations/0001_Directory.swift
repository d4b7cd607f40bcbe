import SQLKit

extension Migration {
    /// Users, departments (a tree with managers) and API tokens (stored as SHA-256 hashes).
    static let m0001Directory = Migration(name: "0001_directory") { d in
        [
            """
            CREATE TABLE departments (
                id TEXT PRIMARY KEY,
                name TEXT NOT NULL UNIQUE,
                parent_id TEXT REFERENCES departments(id),
                manager_id TEXT,
                created_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE users (
                id TEXT PRIMARY KEY,
                email TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL,
                department_id TEXT REFERENCES departments(id),
                manager_id TEXT REFERENCES users(id),
                status TEXT NOT NULL,
                failed_logins INTEGER NOT NULL DEFAULT 0,
                locked_until TEXT,
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )
            """,
            """
            CREATE TABLE api_tokens (
                id TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                token_hash TEXT NOT NULL UNIQUE,
                name TEXT NOT NULL,
                created_at TEXT NOT NULL,
                last_used_at TEXT,
                expires_at TEXT,
                revoked_at TEXT
            )
            """,
            "CREATE INDEX ix_api_tokens_user ON api_tokens (user_id)",
        ]
    }
}
