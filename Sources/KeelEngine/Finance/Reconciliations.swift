import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Revenue reconciled with the ERP: the ERP's documents mirrored (from a connector or a CSV file), a run nightly and on
/// demand that matches them with the CRM's signed contracts and payments, and what finance confirmed written back to
/// each contract (`finance_confirmed_amount`, through the record service with source `erp`). A run is ONE transaction:
/// one that fails half-way leaves nothing of itself but its failure, and the run before stays in force.
public struct Reconciliations: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let contracts: Contracts
    let notifier: Notifier
    let store = FinanceStore()

    /// A nightly run starts from this hour (the organisation's time), once a day; missed nights are not replayed (the
    /// next run reads everything anyway).
    public static let nightlyHour = 2

    /// Whether `principal` sees every line and the revenue per month (admins and the payment policy's finance users);
    /// others see the lines of their own contracts.
    public func seesAll(_ principal: Principal) async throws -> Bool {
        if principal.role == .admin { return true }
        return try await contracts.policy().finance.contains(principal.userID)
    }

    /// Mirrors the ERP documents of a CSV file (see `ERPEntryFile`): all of them or, on any problem, none. Admins and
    /// finance only. Returns how many were read.
    public func importFile(_ bytes: [UInt8], kind: ERPEntry.Kind?, as principal: Principal, at now: Date = Date()) async throws -> Int {
        guard try await seesAll(principal) else { throw Self.forbidden }
        let entries = try ERPEntryFile.parse(bytes, kind: kind)
        try await receive(entries, at: now)
        return entries.count
    }

    /// Mirrors the documents an integrator sent, `{"source"?, "entries": […]}` (admins and finance): all, or none.
    public func receive(_ body: [String: JSONValue], as principal: Principal, at now: Date = Date()) async throws -> Int {
        guard try await seesAll(principal) else { throw Self.forbidden }
        let entries = try ERPEntry.parse(body: body)
        try await receive(entries, at: now)
        return entries.count
    }

    /// Mirrors documents (a connector's pull; each checked: a malformed one refuses the batch).
    public func receive(_ entries: [ERPEntry], at now: Date = Date()) async throws {
        let problems = entries.enumerated().flatMap { i, e in e.violations().map { Violation(field: "[\(i)].\($0.field)", code: $0.code, message: $0.message) } }
        guard problems.isEmpty else { throw KeelError.validation(problems) }
        try await database.write { db in try await store.upsert(entries, at: ValueFormats.formatDateTime(now), on: db) }
    }

    /// Runs a reconciliation now: compares, writes the run and its lines, and writes back what finance confirmed — in
    /// one transaction. A failure is recorded as a failed run (with its problem) and thrown.
    @discardableResult
    public func run(trigger: String = "manual", as principal: Principal, at now: Date = Date()) async throws -> ReconciliationRun {
        if trigger != "nightly", try await !seesAll(principal) { throw Self.forbidden }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(StandardObjects.contract.name)
        let started = ValueFormats.formatDateTime(now)
        var run = ReconciliationRun(id: RecordID.make(), trigger: trigger, status: .completed, startedBy: principal.userID, startedAt: started)
        do {
            try await database.write { db in
                let signed = try await store.signedContracts(on: db)
                let entries = try await store.entries(on: db)
                let crm = signed.map(reconciled)
                (run.contracts, run.entries) = (crm.count, entries.count)
                run.periods = Reconciliation.periods(crm, entries)
                run.lines = Reconciliation.lines(crm, entries)
                run.finishedAt = ValueFormats.formatDateTime(Date())
                try await store.insert(run, on: db)
                let confirmed = Reconciliation.confirmed(crm, entries)
                let context = WriteContext(principal: principal, source: .erp)
                let whole = AccessScope.whole(object, userID: principal.userID)
                for contract in signed {
                    let booked = confirmed[contract.number]
                    guard booked != contract.confirmed else { continue }
                    _ = try await records.applyUpdate(object, id: contract.id, ["finance_confirmed_amount": booked?.json ?? .null], expectedVersion: nil,
                                                      .update, scope: whole, readable: whole, catalog: catalog, context: context, on: db)
                }
            }
            return run
        } catch {
            let failed = ReconciliationRun(id: run.id, trigger: trigger, status: .failed, startedBy: principal.userID, startedAt: started,
                                           finishedAt: ValueFormats.formatDateTime(Date()), problem: "\(error)")
            // Nobody watches a nightly run: admins and finance are told it failed (an on-demand one answers its caller).
            let people = trigger == "nightly" ? (try? await contracts.financeAndAdmins()) ?? [] : []
            try? await database.write { db in
                try await store.insert(failed, on: db)
                guard !people.isEmpty else { return }
                try await notifier.tell(zh: "夜间收入对账失败，上一次对账结果仍然有效；原因见收入对账页。",
                                        en: "The nightly revenue reconciliation failed; the previous run stays in force. The reconciliation page says why.",
                                        to: people, object: nil, recordID: nil, key: "reconciliation:failed:\(run.id)", at: now, on: db)
            }
            throw error
        }
    }

    /// The nightly run, when it is due (after `nightlyHour` and none yet today, in the organisation's time): as the
    /// first active admin.
    public func runIfDue(at now: Date = Date()) async throws -> ReconciliationRun? {
        let local = ValueFormats.formatLocal(now, in: access.timeZone)
        guard Int(local.dropFirst(11).prefix(2)) ?? 0 >= Self.nightlyHour else { return nil }
        let (last, admin) = try await database.read { db in
            (try await store.lastNightly(on: db), try await DirectoryStore().users(on: db).first { $0.role == .admin && $0.status == .active })
        }
        if let last, let at = ValueFormats.parseDateTime(last), ValueFormats.formatLocal(at, in: access.timeZone).prefix(10) == local.prefix(10) { return nil }
        guard let admin else { return nil }
        return try await run(trigger: "nightly", as: admin.principal, at: now)
    }

    /// The run in force (`id` nil) or run `id`, as `principal` may see it: all of it for admins and finance, else the
    /// lines of their own contracts and no revenue figures.
    public func run(_ id: String?, as principal: Principal) async throws -> ReconciliationRun? {
        guard var run = try await database.read({ db in try await store.run(id, on: db) }) else { return nil }
        if try await !seesAll(principal) {
            run.lines = run.lines.filter { $0.owner == principal.userID }
            run.periods = []
        }
        return run
    }

    /// The latest runs, newest first, without lines (admins and finance).
    public func runs(limit: Int = 30, as principal: Principal) async throws -> [ReconciliationRun] {
        guard try await seesAll(principal) else { throw Self.forbidden }
        return try await database.read { db in try await store.runs(limit: limit, on: db) }
    }

    /// A contract as the reconciliation compares it: totals exact, the day signed in the organisation's time, what its
    /// lines would come to without their discounts.
    func reconciled(_ c: FinanceStore.SignedContract) -> Reconciliation.Contract {
        let day = ValueFormats.parseDateTime(c.signedAt).map { String(ValueFormats.formatLocal($0, in: access.timeZone).prefix(10)) } ?? String(c.signedAt.prefix(10))
        let rule = RoundingRule(mode: RoundingRule.Mode(rawValue: c.roundingMode) ?? .halfUp, level: RoundingRule.Level(rawValue: c.roundingLevel) ?? .line)
        let undiscounted = c.lines.isEmpty ? nil : QuotePricing.price(c.lines.map {
            QuotePricing.Line(unitPrice: $0.unitPrice, quantity: $0.quantity, taxRate: $0.taxRate, taxIncluded: $0.taxIncluded)
        }, rule: rule).total.incl
        return Reconciliation.Contract(id: c.id, number: c.number, owner: c.owner, currency: c.currency, signedDay: day, totalExclTax: c.totalExclTax,
                                       totalTax: c.totalTax, undiscountedInclTax: undiscounted,
                                       payments: c.payments.map { .init(id: $0.id, amount: $0.amount, day: $0.day) })
    }

    static let forbidden = KeelError(.forbidden, code: "forbidden", message: "Reconciling with the ERP is for admins and the finance users of the payment policy.")
}
