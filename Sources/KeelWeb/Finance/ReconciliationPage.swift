import Foundation
import KeelCore

/// 收入对账: the run in force (when, what it compared), revenue per month on both sides with the deviation, every
/// difference with its class and whose it is to clear, narrowed by class or month (drill-down); for admins and finance
/// the buttons to reconcile now and to load an ERP export, and the latest runs.
public struct ReconciliationPage: PageContext {
    public static let template = Template.reconciliation

    struct Period {
        var href, period, crm, erp, deviation: String
        var off: Bool
        var current: Bool
    }

    struct Line {
        var difference, contract, period, crm, erp, delta, crmDay, erpDay, documents, owner, kind: String
        var contractHref: String?
    }

    struct Connector {
        var name, kind, lastSuccess, state, next: String
        var failing: Bool
    }

    struct Run {
        var when, trigger, status, problem: String
        var href: String
    }

    var csrf: String
    var manages: Bool
    var hasRun: Bool
    var summary: String
    var periods: [Period]
    var hasPeriods: Bool
    var filters: [Link]
    var lines: [Line]
    var hasLines: Bool
    var runs: [Run]
    var hasRuns: Bool
    var connectors: [Connector]
    var hasConnectors: Bool
    var kinds: [Option]
    var message: String?
    var error: String?

    /// `difference`, `period`: the drill-down chosen (nil: all). `names`: user id → name. `manages`: may run and load.
    public init(run: ReconciliationRun?, runs: [ReconciliationRun], connectors: [ERPSyncState], difference: String?, period: String?,
                names: [String: String], manages: Bool, message: String?, error: String?, csrf: String, _ t: Strings) {
        (self.csrf, self.manages, self.message, self.error) = (csrf, manages, message, error)
        hasRun = run != nil
        func query(_ d: String?, _ p: String?) -> String {
            let parts = [d.map { "difference=\($0)" }, p.map { "period=\($0)" }].compactMap { $0 }
            return "/reconciliation" + (parts.isEmpty ? "" : "?" + parts.joined(separator: "&"))
        }
        summary = run.map { r in
            t.format("recon_summary", t.time(r.finishedAt ?? r.startedAt), t["recon_trigger_" + r.trigger], "\(r.contracts)", "\(r.entries)", "\(r.lines.count)")
        } ?? ""
        periods = (run?.periods ?? []).reversed().map { p in
            let deviation = p.deviation.map { "\((($0 * 100).rounded(1, .halfUp)))%" } ?? "—"
            return Period(href: query(difference, p.period), period: p.period, crm: p.crm.yuan, erp: p.erp.yuan, deviation: deviation,
                          off: p.crm != p.erp, current: p.period == period)
        }
        hasPeriods = !periods.isEmpty
        let counts = Dictionary(grouping: run?.lines ?? [], by: \.difference).mapValues(\.count)
        filters = [Link(query(nil, period), t["recon_all"] + " \(run?.lines.count ?? 0)", current: difference == nil)]
            + Reconciliation.Difference.allCases.filter { counts[$0] != nil }.map { d in
                Link(query(d.rawValue, period), t["recon_" + d.rawValue] + " \(counts[d]!)", current: d.rawValue == difference)
            }
        if let period { filters.append(Link(query(difference, nil), t.format("recon_month_clear", period), current: false)) }
        lines = (run?.lines ?? []).filter { ($0.difference.rawValue == difference || difference == nil) && ($0.period == period || period == nil) }.map { l in
            func money(_ d: Decimal?) -> String { d?.yuan ?? "—" }
            let delta = (l.crmAmount ?? 0) - (l.erpAmount ?? 0)
            return Line(difference: t["recon_" + l.difference.rawValue], contract: l.contractNumber ?? t["recon_no_number"],
                        period: l.period, crm: money(l.crmAmount), erp: money(l.erpAmount),
                        delta: delta == 0 ? "—" : delta.yuan, crmDay: l.crmDay ?? "—", erpDay: l.erpDay ?? "—",
                        documents: l.erpDocuments.isEmpty ? "—" : l.erpDocuments.joined(separator: "、"),
                        owner: l.owner.map { names[$0] ?? t["recon_someone"] } ?? t["recon_finance"], kind: t["recon_kind_" + l.kind.rawValue],
                        contractHref: l.contract.map { "/o/contracts/\($0)" })
        }
        hasLines = !lines.isEmpty
        self.runs = runs.prefix(10).map { r in
            Run(when: t.time(r.startedAt), trigger: t["recon_trigger_" + r.trigger], status: t["recon_status_" + r.status.rawValue],
                problem: r.status == .failed ? t["recon_failed_note"] : "", href: "/reconciliation?run=\(r.id)")
        }
        hasRuns = !self.runs.isEmpty
        self.connectors = connectors.map { c in
            Connector(name: t["erp_" + c.connector], kind: t["recon_kind_" + c.kind.rawValue], lastSuccess: c.lastSuccessAt.map(t.time) ?? "—",
                      state: c.failures == 0 ? (c.lastSuccessAt == nil ? t["erp_not_yet"] : t["erp_ok"]) : t.format("erp_failing", "\(c.failures)"),
                      next: c.nextAttemptAt.map(t.time) ?? "—", failing: c.failures > 0)
        }
        hasConnectors = !connectors.isEmpty
        kinds = [Option("", t["recon_kind_from_file"], selected: true)] + ERPEntry.Kind.allCases.map { Option($0.rawValue, t["recon_kind_" + $0.rawValue], selected: false) }
    }

    /// Why a file was not loaded, in the reader's words: the first problems, each with its row and column.
    public static func problem(_ violations: [Violation], _ t: Strings) -> String {
        let shown = violations.prefix(5).map { v -> String in
            let reason = t.text("recon_err_" + v.code) ?? t["recon_err_other"]
            guard v.field.hasPrefix("rows["), let close = v.field.firstIndex(of: "]") else { return reason }
            let row = String(v.field[v.field.index(v.field.startIndex, offsetBy: 5)..<close])
            let column = String(v.field[v.field.index(after: close)...].dropFirst())
            return t.format("recon_row_problem", row, t.text("recon_col_" + column) ?? column, reason)
        }
        return t.format("recon_file_problem", shown.joined(separator: t["recon_list_separator"]) + (violations.count > 5 ? t["recon_more_problems"] : ""))
    }
}
