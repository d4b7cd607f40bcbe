import Foundation
import KeelCore

/// A contract's payment plan on its page: each instalment with its due day (or days after delivery), amount, what was
/// paid against it and where it stands (paid, partly paid, overdue, not yet due); whether the plan keeps to the payment
/// policy, and why not; received and outstanding.
public struct PaymentPlanCard {
    struct Row {
        var position, kind, due, amount, paid, state: String
        var description: String?
    }

    struct Status {
        var text, style: String
    }

    struct Breaches {
        var items: [String]
    }

    var rows: [Row]
    var hasRows: Bool
    var status: Status?
    var breaches: Breaches?
    var totals: [DocumentLinesCard.Total]

    /// `paid`: what was paid against a plan line; `today`: the organisation's day (`YYYY-MM-DD`).
    public init(contract: Record, plan: [Record], received: Decimal, paid: (Record) -> Decimal, object: ObjectDefinition, today: String, _ t: Strings) {
        let delivery = contract.value("delivery_date").stringValue
        rows = plan.map { line in
            let amount = Decimal(exactly: line.value("amount")) ?? 0, done = paid(line)
            let days = line.value("days_after_delivery").intValue
            let dueDay = PaymentPlan.dueDay(line.value("due_date").stringValue, daysAfterDelivery: days, delivery: delivery)
            let due = line.value("due_date").stringValue
                ?? t[dueDay == nil ? "plan_after_delivery" : "plan_after_delivery_on"].replacingOccurrences(of: "{1}", with: String(days ?? 0))
                    .replacingOccurrences(of: "{2}", with: dueDay ?? "")
            let state: String
            if done >= amount { state = t["plan_paid_full"] }
            else if let dueDay, let late = ValueFormats.daysBetween(dueDay, today), late > 0 { state = t["plan_overdue"].replacingOccurrences(of: "{1}", with: String(late)) }
            else { state = done > 0 ? t["plan_paid_part"] : t["plan_not_due"] }
            return Row(position: ValueDisplay.text(line.value("position"), nil, t), kind: t.option(line.value("kind").stringValue ?? "", of: object.field("kind")),
                       due: due, amount: amount.yuan, paid: done.yuan, state: state, description: line.value("description").stringValue)
        }
        hasRows = !rows.isEmpty
        switch contract.value("plan_status").stringValue {
        case "within_policy": status = Status(text: t["plan_within_policy"], style: "muted")
        case "needs_approval": status = Status(text: t["plan_needs_approval"], style: "alert")
        case "approved": status = Status(text: t["plan_approved"], style: "muted")
        default: status = nil
        }
        let items = Self.breaches(contract.value("plan_breaches").stringValue ?? "", t)
        breaches = items.isEmpty ? nil : Breaches(items: items)
        let total = Decimal(exactly: contract.value("total_incl_tax")) ?? 0
        totals = [DocumentLinesCard.Total(label: t["plan_received"], amount: received.yuan),
                  DocumentLinesCard.Total(label: t["plan_outstanding"], amount: (total - received).yuan)]
    }

    /// A contract's `plan_breaches` (`deposit_below|20%|30%`, one a line) in the reader's words.
    public static func breaches(_ text: String, _ t: Strings) -> [String] {
        text.split(separator: "\n").map { line in
            let parts = line.split(separator: "|").map(String.init)
            return parts.dropFirst().enumerated().reduce(t["breach_" + (parts.first ?? "")]) { text, arg in
                text.replacingOccurrences(of: "{\(arg.offset + 1)}", with: PaymentPlan.kinds.contains(arg.element) ? t.option(arg.element, of: StandardObjects.paymentPlanLine.field("kind")) : arg.element)
            }
        }
    }
}
