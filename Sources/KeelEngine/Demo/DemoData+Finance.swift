import Foundation
import KeelCore

extension DemoData {
    /// What the ERP (金蝶云星空) booked for the signed contracts: a receivable each, a receipt for each payment — with a
    /// few differences to clear: a receivable booked a month late, one not booked, one for another amount, one with
    /// other tax, one in dollars, a payment not yet in the ERP, and a receivable for a contract the CRM does not have.
    /// Then the first reconciliation.
    static func loadFinance(into keel: Keel, by admin: Principal) async throws {
        let calendar = Calendar(identifier: .gregorian)
        let contracts = try await keel.records.list(StandardObjects.contract.name, params: [("filter[status][eq]", "signed"), ("sort", "number"), ("limit", "200")],
                                                    as: admin).records
        let payments = try await keel.records.list(StandardObjects.payment.name, params: [("sort", "received_on"), ("limit", "500")], as: admin).records
        var entries: [ERPEntry] = []
        for (i, contract) in contracts.enumerated() {
            guard let number = contract.value("number").stringValue, let signed = contract.value("signed_at").stringValue.flatMap(ValueFormats.parseDateTime),
                  let total = Decimal(exactly: contract.value("total_incl_tax")), let tax = Decimal(exactly: contract.value("total_tax")) else { continue }
            var receivable = ERPEntry(source: "kingdee", kind: .receivable, document: String(format: "AR%06d", 2026_00 + i), contractNumber: number,
                                      day: keel.day(calendar.date(byAdding: .day, value: 1, to: signed)!), amount: total, tax: tax)
            switch i {
            case 0: receivable.day = keel.day(calendar.date(byAdding: .month, value: 1, to: signed)!)
            case 2: receivable.amount += 2000
            case 3: (receivable.amount, receivable.tax) = (receivable.amount + Decimal(string: "0.01")!, receivable.tax + Decimal(string: "0.01")!)
            case 4: receivable.currency = "USD"
            default: break
            }
            if i != 1 { entries.append(receivable) }
            for (k, payment) in payments.filter({ $0.value("contract") == .string(contract.id) }).enumerated() where !(i == 5 && k == 0) {
                guard let amount = Decimal(exactly: payment.value("amount")), let day = payment.value("received_on").stringValue else { continue }
                entries.append(ERPEntry(source: "kingdee", kind: .receipt, document: String(format: "SK%06d", 2026_00 + i * 10 + k), contractNumber: number,
                                        day: day, amount: amount))
            }
        }
        let day = keel.day(calendar.date(byAdding: .day, value: -12, to: Date())!)
        entries.append(ERPEntry(source: "kingdee", kind: .receivable, document: "AR209901", contractNumber: "HT-20250918-0007", day: day,
                                amount: Decimal(string: "56500.00")!, tax: Decimal(string: "6500.00")!))
        try await keel.reconciliations.receive(entries)
        try await keel.reconciliations.run(as: admin)
    }
}
