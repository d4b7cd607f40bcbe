import SQLKit

extension Migration {
    /// Search keys: normalised phones, emails and credit codes of every record (see `SearchKey`).
    /// Keys compare byte by byte (`COLLATE "C"` on PostgreSQL) so that a prefix is a range of the primary key.
    static let m0006Search = Migration(name: "0006_search") { dialect in
        [
            "CREATE TABLE search_keys (key TEXT \(unsafeRaw: dialect == .postgres ? "COLLATE \"C\" " : "")NOT NULL, object TEXT NOT NULL, record_id TEXT NOT NULL, PRIMARY KEY (key, object, record_id))",
            "CREATE INDEX ix_search_keys_record ON search_keys (record_id)",
        ]
    }
}
