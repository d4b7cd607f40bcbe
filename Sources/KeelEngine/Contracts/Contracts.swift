import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Contracts: a won quote becomes one, with its lines and totals as they were quoted (frozen: callers never write a
/// contract's lines); a payment plan that adds up to the total to the fen, checked against the company's payment
/// policy; payments received, recorded against the plan.
public struct Contracts: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let quotes: Quotes

    /// Quote statuses a contract may be made from: not while in approval, not when lost.
    public static let convertibleQuoteStatuses: Set<String> = ["draft", "approved", "sent", "won"]

    /// A contract with its lines, its payment plan (each line with what was paid against it) and its payments.
    public struct Document: Sendable {
        public var contract: Record
        public var lines: [Record]
        public var plan: [Record]
        public var payments: [Record]
        public var catalog: Catalog

        public var json: JSONValue {
            func read(_ records: [Record], _ object: String) -> JSONValue {
                guard let definition = catalog.object(object) else { return [] }
                return .array(records.map { $0.json(object: definition) })
            }
            var o = contract.json(object: catalog.object(StandardObjects.contract.name) ?? StandardObjects.contract).objectValue ?? [:]
            o["lines"] = read(lines, StandardObjects.contractLine.name)
            var plan = read(plan, StandardObjects.paymentPlanLine.name).arrayValue ?? []
            for (i, line) in self.plan.enumerated() {
                var entry = plan[i].objectValue ?? [:]
                entry["paid"] = paid(line).json
                plan[i] = .object(entry)
            }
            o["payment_plan"] = .array(plan)
            o["payments"] = read(payments, StandardObjects.payment.name)
            o["received"] = received.json
            o["outstanding"] = ((Decimal(exactly: contract.value("total_incl_tax")) ?? 0) - received).json
            return .object(o)
        }

        /// What was received on the contract.
        public var received: Decimal { payments.reduce(Decimal(0)) { $0 + (Decimal(exactly: $1.value("amount")) ?? 0) } }

        /// What was paid against a plan line.
        public func paid(_ line: Record) -> Decimal {
            payments.filter { $0.value("plan_line") == .string(line.id) }.reduce(Decimal(0)) { $0 + (Decimal(exactly: $1.value("amount")) ?? 0) }
        }
    }

    /// Makes the contract of a quote, in ONE transaction: the contract (its name, delivery date and other fields from
    /// `input`), a copy of each of the quote's lines with its amounts, and the quote marked won. A quote has one contract.
    public func fromQuote(_ quoteID: String, _ input: [String: JSONValue], context: WriteContext) async throws -> Document {
        let catalog = try await metadata.catalog()
        let (quoteObject, quoteLines, contracts, contractLines) = (try catalog.require(StandardObjects.quote.name), try catalog.require(StandardObjects.quoteLine.name),
                                                                   try catalog.require(StandardObjects.contract.name), try catalog.require(StandardObjects.contractLine.name))
        let principal = context.principal
        let quoteScopes = try await access.scopes(principal, [.update, .read], object: quoteObject)
        let scopes = try await access.scopes(principal, [.create, .read], object: contracts)
        let allowed: Set<String> = ["name", "delivery_date", "signed_at", "owner"]
        if let unknown = input.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw KeelError.validation([Violation(field: unknown, code: "unknown_field", message: "A contract made from a quote takes \(allowed.sorted().joined(separator: ", ")).")])
        }
        return try await database.write { db in
            let quote = try await records.lockedCurrent(quoteObject, id: quoteID, expectedVersion: nil, .update, scope: quoteScopes[0], readable: quoteScopes[1], on: db).record
            let status = quote.value("status").stringValue ?? "draft"
            guard Self.convertibleQuoteStatuses.contains(status) else {
                throw KeelError(.conflict, code: "quote_not_convertible", message: "A quote that is \(status) does not become a contract.")
            }
            if let existing = try await records.store.children(of: quoteID, field: "quote", object: contracts, on: db).first {
                throw KeelError(.conflict, code: "contract_exists", message: "This quote already has its contract \(existing.value("name").stringValue ?? existing.id).")
            }
            var values = input
            for field in ["account", "opportunity", "rounding_level", "rounding_mode", "owner", "total_excl_tax", "total_tax", "total_incl_tax"] where values[field] == nil {
                values[field] = quote.value(field)
            }
            values["quote"] = .string(quoteID)
            if values["name"] == nil { values["name"] = .string((quote.value("name").stringValue ?? "").replacingOccurrences(of: "报价", with: "合同")) }
            var own = context
            own.priced = true
            let contract = try await records.insertNew(contracts, values.filter { !$0.value.isNull }, catalog: catalog, context: own,
                                                       scope: scopes[0], readable: scopes[1], on: db)
            let copied = try await records.store.children(of: quoteID, field: "quote", object: quoteLines, on: db).map { line in
                var v = line.values.filter { contractLines.field($0.key) != nil && $0.key != "owner" && !$0.value.isNull }
                v["quote"] = nil
                return v
            }
            let lines = try await quotes.writeLines(copied, of: contract, field: "contract", object: contractLines, catalog: catalog, context: own, on: db)
            if status != "won" {
                _ = try await records.applyUpdate(quoteObject, id: quoteID, ["status": "won"], expectedVersion: quote.version, .update,
                                                  scope: quoteScopes[0], readable: quoteScopes[1], catalog: catalog, context: context, on: db)
            }
            return Document(contract: contract, lines: lines, plan: [], payments: [], catalog: catalog)
        }
    }

    /// Replaces a contract's payment plan. The plan must add up to the contract's total (with tax) to the fen; where it
    /// breaks the payment policy the contract says so (`plan_status` needs_approval, `plan_breaches` why) for an
    /// approval to decide. A completed or terminated contract keeps its plan.
    public func setPlan(_ id: String, _ lines: JSONValue?, expectedVersion: Int?, context: WriteContext) async throws -> Document {
        let catalog = try await metadata.catalog()
        let policy = try await policy()
        let (contracts, planLines) = (try catalog.require(StandardObjects.contract.name), try catalog.require(StandardObjects.paymentPlanLine.name))
        let principal = context.principal
        let scopes = try await access.scopes(principal, [.update, .read], object: contracts)
        return try await database.write { db in
            let current = try await records.lockedCurrent(contracts, id: id, expectedVersion: expectedVersion, .update, scope: scopes[0], readable: scopes[1], on: db).record
            let status = current.value("status").stringValue ?? "draft"
            guard !StandardObjects.signedContractStatuses.contains(status) else {
                throw KeelError(.conflict, code: "contract_signed", message: "A signed contract keeps its payment plan.")
            }
            let total = Decimal(exactly: current.value("total_incl_tax")) ?? 0
            let (parsed, violations) = PaymentPlan.parse(lines, total: total)
            guard let plan = parsed, violations.isEmpty else { throw KeelError.validation(violations) }
            let breaches = plan.breaches(of: policy, total: total, delivery: current.value("delivery_date").stringValue)
            var own = context
            own.priced = true
            let whole = AccessScope.whole(planLines, userID: principal.userID)
            for old in try await records.store.children(of: id, field: "contract", object: planLines, on: db) {
                try await records.applyDelete(planLines, id: old.id, expectedVersion: old.version, scope: whole, readable: whole, catalog: catalog, context: own, on: db)
            }
            let contract = try await records.applyUpdate(contracts, id: id, [
                "plan_status": .string(breaches.isEmpty ? "within_policy" : "needs_approval"),
                "plan_breaches": breaches.isEmpty ? .null : .string(breaches.joined(separator: "\n")),
            ], expectedVersion: current.version, .update, scope: scopes[0], readable: scopes[1], catalog: catalog, context: own, on: db)
            var written: [Record] = []
            for (i, line) in plan.lines.enumerated() {
                var values: [String: JSONValue] = ["contract": .string(id), "position": JSONValue(i + 1), "kind": .string(line.kind),
                                                   "amount": line.amount.json, "owner": contract.value("owner")]
                if let due = line.dueDate { values["due_date"] = .string(due) }
                if let days = line.daysAfterDelivery { values["days_after_delivery"] = JSONValue(days) }
                if let description = line.description { values["description"] = .string(description) }
                written.append(try await records.insertNew(planLines, values, catalog: catalog, context: own, scope: whole, readable: whole, on: db))
            }
            let payments = try await records.store.children(of: id, field: "contract", object: try catalog.require(StandardObjects.payment.name), on: db)
            return Document(contract: contract, lines: try await records.store.children(of: id, field: "contract", object: try catalog.require(StandardObjects.contractLine.name), on: db),
                            plan: written, payments: payments, catalog: catalog)
        }
    }

    static let policyKey = "payment_policy"

    /// Who hears of what goes wrong with money (a failing ERP connector, a failed nightly reconciliation): the active
    /// admins and the payment policy's finance users.
    public func financeAndAdmins() async throws -> [String] {
        let finance = try await policy().finance
        let admins = try await database.read { db in try await DirectoryStore().users(on: db) }.filter { $0.role == .admin && $0.status == .active }.map(\.id)
        return Array(Set(admins + finance)).sorted()
    }

    /// The payment policy in force: Keel's default until an admin sets one.
    public func policy() async throws -> PaymentPlan.Policy {
        let stored = try await database.read { try await MetadataStore(dialect: database.dialect).setting(Self.policyKey, on: $0) }
        return stored.flatMap { try? PaymentPlan.Policy.parse($0) } ?? PaymentPlan.Policy()
    }

    /// Sets the payment policy (admins): plans made after are checked against it.
    public func setPolicy(_ json: JSONValue, by principal: Principal) async throws -> PaymentPlan.Policy {
        try await access.require(principal, .manageMetadata)
        let policy = try PaymentPlan.Policy.parse(json)
        try await database.write { db in
            let users = Set(try await DirectoryStore().users(on: db).filter { $0.status == .active }.map(\.id))
            let unknown = policy.finance.filter { !users.contains($0) }
            guard unknown.isEmpty else {
                throw KeelError.validation(unknown.map { Violation(field: "finance", code: "reference_not_found", message: "No active user \($0).") })
            }
            try await MetadataStore(dialect: database.dialect).setSetting(Self.policyKey, policy.json, by: principal.userID, on: db)
        }
        return policy
    }

    /// Tells each overdue receivable's contract owner and finance (the policy's, else the admins), once a week while it
    /// stays overdue. A plan line falls due on its day, or its days after delivery once delivery is known. Returns how
    /// many receivables are overdue.
    @discardableResult
    public func alertOverdue(at now: Date = Date()) async throws -> Int {
        let policy = try await policy()
        let today = String(ValueFormats.formatLocal(now, in: access.timeZone).prefix(10))
        let contracts = try await metadata.catalog().require(StandardObjects.contract.name)
        return try await database.write { db in
            var overdue = 0
            let admins = try await DirectoryStore().users(on: db).filter { $0.role == .admin && $0.status == .active }.map(\.id)
            for open in try await ContractStore().openReceivables(on: db) {
                let due = PaymentPlan.dueDay(open.dueDate, daysAfterDelivery: open.daysAfterDelivery, delivery: open.deliveryDate)
                guard let due, let late = ValueFormats.daysBetween(due, today), late > 0 else { continue }
                overdue += 1
                let left = open.amount - open.paid
                let amount = left.yuan
                let people = Array(Set((open.owner.map { [$0] } ?? []) + (policy.finance.isEmpty ? admins : policy.finance))).sorted()
                try await records.stages.notifier.tell(
                    zh: "「\(open.contractName)」有一笔回款逾期 \(late) 天：\(amount)（\(due) 到期）",
                    en: "“\(open.contractName)”: a payment of \(amount) is \(late) days overdue (due \(due))",
                    to: people, object: contracts.name, recordID: open.contract, key: "overdue:\(open.line):\(late / 7)", at: now, on: db)
            }
            return overdue
        }
    }

    /// A contract with its lines, plan and the payments `principal` may read.
    public func document(_ id: String, as principal: Principal) async throws -> Document {
        let (contract, _) = try await records.get(StandardObjects.contract.name, id: id, as: principal)
        let catalog = try await metadata.catalog()
        let paymentScope = try await access.scope(principal, .read, object: try catalog.require(StandardObjects.payment.name))
        return try await database.read { db in
            func children(_ object: String) async throws -> [Record] {
                try await records.store.children(of: id, field: "contract", object: try catalog.require(object), on: db)
                    .sorted { ($0.value("position").numberValue ?? 0) < ($1.value("position").numberValue ?? 0) }
            }
            let payments = paymentScope.plan.deniesAll ? [] : try await children(StandardObjects.payment.name)
            return Document(contract: contract, lines: try await children(StandardObjects.contractLine.name), plan: try await children(StandardObjects.paymentPlanLine.name),
                            payments: payments, catalog: catalog)
        }
    }
}
