import Foundation

/// How a contract is paid: a deposit, milestones, a final payment and a retention, each an amount (or a share of the
/// total) due on a day or a number of days after delivery — the delivery day need not be known when the plan is made.
/// The amounts must add up to the contract's total to the fen; the company's policy (deposit at least 30 %, nothing
/// due more than 90 days after delivery) may be broken only with an approval.
public struct PaymentPlan: Hashable, Sendable {
    public static let kinds = ["deposit", "milestone", "final", "retention"]
    public static let maxLines = 24

    public struct Line: Hashable, Sendable {
        public var kind: String
        public var amount: Decimal
        public var dueDate: String?
        public var daysAfterDelivery: Int?
        public var description: String?
    }

    /// The company's rules for plans, and who in finance hears of overdue receivables (with each contract's owner).
    public struct Policy: Hashable, Sendable {
        public var minDeposit: Decimal
        public var maxDaysAfterDelivery: Int
        /// Users told of overdue receivables besides the owner; none: the admins.
        public var finance: [String]

        public init(minDeposit: Decimal = Decimal(string: "0.3")!, maxDaysAfterDelivery: Int = 90, finance: [String] = []) {
            (self.minDeposit, self.maxDaysAfterDelivery, self.finance) = (minDeposit, maxDaysAfterDelivery, finance)
        }

        /// `{"minDeposit": 0.3, "maxDaysAfterDelivery": 90, "finance": [user ids]}`.
        public var json: JSONValue {
            ["minDeposit": minDeposit.json, "maxDaysAfterDelivery": JSONValue(maxDaysAfterDelivery), "finance": .array(finance.map(JSONValue.string))]
        }

        /// Reads a policy as an admin sends it, every violation at once (whether the finance users exist is the caller's to check).
        public static func parse(_ json: JSONValue) throws(KeelError) -> Policy {
            guard let o = json.objectValue else { throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"minDeposit\", \"maxDaysAfterDelivery\", \"finance\"}.") }
            var violations: [Violation] = []
            for key in o.keys.sorted() where !["minDeposit", "maxDaysAfterDelivery", "finance"].contains(key) {
                violations.append(Violation(field: key, code: "unknown_field", message: "A payment policy has no field \(key)."))
            }
            let deposit = o["minDeposit"]?.numberValue != nil ? o["minDeposit"].flatMap { Decimal(exactly: $0) } : nil
            if deposit == nil || deposit! < 0 || deposit! > 1 || deposit!.scale > 4 {
                violations.append(Violation(field: "minDeposit", code: "out_of_range", message: "The smallest deposit is a share from 0 to 1 (0.3 for 30 %)."))
            }
            let days = o["maxDaysAfterDelivery"]?.intValue
            if days == nil || !(0...3_650).contains(days!) {
                violations.append(Violation(field: "maxDaysAfterDelivery", code: "out_of_range", message: "Days after delivery are a whole number from 0 to 3650."))
            }
            let finance = o["finance"].map { $0.arrayValue?.compactMap(\.stringValue) } ?? []
            if finance == nil || finance!.count != (o["finance"]?.arrayValue?.count ?? 0) || finance!.count > 50 {
                violations.append(Violation(field: "finance", code: "invalid_type", message: "Finance is a list of up to 50 user ids."))
            }
            guard violations.isEmpty, let deposit, let days, let finance else { throw KeelError.validation(violations) }
            return Policy(minDeposit: deposit, maxDaysAfterDelivery: days, finance: Array(Set(finance)).sorted())
        }
    }

    public var lines: [Line]

    /// Parses `[{"kind", "amount" | "share", "due_date" | "days_after_delivery", "description"?}]` against the contract's
    /// total: every violation at once (`lines[1].amount`); shares become amounts to the fen that add up exactly.
    public static func parse(_ json: JSONValue?, total: Decimal) -> (plan: PaymentPlan?, violations: [Violation]) {
        guard let items = json?.arrayValue, !items.isEmpty, items.count <= maxLines else {
            return (nil, [Violation(field: "lines", code: json == nil ? "required" : "invalid_type",
                                    message: "A payment plan is an array of 1 to \(maxLines) lines {\"kind\", \"amount\" or \"share\", \"due_date\" or \"days_after_delivery\"}.")])
        }
        var violations: [Violation] = [], lines: [Line] = []
        var shares: [(index: Int, share: Decimal)] = []
        let keys: Set<String> = ["kind", "amount", "share", "due_date", "days_after_delivery", "description"]
        for (i, item) in items.enumerated() {
            func fail(_ field: String, _ code: String, _ message: String) { violations.append(Violation(field: "lines[\(i)].\(field)", code: code, message: message)) }
            guard let o = item.objectValue else { fail("", "invalid_type", "A plan line is an object."); continue }
            for key in o.keys.sorted() where !keys.contains(key) { fail(key, "unknown_field", "A plan line has no field \(key).") }
            let kind = o["kind"]?.stringValue ?? ""
            if !kinds.contains(kind) { fail("kind", o["kind"] == nil ? "required" : "invalid_option", "Kind is one of \(kinds.joined(separator: ", ")).") }
            var amount: Decimal = 0
            switch (o["amount"], o["share"]) {
            case (let a?, nil):
                if let d = Decimal(exactly: a), d > 0, d.scale <= 2, d < 10_000_000_000_000 { amount = d }
                else { fail("amount", "out_of_range", "Amount is above 0, to the fen.") }
            case (nil, let s?):
                if let d = Decimal(exactly: s), d > 0, d <= 1, d.scale <= 4 { shares.append((i, d)) }
                else { fail("share", "out_of_range", "Share is above 0 and at most 1 (0.3 for 30 %), with at most four decimals.") }
            default: fail("amount", "required", "Give an amount or a share of the total, not both.")
            }
            var due: String?, days: Int?
            switch (o["due_date"], o["days_after_delivery"]) {
            case (let d?, nil):
                if let s = d.stringValue, ValueFormats.isDate(s) { due = s } else { fail("due_date", "invalid_format", "Due date is a day, YYYY-MM-DD.") }
            case (nil, let n?):
                if let v = n.intValue, (0...3_650).contains(v) { days = v } else { fail("days_after_delivery", "out_of_range", "Days after delivery is a whole number from 0 to 3650.") }
            default: fail("due_date", "required", "Give a due date or the days after delivery, not both.")
            }
            var description: String?
            if let d = o["description"], !d.isNull {
                if let s = d.stringValue?.trimmed, s.unicodeScalars.count <= 200, ValueFormats.controlCharacter(in: s) == nil { description = s.isEmpty ? nil : s }
                else { fail("description", "invalid_type", "Description is text of at most 200 characters, without control characters.") }
            }
            lines.append(Line(kind: kind, amount: amount, dueDate: due, daysAfterDelivery: days, description: description))
        }
        if !shares.isEmpty {
            let amounts = QuotePricing.share(total * shares.reduce(0) { $0 + $1.share }, shares.map { total * $0.share })
            for (k, s) in shares.enumerated() { lines[s.index].amount = amounts[k] }
        }
        let sum = lines.reduce(0) { $0 + $1.amount }
        if violations.isEmpty, sum != total {
            violations.append(Violation(field: "lines", code: "plan_total", message: "The plan adds up to \(sum.text(places: 2)), not the contract's \(total.text(places: 2))."))
        }
        return violations.isEmpty ? (PaymentPlan(lines: lines), []) : (nil, violations)
    }

    /// The day a plan line falls due: its own, or its days after delivery once delivery is known; nil until then.
    public static func dueDay(_ dueDate: String?, daysAfterDelivery: Int?, delivery: String?) -> String? {
        dueDate ?? delivery.flatMap { d in daysAfterDelivery.flatMap { ValueFormats.day(d, plus: $0) } }
    }

    /// Where the plan breaks the policy: an empty list is a plan within it. Each breach is a code and its values,
    /// `|`-separated, for a page to word in its reader's language: `deposit_below|20%|30%`,
    /// `due_after_delivery|retention|365|90`, `no_delivery_date|final|2027-03-01`. `delivery`: the delivery day, if known.
    public func breaches(of policy: Policy, total: Decimal, delivery: String?) -> [String] {
        var out: [String] = []
        let deposit = lines.filter { $0.kind == "deposit" }.reduce(Decimal(0)) { $0 + $1.amount }
        if total > 0, deposit / total < policy.minDeposit {
            out.append("deposit_below|\((deposit / total * 100).rounded(1, .halfUp))%|\(policy.minDeposit * 100)%")
        }
        for line in lines {
            if let days = line.daysAfterDelivery, days > policy.maxDaysAfterDelivery {
                out.append("due_after_delivery|\(line.kind)|\(days)|\(policy.maxDaysAfterDelivery)")
            } else if let due = line.dueDate {
                guard let delivery else { out.append("no_delivery_date|\(line.kind)|\(due)"); continue }
                if let days = ValueFormats.daysBetween(delivery, due), days > policy.maxDaysAfterDelivery {
                    out.append("due_after_delivery|\(line.kind)|\(days)|\(policy.maxDaysAfterDelivery)")
                }
            }
        }
        return out
    }
}
