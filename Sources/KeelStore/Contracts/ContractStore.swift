import Foundation
import KeelCore
import SQLKit

/// SQL for contracts beyond what the record store does: price books in force, the receivables still open.
public struct ContractStore: Sendable {
    public init() {}

    /// The price book price of each product for a customer of `segment` (company size) in `province` on `day`: from the
    /// most specific active book in force (segment and province over one of them over neither; then the latest start).
    public func bookPrices(products: [String], segment: String?, province: String?, day: String,
                           on db: any SQLDatabase) async throws -> [String: (book: String, price: Decimal)] {
        guard !products.isEmpty else { return [:] }
        let rows = try await db.raw("""
            SELECT e.product, e.unit_price, b.id AS book
            FROM price_book_entries e JOIN price_books b ON b.id = e.price_book
            WHERE e.product IN (\(binds: products)) AND b.active = \(bind: true)
              AND (b.segment IS NULL OR b.segment = \(bind: segment)) AND (b.province IS NULL OR b.province = \(bind: province))
              AND (b.valid_from IS NULL OR b.valid_from <= \(bind: day)) AND (b.valid_to IS NULL OR b.valid_to >= \(bind: day))
            ORDER BY (CASE WHEN b.segment IS NULL THEN 0 ELSE 1 END) + (CASE WHEN b.province IS NULL THEN 0 ELSE 1 END) DESC,
                     COALESCE(b.valid_from, '') DESC, b.id, e.created_at DESC, e.id
            """).all()
        var out: [String: (book: String, price: Decimal)] = [:]
        let dialect = SQLDialectKind(of: db)
        for row in rows {
            let product = try row.decode(column: "product", as: String.self)
            if out[product] == nil {
                out[product] = (try row.decode(column: "book", as: String.self), try dialect.decode(row, column: "unit_price", type: .money).numberValue ?? 0)
            }
        }
        return out
    }

    /// A plan line not yet paid in full, of a contract still running, with what the contract says of it.
    public struct OpenReceivable: Sendable {
        public var line, contract, contractName, kind: String
        public var owner, dueDate, deliveryDate: String?
        public var daysAfterDelivery: Int?
        public var amount, paid: Decimal
    }

    /// Every plan line of a contract neither completed nor terminated whose payments fall short of it.
    public func openReceivables(on db: any SQLDatabase) async throws -> [OpenReceivable] {
        let dialect = SQLDialectKind(of: db)
        return try await db.raw("""
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
                           amount: try dialect.decode(row, column: "amount", type: .money).numberValue ?? 0,
                           paid: try dialect.decode(row, column: "paid", type: .money).numberValue ?? 0)
        }
    }
}
