import Foundation
import KeelCore
import KeelIntegrations
import KeelStore
import Logging

/// One Keel installation: its database and the services over it.
public final class Keel: Sendable {
    public let database: KeelDatabase
    public let access: AccessControl
    public let metadata: MetadataService
    public let records: RecordService
    public let auth: AuthService
    public let views: ViewService
    public let notifier: Notifier
    public let approvals: Approvals
    public let automations: Automations
    public let webhooks: Webhooks
    public let dedup: DedupService
    public let health: HealthReports
    public let escalations: Escalations
    public let pipelines: Pipelines
    public let forecasts: Forecasts
    public let quickNotes: QuickNotes
    public let attachments: Attachments
    public let imports: Imports
    public let credibility: ActivityCredibility
    public let quotes: Quotes
    public let contracts: Contracts
    public let reconciliations: Reconciliations
    public let signatures: Signatures
    public let erpSync: ERPSync
    /// The business registry accounts are checked against (`KEEL_REGISTRY_URL`), if one is set up.
    public let registry: (any BusinessRegistry)?
    /// The clock background work reads (schedules, timers, retries).
    public let clock: any KeelClock
    /// The organisation's time zone: what "today" and "this month" mean on pages and in reports.
    public let timeZone: TimeZone
    /// Set while `keel serve --demo` loads the demo company beside the server.
    public let demoLoading = DemoLoading()

    public init(database: KeelDatabase, timeZone: TimeZone = Keel.timeZone(), clock: any KeelClock = SystemClock(),
                transport: any WebhookTransport = HTTPWebhookTransport.shared,
                webhookTimeout: TimeInterval = 10, registry: (any BusinessRegistry)? = HTTPBusinessRegistry.fromEnvironment(),
                files: (folder: URL, maxBytes: Int) = Attachments.configuration(), esign: ESignSettings? = ESignSettings.fromEnvironment(),
                erp: [any ERPConnector] = ERPSync.fromEnvironment(), afterStep: (@Sendable (WriteStep) throws -> Void)? = nil) {
        self.database = database
        self.timeZone = timeZone
        self.clock = clock
        self.access = AccessControl(database: database, timeZone: timeZone)
        self.metadata = MetadataService(database: database, access: access)
        let records = RecordService(database: database, metadata: metadata, access: access, afterStep: afterStep)
        metadata.recordService.withLock { $0.value = records }
        self.records = records
        self.auth = AuthService(database: database, access: access)
        self.views = ViewService(database: database, metadata: metadata)
        self.notifier = Notifier(database: database)
        self.approvals = Approvals(database: database, metadata: metadata, records: records, access: access, notifier: notifier,
                                   clock: clock)
        self.automations = Automations(database: database, metadata: metadata, records: records, access: access, notifier: notifier,
                                       approvals: approvals, clock: clock, timeZone: timeZone)
        self.webhooks = Webhooks(database: database, access: access, notifier: notifier, clock: clock, transport: transport, timeout: webhookTimeout)
        self.registry = registry
        self.dedup = DedupService(database: database, metadata: metadata, records: records, access: access, clock: clock)
        self.escalations = Escalations(database: database, records: records, access: access, notifier: notifier, clock: clock, transport: transport,
                                       timeout: webhookTimeout)
        self.pipelines = Pipelines(database: database, metadata: metadata, records: records, access: access)
        self.attachments = Attachments(database: database, metadata: metadata, records: records, access: access, folder: files.folder, maxBytes: files.maxBytes)
        self.imports = Imports(database: database, metadata: metadata, records: records, access: access, timeZone: timeZone, folder: files.folder)
        self.credibility = ActivityCredibility(database: database, metadata: metadata, records: records, access: access, timeZone: timeZone)
        self.quickNotes = QuickNotes(database: database, metadata: metadata, records: records, access: access, timeZone: timeZone)
        self.quotes = Quotes(database: database, metadata: metadata, records: records, access: access)
        self.contracts = Contracts(database: database, metadata: metadata, records: records, access: access, quotes: quotes)
        self.reconciliations = Reconciliations(database: database, metadata: metadata, records: records, access: access, contracts: contracts, notifier: notifier)
        self.erpSync = ERPSync(database: database, notifier: notifier, contracts: contracts, reconciliations: reconciliations, connectors: erp)
        self.signatures = Signatures(database: database, metadata: metadata, records: records, attachments: attachments, settings: esign)
        self.forecasts = Forecasts(database: database, metadata: metadata, records: records, access: access, timeZone: timeZone)
        self.health = HealthReports(database: database, metadata: metadata, access: access, notifier: notifier, clock: clock, timeZone: timeZone)
    }

    /// Opens the database and applies pending migrations.
    public static func open(_ url: DatabaseURL, logger: Logger = Logger(label: "keel")) async throws -> Keel {
        let database = try await KeelDatabase.open(url, logger: logger)
        let keel = Keel(database: database)
        do {
            let applied = try await Migrator.migrate(database)
            if !applied.isEmpty { logger.info("applied migrations: \(applied.joined(separator: ", "))") }
            // The duplicate-check index starts with the records already there.
            if applied.contains("0013_match_keys") { try await keel.records.reindexDuplicates() }
            if applied.contains("0019_phone_parts") { try await keel.records.backfillAllFormulas() }
        } catch {
            await database.close()
            throw error
        }
        return keel
    }

    /// The URL in `KEEL_DATABASE_URL`, or `./keel.db`.
    public static func databaseURL(from environment: [String: String] = ProcessInfo.processInfo.environment) throws -> DatabaseURL {
        guard let text = environment["KEEL_DATABASE_URL"], !text.isEmpty else { return .defaultSQLite }
        return try DatabaseURL(text)
    }

    /// The zone named by `KEEL_TIME_ZONE` (e.g. `Asia/Shanghai`, the default).
    public static func timeZone(from environment: [String: String] = ProcessInfo.processInfo.environment) -> TimeZone {
        ValueFormats.organisationTimeZone(from: environment)
    }

    /// A date as `YYYY-MM-DD` in the organisation's time zone.
    public func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: timeZone).year().month().day())
    }

    public func close() async {
        await database.close()
    }
}
