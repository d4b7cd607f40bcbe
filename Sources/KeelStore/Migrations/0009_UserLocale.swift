import SQLKit

extension Migration {
    /// The language a user chose in the web app, kept across sessions.
    static let m0009UserLocale = Migration(name: "0009_user_locale") { _ in
        ["ALTER TABLE users ADD COLUMN locale TEXT"]
    }
}
