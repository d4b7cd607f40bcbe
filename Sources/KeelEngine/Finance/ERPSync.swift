import Foundation
import KeelCore
import KeelIntegrations
import KeelStore
import SQLKit

/// Pulls from the ERP connectors: each kind of document incrementally (from the last modification time seen), all
/// pages of a pull checked before any is kept (a malformed or partial answer keeps nothing), every quarter of an hour
/// while it works. A failure is retried with backoff (or after the ERP's Retry-After), and one that persists
/// (`alertAfter` failures in a row) is told to the admins and the payment policy's finance users — a connector never
/// stops silently.
public struct ERPSync: Sendable {
    let database: KeelDatabase
    let notifier: Notifier
    let contracts: Contracts
    let reconciliations: Reconciliations
    public let connectors: [any ERPConnector]
    let store = FinanceStore()

    /// A working connector pulls this often.
    public static let interval: TimeInterval = 15 * 60
    /// At most this many pages a pull (it resumes from its cursor next time).
    public static let maxPages = 200
    /// Failures in a row before people are told.
    public static let alertAfter = 3

    /// The connectors set up in the environment (`KEEL_KINGDEE_*`, `KEEL_YONBIP_*`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [any ERPConnector] {
        let found: [(any ERPConnector)?] = [KingdeeClient.fromEnvironment(environment), YonBIPClient.fromEnvironment(environment)]
        return found.compactMap { $0 }
    }

    /// Every connector's states, with a state for each kind not yet pulled (admins and finance).
    public func states(as principal: Principal) async throws -> [ERPSyncState] {
        guard try await reconciliations.seesAll(principal) else { throw Reconciliations.forbidden }
        let stored = try await database.read { db in try await store.syncStates(on: db) }
        return connectors.flatMap { c in c.kinds.map { Self.state(of: c, $0, in: stored) } }
    }

    /// The stored state of a connector's pulls of `kind`, or a fresh one.
    static func state(of connector: any ERPConnector, _ kind: ERPEntry.Kind, in stored: [ERPSyncState]) -> ERPSyncState {
        stored.first { $0.connector == connector.name && $0.kind == kind } ?? ERPSyncState(connector: connector.name, kind: kind)
    }

    /// Pulls whatever is due (`force`: everything now, for a person who asked); returns the states after.
    @discardableResult
    public func runDue(at now: Date = Date(), force: Bool = false) async throws -> [ERPSyncState] {
        guard !connectors.isEmpty else { return [] }
        let stored = try await database.read { db in try await store.syncStates(on: db) }
        var out: [ERPSyncState] = []
        for connector in connectors {
            for kind in connector.kinds {
                var state = Self.state(of: connector, kind, in: stored)
                if !force, let next = state.nextAttemptAt.flatMap(ValueFormats.parseDateTime), next > now {
                    out.append(state)
                    continue
                }
                state = try await pull(connector, kind, state, at: now)
                out.append(state)
            }
        }
        return out
    }

    /// Pulls now, as an admin or finance user asked.
    public func run(as principal: Principal, at now: Date = Date()) async throws -> [ERPSyncState] {
        guard try await reconciliations.seesAll(principal) else { throw Reconciliations.forbidden }
        return try await runDue(at: now, force: true)
    }

    func pull(_ connector: any ERPConnector, _ kind: ERPEntry.Kind, _ before: ERPSyncState, at now: Date) async throws -> ERPSyncState {
        var state = before
        let people = try await contracts.financeAndAdmins()
        let (zhName, enName, zhKind) = (Self.label(connector.name, zh: true), Self.label(connector.name, zh: false), Self.kindLabel(kind))
        state.lastAttemptAt = ValueFormats.formatDateTime(now)
        do {
            var entries: [ERPEntry] = [], cursor = before.cursor, page = 0, more = true
            while more && page < Self.maxPages {
                let got = try await connector.pull(kind, since: before.cursor, page: page)
                for entry in got.entries {
                    if let problem = entry.violations().first {
                        throw ERPError.malformed("document \(entry.document): \(problem.field) — \(problem.message)")
                    }
                }
                entries += got.entries
                cursor = [cursor, got.cursor].compactMap { $0 }.max()
                more = got.more
                page += 1
            }
            let recovered = state.alerted
            (state.cursor, state.lastSuccessAt, state.failures, state.lastError, state.alerted) = (cursor, ValueFormats.formatDateTime(now), 0, nil, false)
            state.nextAttemptAt = ValueFormats.formatDateTime(now.addingTimeInterval(Self.interval))
            let saved = state
            try await database.write { db in
                try await store.upsert(entries, at: ValueFormats.formatDateTime(now), on: db)
                try await store.save(saved, on: db)
                if recovered {
                    try await notifier.tell(zh: "\(zhName)的\(zhKind)同步已恢复。", en: "\(enName) \(kind.rawValue)s sync again.", to: people, object: nil, recordID: nil,
                                            key: "erp:\(connector.name):\(kind.rawValue):ok:\(saved.lastSuccessAt!)", at: now, on: db)
                }
            }
        } catch {
            let failure = (error as? ERPError) ?? .unavailable("\(error)")
            state.failures += 1
            state.lastError = failure.description
            let wait: TimeInterval = if case .rateLimited(let after) = failure, let after { after } else { ERPSyncState.backoff(after: state.failures) }
            state.nextAttemptAt = ValueFormats.formatDateTime(now.addingTimeInterval(wait))
            let alert = state.failures >= Self.alertAfter && !state.alerted
            if alert { state.alerted = true }
            let saved = state
            try await database.write { db in
                try await store.save(saved, on: db)
                if alert {
                    try await notifier.tell(zh: "\(zhName)的\(zhKind)已连续 \(saved.failures) 次同步失败（\(failure.description)），Keel 会继续重试。",
                                            en: "\(enName) \(kind.rawValue)s failed to sync \(saved.failures) times in a row (\(failure.description)); Keel keeps retrying.",
                                            to: people, object: nil, recordID: nil, key: "erp:\(connector.name):\(kind.rawValue):failing:\(saved.lastAttemptAt!)", at: now, on: db)
                }
            }
        }
        return state
    }

    static func label(_ connector: String, zh: Bool) -> String {
        switch connector {
        case "kingdee": zh ? "金蝶云星空" : "Kingdee"
        case "yonbip": zh ? "用友 YonBIP" : "YonBIP"
        default: connector
        }
    }

    static func kindLabel(_ kind: ERPEntry.Kind) -> String {
        switch kind {
        case .receivable: "应收单"
        case .receipt: "收款单"
        case .cost: "成本单"
        }
    }
}
