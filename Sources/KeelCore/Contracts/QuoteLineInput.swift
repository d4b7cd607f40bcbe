import Foundation

/// One line of a quote as a caller sends it: `{"product", "quantity", "unit_price"?, "discount"?, "price_reason"?}`.
/// Money and rates are exact decimals (JSON numbers or decimal strings).
public struct QuoteLineInput: Hashable, Sendable {
    /// Where the line stands in the request, from 0: its violations are `lines[index].…`.
    public var index: Int
    public var product: String
    public var quantity: Decimal
    /// Nil: the product's price.
    public var unitPrice: Decimal?
    public var discount: Decimal
    public var priceReason: String?

    public static let maxLines = 200
    static let keys: Set<String> = ["product", "quantity", "unit_price", "discount", "price_reason"]

    /// Parses `lines`, reporting every violation at once with its path (`lines[2].quantity`), and the lines that are
    /// well formed (their products are still to be checked). None (absent or null): a quote without lines yet.
    public static func parse(_ json: JSONValue?) -> (lines: [QuoteLineInput], violations: [Violation]) {
        if json == nil || json == .null { return ([], []) }
        guard let items = json?.arrayValue, items.count <= maxLines else {
            return ([], [Violation(field: "lines", code: "invalid_type", message: "Lines are an array of up to \(maxLines) {\"product\", \"quantity\"}.")])
        }
        var lines: [QuoteLineInput] = [], violations: [Violation] = []
        for (i, item) in items.enumerated() {
            func fail(_ field: String, _ code: String, _ message: String) { violations.append(Violation(field: "lines[\(i)].\(field)", code: code, message: message)) }
            guard let o = item.objectValue else { fail("", "invalid_type", "A line is an object {\"product\", \"quantity\"}."); continue }
            for key in o.keys.sorted() where !keys.contains(key) { fail(key, "unknown_field", "A line has no field \(key).") }
            let product = o["product"]?.stringValue?.trimmed ?? ""
            if product.isEmpty { fail("product", "required", "Each line names its product.") }
            let quantity = decimal(o["quantity"], places: 4, below: 1_000_000_000)
            if quantity == nil || quantity! <= 0 { fail("quantity", o["quantity"] == nil ? "required" : "out_of_range", "Quantity is a number above 0 with at most four decimals.") }
            var price: Decimal?
            if let raw = o["unit_price"], !raw.isNull {
                price = decimal(raw, places: 2, below: 10_000_000_000)
                if price == nil || price! < 0 { fail("unit_price", "out_of_range", "Unit price is an amount of 0 or more, to the fen.") }
            }
            var discount: Decimal = 0
            if let raw = o["discount"], !raw.isNull {
                let d = decimal(raw, places: 4, below: 2)
                if let d, d >= 0, d <= 1 { discount = d } else { fail("discount", "out_of_range", "Discount is a share from 0 to 1 (0.1 for 10 %) with at most four decimals.") }
            }
            var reason: String?
            if let raw = o["price_reason"], !raw.isNull {
                if let text = raw.stringValue?.trimmed, text.unicodeScalars.count <= 500, ValueFormats.controlCharacter(in: text) == nil { reason = text.isEmpty ? nil : text }
                else { fail("price_reason", "invalid_type", "The reason for a changed price is text of at most 500 characters, without control characters.") }
            }
            if !product.isEmpty, let quantity, quantity > 0 {
                lines.append(QuoteLineInput(index: i, product: product, quantity: quantity, unitPrice: price, discount: discount, priceReason: reason))
            }
        }
        return (lines, violations)
    }

    /// An exact decimal with at most `places` decimals, of magnitude below `below`; nil otherwise.
    static func decimal(_ json: JSONValue?, places: Int, below: Decimal) -> Decimal? {
        guard let json, let d = Decimal(exactly: json), d.scale <= places, abs(d) < below else { return nil }
        return d
    }
}
