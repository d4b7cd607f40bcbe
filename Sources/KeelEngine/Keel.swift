import Foundation
import KeelCore
import KeelStore
import Logging

/// One Keel installation: its database and the services over it.
public final class Keel: Sendable {
    public let database: KeelDatabase
    public let authorizer: any Authorizer
    public let metadata: MetadataService
    public let records: RecordService
    public let auth: AuthService

    public init(database: KeelDatabase, authorizer: any Authorizer = ActiveUserAuthorizer(),
                afterStep: (@Sendable (WriteStep) throws -> Void)? = nil) {
        self.database = database
        self.authorizer = authorizer
        self.metadata = MetadataService(database: database, authorizer: authorizer)
        self.records = RecordService(database: database, metadata: metadata, authorizer: authorizer, afterStep: afterStep)
        self.auth = AuthService(database: database, authorizer: authorizer)
    }

    /// Opens the database and applies pending migrations.
    public static func open(_ url: DatabaseURL, logger: Logger = Logger(label: "keel")) async throws -> Keel {
        let database = try await KeelDatabase.open(url, logger: logger)
        do {
            let applied = try await Migrator.migrate(database)
            if !applied.isEmpty { logger.info("applied migrations: \(applied.joined(separator: ", "))") }
        } catch {
            await database.close()
            throw error
        }
        return Keel(database: database)
    }

    /// The URL in `KEEL_DATABASE_URL`, or `./keel.db`.
    public static func databaseURL(from environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseURL {
        guard let text = environment["KEEL_DATABASE_URL"], !text.isEmpty else { return .defaultSQLite }
        return try DatabaseURL(text)
    }

    public func close() async {
        await database.close()
    }
}
