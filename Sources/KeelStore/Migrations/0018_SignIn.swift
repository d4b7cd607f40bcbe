import Foundation
import KeelCore
import SQLKit

extension Migration {
    /// Failed password attempts per key (SHA-256 of an e-mail, an address, a pair or a step-up), and the addresses each
    /// user has signed in from: the sign-in throttle's memory, shared by every Keel process. Tokens issued before
    /// tokens expired get the default 90 days from now.
    static let m0018SignIn = Migration(name: "0018_sign_in") { _ in
        [
            "UPDATE api_tokens SET expires_at = \(bind: ValueFormats.formatDateTime(Date() + 90 * 24 * 60 * 60)) WHERE expires_at IS NULL",
            "CREATE TABLE sign_in_failures (key TEXT PRIMARY KEY, failures INTEGER NOT NULL, last_at TEXT NOT NULL)",
            // Forgotten failures are purged at each new one: a range of this index, not a scan of every key sprayed.
            "CREATE INDEX ix_sign_in_failures_last ON sign_in_failures (last_at)",
            """
            CREATE TABLE sign_in_addresses (
                user_id TEXT NOT NULL REFERENCES users(id),
                address TEXT NOT NULL,
                last_at TEXT NOT NULL,
                PRIMARY KEY (user_id, address)
            )
            """,
        ]
    }
}
