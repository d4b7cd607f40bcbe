import KeelCore
import SQLKit

extension Migration {
    /// The catalog and quotes: `products`, `quotes` and `quote_lines`, standard objects with a typed column per field.
    /// A product's SKU is unique.
    static let m0032Quotes = Migration(name: "0032_quotes") { d in
        let tables: [(String, [(String, FieldType)], [String])] = [
            ("products", [("name", .text), ("sku", .text), ("unit", .text), ("unit_price", .money), ("tax_rate", .number),
                          ("tax_included", .boolean), ("active", .boolean), ("description", .longText)],
             ["name"]),
            ("quotes", [("name", .text), ("account", .text), ("opportunity", .text), ("status", .text), ("valid_until", .text),
                        ("rounding_level", .text), ("rounding_mode", .text), ("max_discount", .number), ("total_excl_tax", .money), ("total_tax", .money),
                        ("total_incl_tax", .money), ("owner", .text)],
             ["account", "opportunity", "owner"]),
            ("quote_lines", [("quote", .text), ("position", .number), ("product", .text), ("name", .text), ("quantity", .number), ("unit", .text),
                             ("list_price", .money), ("unit_price", .money), ("price_reason", .text), ("discount", .number),
                             ("tax_rate", .number), ("tax_included", .boolean), ("amount_excl_tax", .money), ("tax", .money),
                             ("amount_incl_tax", .money), ("owner", .text)],
             ["quote", "product"]),
        ]
        var statements = Migration.recordTables(d, tables)
        statements.append("CREATE UNIQUE INDEX ux_products_sku ON products (sku)")
        return statements
    }
}
