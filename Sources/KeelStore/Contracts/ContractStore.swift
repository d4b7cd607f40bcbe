import KeelCore
import SQLKit

/// SQL for contracts beyond what the record store does: the receivables still open.
public struct ContractStore: Sendable {
    public init() {}

    /// A plan line not yet paid in full, of a contract still running, with what the contract says of it.
    public struct OpenReceivable: Sendable {
        public var line, contract, contractName, kind: String
        public var owner, dueDate, deliveryDate: String?
        public var daysAfterDelivery: Int?
        public var amount, paid: Double
    }

    /// Every plan line of a contract neither completed nor terminated whose payments fall short of it.
    public func openReceivables(on db: any SQLDatabase) async throws -> [OpenReceivable] {
        try await db.raw("""
            SELECT l.id, l.contract, l.kind, l.amount, l.due_date, l.days_after_delivery, c.name, c.owner, c.delivery_date,
                   COALESCE(p.paid, 0) AS paid
            FROM payment_plan_lines l
            JOIN contracts c ON c.id = l.contract
            LEFT JOIN (SELECT plan_line, SUM(amount) AS paid FROM payments GROUP BY plan_line) p ON p.plan_line = l.id
            WHERE c.status NOT IN ('completed', 'terminated') AND COALESCE(p.paid, 0) < l.amount
            ORDER BY l.contract, l.position
            """).all().map { row in
            OpenReceivable(line: try row.decode(column: "id", as: String.self), contract: try row.decode(column: "contract", as: String.self),
                           contractName: try row.decode(column: "name", as: String?.self) ?? "", kind: try row.decode(column: "kind", as: String?.self) ?? "",
                           owner: try row.decode(column: "owner", as: String?.self), dueDate: try row.decode(column: "due_date", as: String?.self),
                           deliveryDate: try row.decode(column: "delivery_date", as: String?.self),
                           daysAfterDelivery: try row.decode(column: "days_after_delivery", as: Double?.self).map { Int($0) },
                           amount: try row.decode(column: "amount", as: Double.self), paid: try row.decode(column: "paid", as: Double.self))
        }
    }
}
