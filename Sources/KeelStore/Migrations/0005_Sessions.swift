import SQLKit

extension Migration {
    /// Browser sessions: the cookie's SHA-256, the CSRF token, idle and absolute expiry, the chosen language.
    static let m0005Sessions = Migration(name: "0005_sessions") { _ in
        [
            """
            CREATE TABLE sessions (
                id_hash TEXT PRIMARY KEY,
                user_id TEXT NOT NULL REFERENCES users(id),
                csrf TEXT NOT NULL,
                locale TEXT,
                created_at TEXT NOT NULL,
                last_seen_at TEXT NOT NULL,
                expires_at TEXT NOT NULL
            )
            """,
            "CREATE INDEX ix_sessions_user ON sessions (user_id)",
        ]
    }
}
