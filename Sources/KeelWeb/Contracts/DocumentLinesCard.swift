import Foundation
import KeelCore

/// A quote's or a contract's lines on its page: product, quantity, price (and the list price when another was agreed,
/// with why), discount, tax rate and the three amounts; then the totals and the tax of each rate, as an invoice states them.
public struct DocumentLinesCard {
    struct Row {
        var position, product, productHref, quantity, price, rate, excl, tax, incl: String
        var listPrice, reason, discount: String?
    }

    struct Total {
        var label, amount: String
    }


    var title: String
    var rows: [Row]
    var hasRows: Bool
    var totals: [Total]
    /// Where the lines are edited; nil when the document keeps them.
    var editHref: String?
    /// Why they cannot be edited (a quote sent, won or lost; a contract's lines are the quote's).
    var fixedNote: String?
    /// A quote's contract; or, for a quote that may become one, where to make it.
    public var contractHref, makeContract: String?

    /// `editHref`: where the lines are edited, nil when they are not; `fixedNote`: why not.
    public init(document: Record, documentObject: ObjectDefinition, lines: [Record], object: ObjectDefinition, editHref: String?, fixedNote: String?,
                _ t: Strings) {
        title = t.language.label(object.labels)
        func text(_ record: Record, _ name: String) -> String { ValueDisplay.text(record.value(name), object.field(name), t) }
        rows = lines.map { line in
            let unit = line.value("unit").stringValue.map { " " + $0 } ?? ""
            let overridden = line.value("list_price") != line.value("unit_price")
            let discount = (line.value("discount").numberValue ?? 0) > 0 ? text(line, "discount") : nil
            return Row(position: text(line, "position"), product: line.value("name").stringValue ?? "—",
                       productHref: "/o/products/\(line.value("product").stringValue ?? "")", quantity: text(line, "quantity") + unit,
                       price: text(line, "unit_price"), rate: text(line, "tax_rate"), excl: text(line, "amount_excl_tax"), tax: text(line, "tax"),
                       incl: text(line, "amount_incl_tax"),
                       listPrice: overridden ? t["quote_list_price"].replacingOccurrences(of: "{1}", with: text(line, "list_price")) : nil,
                       reason: overridden ? line.value("price_reason").stringValue : nil, discount: discount)
        }
        hasRows = !rows.isEmpty
        let byRate = QuotePricing.RateTax.sums(of: lines)
        totals = ["total_excl_tax", "total_tax", "total_incl_tax"].compactMap { name in
            documentObject.field(name).map { Total(label: t.language.label($0.labels), amount: ValueDisplay.text(document.value(name), $0, t)) }
        }
            + byRate.map { Total(label: t["quote_tax_at"].replacingOccurrences(of: "{1}", with: TaxRate.percentText($0.rate)),
                                 amount: $0.tax.yuan) }
        (self.editHref, self.fixedNote) = (editHref, fixedNote)
    }
}
