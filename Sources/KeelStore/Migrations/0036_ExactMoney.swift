import SQLKit

extension Migration {
    /// Money in SQLite becomes whole fen: an integer in its `NUMERIC` column (which keeps integers as integers), where
    /// an amount with a fraction was a binary double. Sums and comparisons in SQL are then exact too. PostgreSQL's
    /// money columns are `NUMERIC(20,2)` already. The money columns of the standard objects as released:
    static let m0036ExactMoney = Migration(name: "0036_exact_money") { d in
        guard d == .sqlite else { return [] }
        let money: [(String, [String])] = [
            ("opportunities", ["amount"]), ("products", ["unit_price"]), ("price_book_entries", ["unit_price"]),
            ("quotes", ["total_excl_tax", "total_tax", "total_incl_tax"]),
            ("quote_lines", ["list_price", "unit_price", "amount_excl_tax", "tax", "amount_incl_tax"]),
            ("contracts", ["total_excl_tax", "total_tax", "total_incl_tax", "finance_confirmed_amount"]),
            ("contract_lines", ["list_price", "unit_price", "amount_excl_tax", "tax", "amount_incl_tax"]),
            ("payment_plan_lines", ["amount"]), ("payments", ["amount"]),
        ]
        return money.map { table, columns in
            let sets: [SQLQueryString] = columns.map { "\(name: $0) = CAST(ROUND(\(name: $0) * 100) AS INTEGER)" }
            return "UPDATE \(name: table) SET \(sets.joined(separator: ", "))"
        }
    }
}
