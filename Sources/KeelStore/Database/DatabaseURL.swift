import Foundation
import KeelCore

/// Where Keel keeps its data, from `KEEL_DATABASE_URL`: `sqlite:///abs/path.db`, `sqlite://rel.db`, a plain path,
/// or `postgres://user:password@host:port/database`.
public enum DatabaseURL: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(host: String, port: Int, user: String, password: String?, database: String, schema: String?)

    public static let defaultSQLite = DatabaseURL.sqlite(path: "./keel.db")

    public init(_ text: String) throws(KeelError) {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            guard let c = URLComponents(string: text), let host = c.host, !host.isEmpty else {
                throw KeelError(.badRequest, code: "invalid_database_url", message: "Cannot read the PostgreSQL URL \(text).")
            }
            let db = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
            let schema = c.queryItems?.first { $0.name == "schema" }?.value
            self = .postgres(host: host, port: c.port ?? 5432, user: c.user ?? "postgres",
                             password: c.password?.removingPercentEncoding ?? c.password,
                             database: db.isEmpty ? (c.user ?? "postgres") : db, schema: schema)
        } else if text.hasPrefix("sqlite://") {
            let path = String(text.dropFirst("sqlite://".count))
            guard !path.isEmpty else { throw KeelError(.badRequest, code: "invalid_database_url", message: "The SQLite URL names no file.") }
            self = .sqlite(path: path)
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if !text.contains("://"), !text.isEmpty {
            self = .sqlite(path: text)
        } else {
            throw KeelError(.badRequest, code: "invalid_database_url", message: "KEEL_DATABASE_URL must start with sqlite:// or postgres://.")
        }
    }

    /// The same server with another schema: tests use one schema each.
    public func with(schema: String) -> DatabaseURL {
        guard case let .postgres(h, p, u, pw, d, _) = self else { return self }
        return .postgres(host: h, port: p, user: u, password: pw, database: d, schema: schema)
    }
}
