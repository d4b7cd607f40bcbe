import SQLKit

extension SQLDatabase {
    /// Takes a PostgreSQL transaction-level advisory lock for this installation: `key` names what it serialises
    /// (migrations, history chain, policies) and the schema names the installation, so Keels in other schemas of the
    /// same database never wait on it.
    func lockInstallation(_ key: Int32) async throws {
        try await raw("SELECT pg_advisory_xact_lock(\(literal: Int(key)), hashtext(current_schema()))").run()
    }
}
