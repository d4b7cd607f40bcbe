import Foundation

/// Matches what the CRM says was sold and received (contracts, payments) with what the ERP booked (receivables,
/// receipts), contract by contract and month by month. Every difference becomes one line with its class; what agrees
/// gives none. Pure: the engine reads both sides, this decides.
public enum Reconciliation {
    /// Why the two sides differ.
    public enum Difference: String, Sendable, CaseIterable {
        /// The same amount, booked in another month.
        case timing
        /// The CRM has it; the ERP does not.
        case missingInERP = "missing_in_erp"
        /// The ERP has it; the CRM does not (or not under that contract number).
        case missingInCRM = "missing_in_crm"
        /// Both have it, for different amounts.
        case amount
        /// The same amount without tax, different tax.
        case tax
        /// The ERP booked the amount before (or without) the contract's discount.
        case discount
        /// Booked in another currency.
        case currency
    }

    /// A contract as the CRM has it, with its payments.
    public struct Contract: Sendable {
        public var id, number: String
        public var owner: String?
        public var currency: String
        /// The day it was signed (its revenue's month), YYYY-MM-DD.
        public var signedDay: String
        public var totalExclTax, totalTax, totalInclTax: Decimal
        /// The total with tax the lines would have without their discounts (equal to the total when none has one).
        public var undiscountedInclTax: Decimal
        public var payments: [Payment]

        public init(id: String, number: String, owner: String?, currency: String = "CNY", signedDay: String, totalExclTax: Decimal,
                    totalTax: Decimal, undiscountedInclTax: Decimal? = nil, payments: [Payment] = []) {
            (self.id, self.number, self.owner, self.currency, self.signedDay) = (id, number, owner, currency, signedDay)
            (self.totalExclTax, self.totalTax, self.totalInclTax) = (totalExclTax, totalTax, totalExclTax + totalTax)
            self.undiscountedInclTax = undiscountedInclTax ?? totalExclTax + totalTax
            self.payments = payments
        }
    }

    public struct Payment: Sendable {
        public var id: String
        public var amount: Decimal
        public var day: String

        public init(id: String, amount: Decimal, day: String) { (self.id, self.amount, self.day) = (id, amount, day) }
    }

    /// One difference: which side says what, for which contract and month, and whose it is to clear.
    public struct Line: Sendable, Equatable {
        public var difference: Difference
        /// `receivable` (revenue booked against a contract) or `receipt` (money in against a payment).
        public var kind: ERPEntry.Kind
        public var contract: String?
        public var contractNumber: String?
        /// The month it falls in (the CRM's when the CRM has it).
        public var period: String
        public var crmAmount, erpAmount: Decimal?
        public var crmDay, erpDay: String?
        /// The payment, and the ERP documents, the line is about.
        public var payment: String?
        public var erpDocuments: [String]
        /// The contract's owner; nil for what the CRM does not have (finance's to clear).
        public var owner: String?

        public init(difference: Difference, kind: ERPEntry.Kind, contract: String?, contractNumber: String?, period: String, crmAmount: Decimal?,
                    erpAmount: Decimal?, crmDay: String?, erpDay: String?, payment: String?, erpDocuments: [String], owner: String?) {
            (self.difference, self.kind, self.contract, self.contractNumber, self.period) = (difference, kind, contract, contractNumber, period)
            (self.crmAmount, self.erpAmount, self.crmDay, self.erpDay) = (crmAmount, erpAmount, crmDay, erpDay)
            (self.payment, self.erpDocuments, self.owner) = (payment, erpDocuments, owner)
        }
    }

    /// Revenue in one month as each side books it (without tax): the CRM's signed contracts, the ERP's receivables.
    public struct Period: Sendable, Equatable {
        public var period: String
        public var crm, erp: Decimal
        /// (CRM − ERP) / ERP; nil when the ERP booked nothing.
        public var deviation: Decimal? { erp == 0 ? nil : (crm - erp) / erp }
    }

    /// Every difference between `contracts` and `entries` (costs are not compared), in a stable order.
    public static func lines(_ contracts: [Contract], _ entries: [ERPEntry]) -> [Line] {
        let byNumber = Dictionary(grouping: entries.filter { $0.kind != .cost }) { $0.contractNumber ?? "" }
        let known = Set(contracts.map(\.number))
        var lines: [Line] = []
        for contract in contracts.sorted(by: { $0.number < $1.number }) {
            let mine = byNumber[contract.number] ?? []
            lines += receivableLines(contract, mine.filter { $0.kind == .receivable })
            lines += receiptLines(contract, mine.filter { $0.kind == .receipt })
        }
        // What the ERP has under a number the CRM does not know (or under none).
        for (number, unknown) in byNumber.sorted(by: { $0.key < $1.key }) where !known.contains(number) {
            for entry in unknown.sorted(by: { ($0.day, $0.document) < ($1.day, $1.document) }) {
                lines.append(Line(difference: .missingInCRM, kind: entry.kind, contract: nil, contractNumber: entry.contractNumber, period: entry.period,
                                  crmAmount: nil, erpAmount: entry.amount, crmDay: nil, erpDay: entry.day, payment: nil,
                                  erpDocuments: [entry.document], owner: nil))
            }
        }
        return lines
    }

    /// A contract's revenue against the receivables booked for it: one line at most.
    static func receivableLines(_ c: Contract, _ receivables: [ERPEntry]) -> [Line] {
        let period = String(c.signedDay.prefix(7))
        func line(_ difference: Difference, erpAmount: Decimal? = nil, erpDay: String? = nil) -> Line {
            Line(difference: difference, kind: .receivable, contract: c.id, contractNumber: c.number, period: period, crmAmount: c.totalInclTax,
                 erpAmount: erpAmount, crmDay: c.signedDay, erpDay: erpDay, payment: nil,
                 erpDocuments: receivables.map(\.document).sorted(), owner: c.owner)
        }
        guard !receivables.isEmpty else { return [line(.missingInERP)] }
        let amount = receivables.reduce(Decimal(0)) { $0 + $1.amount }, tax = receivables.reduce(Decimal(0)) { $0 + $1.tax }
        let lastDay = receivables.map(\.day).max()!
        if receivables.contains(where: { $0.currency != c.currency }) { return [line(.currency, erpAmount: amount, erpDay: lastDay)] }
        if amount == c.totalInclTax {
            let late = receivables.first { $0.period != period }
            return late.map { [line(.timing, erpAmount: amount, erpDay: $0.day)] } ?? []
        }
        if amount - tax == c.totalExclTax { return [line(.tax, erpAmount: amount, erpDay: lastDay)] }
        if amount == c.undiscountedInclTax, c.undiscountedInclTax != c.totalInclTax { return [line(.discount, erpAmount: amount, erpDay: lastDay)] }
        return [line(.amount, erpAmount: amount, erpDay: lastDay)]
    }

    /// A contract's payments against its receipts: equal amounts pair (in another month: timing); what is left pairs in
    /// order as amount differences; the rest is missing on one side.
    static func receiptLines(_ c: Contract, _ receipts: [ERPEntry]) -> [Line] {
        var payments = c.payments.sorted { ($0.day, $0.id) < ($1.day, $1.id) }
        var open = receipts.sorted { ($0.day, $0.document) < ($1.day, $1.document) }
        var lines: [Line] = []
        func line(_ difference: Difference, _ p: Payment?, _ r: ERPEntry?) -> Line {
            Line(difference: difference, kind: .receipt, contract: c.id, contractNumber: c.number, period: String((p?.day ?? r!.day).prefix(7)),
                 crmAmount: p?.amount, erpAmount: r?.amount, crmDay: p?.day, erpDay: r?.day, payment: p?.id, erpDocuments: r.map { [$0.document] } ?? [],
                 owner: c.owner)
        }
        let foreign = open.filter { $0.currency != c.currency }
        open.removeAll { $0.currency != c.currency }
        // Same amount: the same month first (the same day before that), then any month (timing).
        for sameMonth in [true, false] {
            var i = 0
            while i < payments.count {
                let p = payments[i]
                let candidates = open.indices.filter { open[$0].amount == p.amount && (!sameMonth || open[$0].period == p.day.prefix(7)) }
                guard let j = candidates.first(where: { open[$0].day == p.day }) ?? candidates.first else { i += 1; continue }
                if !sameMonth { lines.append(line(.timing, p, open[j])) }
                payments.remove(at: i)
                open.remove(at: j)
            }
        }
        // A receipt in another currency is the payment it stands for, booked in that currency.
        for (k, r) in foreign.enumerated() { lines.append(line(.currency, k < payments.count ? payments[k] : nil, r)) }
        payments.removeFirst(min(foreign.count, payments.count))
        for (p, r) in zip(payments, open) { lines.append(line(.amount, p, r)) }
        lines += payments.dropFirst(open.count).map { line(.missingInERP, $0, nil) }
        lines += open.dropFirst(payments.count).map { line(.missingInCRM, nil, $0) }
        return lines
    }

    /// Revenue per month on both sides, months in order: the CRM's contracts by the month signed, the ERP's receivables
    /// (without tax) by their day.
    public static func periods(_ contracts: [Contract], _ entries: [ERPEntry]) -> [Period] {
        var crm: [String: Decimal] = [:], erp: [String: Decimal] = [:]
        for c in contracts { crm[String(c.signedDay.prefix(7)), default: 0] += c.totalExclTax }
        for e in entries where e.kind == .receivable { erp[e.period, default: 0] += e.net }
        return Set(crm.keys).union(erp.keys).sorted().map { Period(period: $0, crm: crm[$0] ?? 0, erp: erp[$0] ?? 0) }
    }

    /// Revenue the ERP confirmed for each contract number (its receivables without tax, in the contract's currency).
    public static func confirmed(_ contracts: [Contract], _ entries: [ERPEntry]) -> [String: Decimal] {
        let currency = Dictionary(contracts.map { ($0.number, $0.currency) }, uniquingKeysWith: { a, _ in a })
        var out: [String: Decimal] = [:]
        for e in entries where e.kind == .receivable {
            guard let number = e.contractNumber, let wanted = currency[number], wanted == e.currency else { continue }
            out[number, default: 0] += e.net
        }
        return out
    }
}
