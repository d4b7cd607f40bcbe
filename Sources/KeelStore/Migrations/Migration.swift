import Foundation
import KeelCore
import SQLKit

/// A named, forward-only schema change. Once released a migration never changes; new needs get new migrations.
public struct Migration: Sendable {
    public let name: String
    public let statements: @Sendable (SQLDialectKind) -> [SQLQueryString]

    /// The tables of standard objects: the system columns, a typed column per field, the JSON column of custom fields,
    /// an index per named column. Migrations already released call this: what it writes never changes.
    static func recordTables(_ d: SQLDialectKind, _ tables: [(table: String, columns: [(String, FieldType)], indexed: [String])]) -> [SQLQueryString] {
        var statements: [SQLQueryString] = []
        for (table, columns, indexed) in tables {
            let columnSQL = columns.map { "\(name: $0.0) \(unsafeRaw: d.columnType($0.1))" as SQLQueryString }
            statements.append("""
                CREATE TABLE \(name: table) (
                    id TEXT PRIMARY KEY,
                    version BIGINT NOT NULL,
                    created_at TEXT NOT NULL,
                    updated_at TEXT NOT NULL,
                    created_by TEXT,
                    updated_by TEXT,
                    \(columnSQL.joined(separator: ",\n    ")),
                    custom \(unsafeRaw: d.jsonColumnType) NOT NULL DEFAULT '{}'
                )
                """)
            for column in indexed {
                statements.append("CREATE INDEX \(name: "ix_\(table)_\(column)") ON \(name: table) (\(name: column))")
            }
        }
        return statements
    }
}

/// Applies pending migrations in order, each in its own transaction, and records them in `keel_migrations`.
public enum Migrator {
    public static let all: [Migration] = [.m0001Directory, .m0002Metadata, .m0003Journal, .m0004StandardObjects, .m0005Sessions, .m0006Search, .m0007Views, .m0008PageIndexes, .m0009UserLocale, .m0010Access, .m0011Formulas, .m0012Automation, .m0013MatchKeys, .m0014RequiredGroups, .m0015Merges, .m0016DedupRuns, .m0017Registry, .m0018SignIn, .m0019PhoneParts, .m0020LeadConversion, .m0021LeadRouting, .m0022ResponseSLA, .m0023LeadResponse, .m0024StageHistory, .m0025Forecast, .m0026NextStep, .m0027Attachments, .m0028Evidence, .m0029FollowUp, .m0030Imports, .m0031ImportMappings, .m0032Quotes, .m0033Contracts, .m0034Finance, .m0035ContractSigning, .m0036ExactMoney]

    /// Applies what is pending; returns the names applied now.
    @discardableResult
    public static func migrate(_ database: KeelDatabase) async throws -> [String] {
        let dialect = database.dialect
        try await database.write { db in
            try await db.raw("CREATE TABLE IF NOT EXISTS keel_migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)").run()
        }
        var applied: [String] = []
        for migration in all {
            let ran = try await database.write { db -> Bool in
                if dialect == .postgres {
                    // Several Keel processes may start together; one migrates, the others wait and skip.
                    try await db.lockInstallation(7_120_001)
                }
                let done = try await db.raw("SELECT name FROM keel_migrations WHERE name = \(bind: migration.name)").first()
                guard done == nil else { return false }
                for statement in migration.statements(dialect) { try await db.raw(statement).run() }
                let now = ValueFormats.formatDateTime(Date())
                try await db.raw("INSERT INTO keel_migrations (name, applied_at) VALUES (\(bind: migration.name), \(bind: now))").run()
                return true
            }
            if ran { applied.append(migration.name) }
        }
        return applied
    }

    public static func appliedNames(_ database: KeelDatabase) async throws -> [String] {
        try await database.read { db in
            try await db.raw("SELECT name FROM keel_migrations ORDER BY name").all().map { try $0.decode(column: "name", as: String.self) }
        }
    }
}
