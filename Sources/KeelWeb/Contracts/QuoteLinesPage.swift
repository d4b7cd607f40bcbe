import Foundation
import KeelCore

/// The lines of a draft quote as a form: one row per line (product, quantity, unit price, discount in %, why the price
/// differs) and a few empty rows to add more. Saving replaces the lines and prices the quote again.
public struct QuoteLinesPage {
    /// A row as typed (or as stored, on the first visit).
    public struct Line: Sendable {
        public var product, quantity, unitPrice, discount, reason: String

        public init(product: String = "", quantity: String = "", unitPrice: String = "", discount: String = "", reason: String = "") {
            (self.product, self.quantity, self.unitPrice, self.discount, self.reason) = (product, quantity, unitPrice, discount, reason)
        }

        /// A stored line as the form shows it: the discount in percent; the unit price only when it is not the list price.
        public init(_ record: Record) {
            let text = { (name: String) in ValueDisplay.formValue(record.value(name)) }
            let percent = Decimal(exactly: record.value("discount")).map { $0 == 0 ? "" : "\($0 * 100)" } ?? ""
            self.init(product: record.value("product").stringValue ?? "", quantity: text("quantity"),
                      unitPrice: record.value("unit_price") == record.value("list_price") ? "" : text("unit_price"), discount: percent, reason: text("price_reason"))
        }

        var isEmpty: Bool { [product, quantity, unitPrice, discount, reason].allSatisfy { $0.trimmingCharacters(in: .whitespaces).isEmpty } }

        /// The line as the quote service reads it (`QuoteLineInput`): numbers as typed, the discount back to a share.
        var json: JSONValue {
            var o: [String: JSONValue] = ["product": .string(product), "quantity": .string(quantity.trimmingCharacters(in: .whitespaces))]
            let price = unitPrice.trimmingCharacters(in: .whitespaces), off = discount.trimmingCharacters(in: .whitespaces)
            if !price.isEmpty { o["unit_price"] = .string(price) }
            if !off.isEmpty { o["discount"] = Decimal(exactText: off).map { ($0 / 100).json } ?? .string(off) }
            if !reason.trimmingCharacters(in: .whitespaces).isEmpty { o["price_reason"] = .string(reason) }
            return .object(o)
        }
    }

    /// The rows a form sent (`product`, `quantity`, `unit_price`, `discount`, `price_reason`, repeated in step), empty
    /// rows left out, as the quote service's `lines`.
    public static func lines(_ pairs: [(String, String)]) -> [Line] {
        func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
        let (products, quantities, prices, discounts, reasons) = (all("product"), all("quantity"), all("unit_price"), all("discount"), all("price_reason"))
        func at(_ list: [String], _ i: Int) -> String { i < list.count ? list[i] : "" }
        return products.indices.map { i in
            Line(product: products[i], quantity: at(quantities, i), unitPrice: at(prices, i), discount: at(discounts, i), reason: at(reasons, i))
        }.filter { !$0.isEmpty }
    }

    public static func json(_ lines: [Line]) -> JSONValue { .array(lines.map(\.json)) }

    struct Row {
        var number: Int
        var products: [Option]
        var quantity, unitPrice, discount, reason: String
        var errors: [String]
    }

    public struct Context: PageContext {
        public static let template = Template.quoteLines
        public var title: String
        var action, cancelHref, csrf, version: String
        var rows: [Row]
        var errors: [String]
    }

    public var quote: Record
    public var lines: [Line]
    public var products: [Record]
    public var violations: [Violation] = []

    public init(quote: Record, lines: [Line], products: [Record]) {
        (self.quote, self.lines, self.products) = (quote, lines, products)
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let shown = lines + Array(repeating: Line(), count: 3)
        let rows = shown.enumerated().map { i, line in
            let options = [Option("", t["quote_choose_product"], selected: line.product.isEmpty)]
                + products.filter { $0.value("active") != false || $0.id == line.product }.map { p in
                    let price = ValueDisplay.text(p.value("unit_price"), StandardObjects.product.field("unit_price"), t)
                    return Option(p.id, "\(p.value("name").stringValue ?? "") · \(p.value("sku").stringValue ?? "") · \(price)", selected: p.id == line.product)
                }
            let errors = violations.filter { $0.field.hasPrefix("lines[\(i)].") }.map { v in
                let field = String(v.field.dropFirst("lines[\(i)].".count))
                return t["quote_line_" + (["unit_price": "price", "price_reason": "reason"][field] ?? field)] + t["colon"] + t.violation(v)
            }
            return Row(number: i + 1, products: options, quantity: line.quantity, unitPrice: line.unitPrice, discount: line.discount, reason: line.reason, errors: errors)
        }
        return Context(title: "\(t["quote_edit_lines"]) · \(RecordPage.title(of: quote))", action: "/o/quotes/\(quote.id)/lines",
                       cancelHref: "/o/quotes/\(quote.id)", csrf: csrf, version: String(quote.version), rows: rows,
                       errors: violations.filter { !$0.field.hasPrefix("lines[") }.map { t.violation($0) })
    }
}
