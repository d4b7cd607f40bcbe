import KeelCore
import SQLKit

extension Migration {
    /// Contracts with their lines, payment plans and payments: standard objects with a typed column per field.
    static let m0033Contracts = Migration(name: "0033_contracts") { d in
        let line: [(String, FieldType)] = [("position", .number), ("product", .text), ("name", .text), ("quantity", .number), ("unit", .text),
                                           ("list_price", .money), ("price_book", .text), ("unit_price", .money), ("price_reason", .text), ("discount", .number),
                                           ("tax_rate", .number), ("tax_included", .boolean), ("amount_excl_tax", .money), ("tax", .money),
                                           ("amount_incl_tax", .money), ("owner", .text)]
        let tables: [(String, [(String, FieldType)], [String])] = [
            ("contracts", [("name", .text), ("number", .text), ("account", .text), ("quote", .text), ("opportunity", .text), ("status", .text), ("signed_at", .text),
                           ("delivery_date", .text), ("rounding_level", .text), ("rounding_mode", .text), ("total_excl_tax", .money), ("total_tax", .money),
                           ("total_incl_tax", .money), ("currency", .text), ("finance_confirmed_amount", .money), ("plan_status", .text), ("plan_breaches", .longText), ("owner", .text)],
             ["number", "account", "quote", "owner"]),
            ("contract_lines", [("contract", .text)] + line, ["contract", "product"]),
            ("payment_plan_lines", [("contract", .text), ("position", .number), ("kind", .text), ("amount", .money), ("due_date", .text),
                                    ("days_after_delivery", .number), ("description", .text), ("owner", .text)],
             ["contract", "due_date"]),
            ("payments", [("contract", .text), ("plan_line", .text), ("amount", .money), ("received_on", .text), ("method", .text),
                          ("reference", .text), ("owner", .text)],
             ["contract", "plan_line", "received_on"]),
        ]
        return Migration.recordTables(d, tables)
    }
}
