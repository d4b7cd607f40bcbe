import KeelCore
import SQLKit

extension Migration {
    /// The catalog and quotes: `products`, `price_books`, `price_book_entries`, `quotes` and `quote_lines`, standard
    /// objects with a typed column per field.
    /// A product's SKU is unique.
    static let m0032Quotes = Migration(name: "0032_quotes") { d in
        let tables: [(String, [(String, FieldType)], [String])] = [
            ("products", [("name", .text), ("sku", .text), ("unit", .text), ("unit_price", .money), ("tax_rate", .number),
                          ("tax_included", .boolean), ("active", .boolean), ("description", .longText)],
             ["name"]),
            ("price_books", [("name", .text), ("segment", .text), ("province", .text), ("valid_from", .text), ("valid_to", .text), ("active", .boolean)],
             ["segment", "province"]),
            ("price_book_entries", [("price_book", .text), ("product", .text), ("unit_price", .money)], ["price_book", "product"]),
            ("quotes", [("name", .text), ("account", .text), ("opportunity", .text), ("status", .text), ("valid_until", .text),
                        ("rounding_level", .text), ("rounding_mode", .text), ("max_discount", .number), ("total_excl_tax", .money), ("total_tax", .money),
                        ("total_incl_tax", .money), ("owner", .text)],
             ["account", "opportunity", "owner"]),
            ("quote_lines", [("quote", .text), ("position", .number), ("product", .text), ("name", .text), ("quantity", .number), ("unit", .text),
                             ("list_price", .money), ("price_book", .text), ("unit_price", .money), ("price_reason", .text),
                             ("discount", .number), ("tax_rate", .number), ("tax_included", .boolean), ("amount_excl_tax", .money), ("tax", .money),
                             ("amount_incl_tax", .money), ("owner", .text)],
             ["quote", "product"]),
        ]
        var statements = Migration.recordTables(d, tables)
        statements.append("CREATE UNIQUE INDEX ux_products_sku ON products (sku)")
        return statements
    }
}
