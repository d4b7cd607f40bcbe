import SQLKit

extension Migration {
    /// What the business registry last said about an account, and when.
    static let m0017Registry = Migration(name: "0017_registry") { _ in
        [
            "ALTER TABLE accounts ADD COLUMN registry_status TEXT",
            "ALTER TABLE accounts ADD COLUMN registered_capital TEXT",
            "ALTER TABLE accounts ADD COLUMN registry_checked_at TEXT",
        ]
    }
}
