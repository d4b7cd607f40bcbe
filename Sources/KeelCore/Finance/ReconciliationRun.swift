import Foundation

/// One reconciliation: when and why it ran, how it ended, what it compared, and its lines. Only a completed run is in
/// force; a failed one keeps its problem and no lines, and the completed run before it stays in force.
public struct ReconciliationRun: Sendable {
    public enum Status: String, Sendable { case completed, failed }

    public var id: String
    /// `nightly` or `manual`.
    public var trigger: String
    public var status: Status
    public var startedBy: String?
    public var startedAt: String
    public var finishedAt: String?
    public var problem: String?
    /// How many contracts and ERP documents it compared.
    public var contracts: Int
    public var entries: Int
    public var periods: [Reconciliation.Period]
    public var lines: [Reconciliation.Line]

    public init(id: String, trigger: String, status: Status, startedBy: String?, startedAt: String, finishedAt: String? = nil, problem: String? = nil,
                contracts: Int = 0, entries: Int = 0, periods: [Reconciliation.Period] = [], lines: [Reconciliation.Line] = []) {
        (self.id, self.trigger, self.status, self.startedBy, self.startedAt) = (id, trigger, status, startedBy, startedAt)
        (self.finishedAt, self.problem, self.contracts, self.entries, self.periods, self.lines) = (finishedAt, problem, contracts, entries, periods, lines)
    }

    /// What is stored besides the lines: the counts and the months.
    public var summary: JSONValue {
        ["contracts": JSONValue(contracts), "entries": JSONValue(entries),
         "periods": .array(periods.map { ["period": .string($0.period), "crm": .string("\($0.crm)"), "erp": .string("\($0.erp)")] })]
    }

    public mutating func read(summary: JSONValue) {
        contracts = summary["contracts"]?.intValue ?? 0
        entries = summary["entries"]?.intValue ?? 0
        periods = (summary["periods"]?.arrayValue ?? []).compactMap { p in
            guard let period = p["period"]?.stringValue, let crm = p["crm"].flatMap(Decimal.init(exactly:)),
                  let erp = p["erp"].flatMap(Decimal.init(exactly:)) else { return nil }
            return Reconciliation.Period(period: period, crm: crm, erp: erp)
        }
    }

    /// The API's representation: the run, the revenue per month with its deviation, each class's count, every line.
    public var json: JSONValue {
        func amount(_ d: Decimal?) -> JSONValue { d.map { $0.json } ?? .null }
        func text(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }
        let counts = Dictionary(grouping: lines, by: \.difference.rawValue).mapValues { JSONValue($0.count) }
        return [
            "id": .string(id), "trigger": .string(trigger), "status": .string(status.rawValue), "started_by": text(startedBy),
            "started_at": .string(startedAt), "finished_at": text(finishedAt), "problem": text(problem),
            "contracts": JSONValue(contracts), "erp_entries": JSONValue(entries),
            "periods": .array(periods.map { p in
                ["period": .string(p.period), "crm_revenue": p.crm.json, "erp_revenue": p.erp.json,
                 "deviation": p.deviation.map { $0.rounded(4, .halfUp).json } ?? .null]
            }),
            "counts": .object(Dictionary(uniqueKeysWithValues: Reconciliation.Difference.allCases.map { ($0.rawValue, counts[$0.rawValue] ?? .number(0)) })),
            "lines": .array(lines.enumerated().map { i, l in
                ["position": JSONValue(i + 1), "difference": .string(l.difference.rawValue), "kind": .string(l.kind.rawValue),
                 "contract": text(l.contract), "contract_number": text(l.contractNumber), "period": .string(l.period),
                 "crm_amount": amount(l.crmAmount), "erp_amount": amount(l.erpAmount), "crm_day": text(l.crmDay), "erp_day": text(l.erpDay),
                 "payment": text(l.payment), "erp_documents": .array(l.erpDocuments.map(JSONValue.string)), "owner": text(l.owner)]
            }),
        ]
    }
}
