import Foundation
import KeelCore
import SQLKit

/// SQL for finance: the ERP's documents as Keel mirrors them, what the CRM says of its signed contracts, and the
/// reconciliation runs. Amounts in these tables are exact decimal text.
public struct FinanceStore: Sendable {
    public init() {}

    /// Adds the entries, or replaces those already mirrored (the same source, kind and document).
    public func upsert(_ entries: [ERPEntry], at now: String, on db: any SQLDatabase) async throws {
        for e in entries {
            try await db.raw("""
                INSERT INTO erp_entries (source, kind, document, contract_number, day, amount, tax, currency, received_at)
                VALUES (\(bind: e.source), \(bind: e.kind.rawValue), \(bind: e.document), \(bind: e.contractNumber), \(bind: e.day),
                        \(bind: "\(e.amount)"), \(bind: "\(e.tax)"), \(bind: e.currency), \(bind: now))
                ON CONFLICT (source, kind, document) DO UPDATE SET contract_number = \(bind: e.contractNumber), day = \(bind: e.day),
                    amount = \(bind: "\(e.amount)"), tax = \(bind: "\(e.tax)"), currency = \(bind: e.currency), received_at = \(bind: now)
                """).run()
        }
    }

    public func entries(on db: any SQLDatabase) async throws -> [ERPEntry] {
        try await db.raw("SELECT * FROM erp_entries ORDER BY source, kind, document").all().map { row in
            ERPEntry(source: try row.decode(column: "source", as: String.self),
                     kind: ERPEntry.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .cost,
                     document: try row.decode(column: "document", as: String.self),
                     contractNumber: try row.decode(column: "contract_number", as: String?.self), day: try row.decode(column: "day", as: String.self),
                     amount: Decimal(exactText: try row.decode(column: "amount", as: String.self)) ?? 0,
                     tax: Decimal(exactText: try row.decode(column: "tax", as: String.self)) ?? 0,
                     currency: try row.decode(column: "currency", as: String.self))
        }
    }

    /// A signed (or completed) contract as the reconciliation reads it.
    public struct SignedContract: Sendable {
        public var id, number, currency, signedAt, roundingLevel, roundingMode: String
        public var owner: String?
        public var totalExclTax, totalTax: Decimal
        public var confirmed: Decimal?
        public var lines: [(quantity: Decimal, unitPrice: Decimal, taxRate: Decimal, taxIncluded: Bool)] = []
        public var payments: [(id: String, amount: Decimal, day: String)] = []
    }

    /// Every signed or completed contract with a number, its lines and its payments.
    public func signedContracts(on db: any SQLDatabase) async throws -> [SignedContract] {
        try await WriteBatch.flush(ifPending: ["contracts", "contract_lines", "payments"], on: db)
        var contracts: [String: SignedContract] = [:]
        let dialect = SQLDialectKind(of: db)
        func money(_ row: any SQLRow, _ column: String) throws -> Decimal? { try dialect.decode(row, column: column, type: .money).numberValue }
        func number(_ row: any SQLRow, _ column: String) throws -> Decimal? { try dialect.decode(row, column: column, type: .number).numberValue }
        for row in try await db.raw("""
            SELECT id, number, owner, currency, signed_at, rounding_level, rounding_mode, total_excl_tax, total_tax,
                   finance_confirmed_amount AS confirmed
            FROM contracts WHERE status IN ('signed', 'completed') AND number IS NOT NULL AND signed_at IS NOT NULL
            """).all() {
            let id = try row.decode(column: "id", as: String.self)
            contracts[id] = SignedContract(
                id: id, number: try row.decode(column: "number", as: String.self), currency: try row.decode(column: "currency", as: String?.self) ?? "CNY",
                signedAt: try row.decode(column: "signed_at", as: String.self), roundingLevel: try row.decode(column: "rounding_level", as: String?.self) ?? "line",
                roundingMode: try row.decode(column: "rounding_mode", as: String?.self) ?? "half_up", owner: try row.decode(column: "owner", as: String?.self),
                totalExclTax: try money(row, "total_excl_tax") ?? 0, totalTax: try money(row, "total_tax") ?? 0, confirmed: try money(row, "confirmed"))
        }
        for row in try await db.raw("""
            SELECT contract, quantity, unit_price, tax_rate, tax_included
            FROM contract_lines ORDER BY contract, position
            """).all() {
            let id = try row.decode(column: "contract", as: String.self)
            guard contracts[id] != nil else { continue }
            contracts[id]!.lines.append((try number(row, "quantity") ?? 0, try money(row, "unit_price") ?? 0, try number(row, "tax_rate") ?? 0,
                                         try row.decode(column: "tax_included", as: Bool?.self) ?? false))
        }
        for row in try await db.raw("SELECT id, contract, amount, received_on FROM payments WHERE received_on IS NOT NULL ORDER BY received_on, id").all() {
            let id = try row.decode(column: "contract", as: String.self)
            guard contracts[id] != nil else { continue }
            contracts[id]!.payments.append((try row.decode(column: "id", as: String.self), try money(row, "amount") ?? 0,
                                            try row.decode(column: "received_on", as: String.self)))
        }
        return contracts.values.sorted { $0.number < $1.number }
    }

    /// Writes a run and its lines.
    public func insert(_ run: ReconciliationRun, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO reconciliation_runs (id, trigger, status, started_by, started_at, finished_at, problem, summary)
            VALUES (\(bind: run.id), \(bind: run.trigger), \(bind: run.status.rawValue), \(bind: run.startedBy), \(bind: run.startedAt),
                    \(bind: run.finishedAt), \(bind: run.problem), \(bind: run.summary.canonicalText()))
            """).run()
        for (i, l) in run.lines.enumerated() {
            try await db.raw("""
                INSERT INTO reconciliation_lines (run_id, position, difference, kind, contract, contract_number, period, crm_amount, erp_amount,
                                                  crm_day, erp_day, payment, erp_documents, owner)
                VALUES (\(bind: run.id), \(bind: i + 1), \(bind: l.difference.rawValue), \(bind: l.kind.rawValue), \(bind: l.contract),
                        \(bind: l.contractNumber), \(bind: l.period), \(bind: l.crmAmount.map { "\($0)" }), \(bind: l.erpAmount.map { "\($0)" }),
                        \(bind: l.crmDay), \(bind: l.erpDay), \(bind: l.payment), \(bind: JSONValue.array(l.erpDocuments.map(JSONValue.string)).canonicalText()),
                        \(bind: l.owner))
                """).run()
        }
    }

    /// A run with its lines; `latest`: the last completed run (the one in force) instead of run `id`.
    public func run(_ id: String?, on db: any SQLDatabase) async throws -> ReconciliationRun? {
        let query: SQLQueryString = id.map { "SELECT * FROM reconciliation_runs WHERE id = \(bind: $0)" }
            ?? "SELECT * FROM reconciliation_runs WHERE status = 'completed' ORDER BY started_at DESC, id DESC LIMIT 1"
        guard let row = try await db.raw(query).first() else { return nil }
        var run = try Self.run(row)
        run.lines = try await db.raw("SELECT * FROM reconciliation_lines WHERE run_id = \(bind: run.id) ORDER BY position").all().map { r in
            func amount(_ c: String) throws -> Decimal? { try r.decode(column: c, as: String?.self).flatMap { Decimal(exactText: $0) } }
            return Reconciliation.Line(
                difference: Reconciliation.Difference(rawValue: try r.decode(column: "difference", as: String.self)) ?? .amount,
                kind: ERPEntry.Kind(rawValue: try r.decode(column: "kind", as: String.self)) ?? .receivable,
                contract: try r.decode(column: "contract", as: String?.self), contractNumber: try r.decode(column: "contract_number", as: String?.self),
                period: try r.decode(column: "period", as: String.self), crmAmount: try amount("crm_amount"), erpAmount: try amount("erp_amount"),
                crmDay: try r.decode(column: "crm_day", as: String?.self), erpDay: try r.decode(column: "erp_day", as: String?.self),
                payment: try r.decode(column: "payment", as: String?.self),
                erpDocuments: ((try? JSONValue.parse(text: try r.decode(column: "erp_documents", as: String.self)))?.arrayValue ?? []).compactMap(\.stringValue),
                owner: try r.decode(column: "owner", as: String?.self))
        }
        return run
    }

    /// The latest runs, newest first, without their lines (a failed one with its problem).
    public func runs(limit: Int, on db: any SQLDatabase) async throws -> [ReconciliationRun] {
        try await db.raw("SELECT * FROM reconciliation_runs ORDER BY started_at DESC, id DESC LIMIT \(bind: limit)").all().map(Self.run)
    }

    /// A run's row, without its lines.
    static func run(_ row: any SQLRow) throws -> ReconciliationRun {
        var run = ReconciliationRun(id: try row.decode(column: "id", as: String.self), trigger: try row.decode(column: "trigger", as: String.self),
                                    status: ReconciliationRun.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .failed,
                                    startedBy: try row.decode(column: "started_by", as: String?.self), startedAt: try row.decode(column: "started_at", as: String.self),
                                    finishedAt: try row.decode(column: "finished_at", as: String?.self), problem: try row.decode(column: "problem", as: String?.self))
        run.read(summary: (try? JSONValue.parse(text: try row.decode(column: "summary", as: String.self))) ?? .null)
        return run
    }

    /// Every connector's pull states.
    public func syncStates(on db: any SQLDatabase) async throws -> [ERPSyncState] {
        try await db.raw("SELECT * FROM erp_sync ORDER BY connector, kind").all().map { row in
            ERPSyncState(connector: try row.decode(column: "connector", as: String.self),
                         kind: ERPEntry.Kind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .receivable,
                         cursor: try row.decode(column: "cursor", as: String?.self), lastSuccessAt: try row.decode(column: "last_success_at", as: String?.self),
                         lastAttemptAt: try row.decode(column: "last_attempt_at", as: String?.self),
                         nextAttemptAt: try row.decode(column: "next_attempt_at", as: String?.self), failures: try row.decode(column: "failures", as: Int.self),
                         lastError: try row.decode(column: "last_error", as: String?.self), alerted: try row.decode(column: "alerted", as: Int.self) != 0)
        }
    }

    public func save(_ s: ERPSyncState, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO erp_sync (connector, kind, cursor, last_success_at, last_attempt_at, next_attempt_at, failures, last_error, alerted)
            VALUES (\(bind: s.connector), \(bind: s.kind.rawValue), \(bind: s.cursor), \(bind: s.lastSuccessAt), \(bind: s.lastAttemptAt), \(bind: s.nextAttemptAt),
                    \(bind: s.failures), \(bind: s.lastError), \(bind: s.alerted ? 1 : 0))
            ON CONFLICT (connector, kind) DO UPDATE SET cursor = \(bind: s.cursor), last_success_at = \(bind: s.lastSuccessAt),
                last_attempt_at = \(bind: s.lastAttemptAt), next_attempt_at = \(bind: s.nextAttemptAt), failures = \(bind: s.failures),
                last_error = \(bind: s.lastError), alerted = \(bind: s.alerted ? 1 : 0)
            """).run()
    }

    /// The day the last nightly run started (any outcome), to run once a night and catch up after downtime.
    public func lastNightly(on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT MAX(started_at) AS at FROM reconciliation_runs WHERE trigger = 'nightly'").first()?.decode(column: "at", as: String?.self)
    }
}
