import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Quotes priced from the catalog. A quote and its lines are written together, in ONE transaction through the record
/// service: each line's price comes from the price book in force for the account's segment or region, else the
/// product's list price, unless the caller names another; and the quote's totals are
/// the sums of its lines' amounts under the quote's rounding (`QuotePricing`). Callers never write either.
public struct Quotes: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl

    /// A quote with its lines, in order.
    public struct Document: Sendable {
        public var quote: Record
        public var lines: [Record]
        public var object: ObjectDefinition
        public var lineObject: ObjectDefinition

        /// The quote's record as the API reads it, with `lines` and `tax_by_rate`.
        public var json: JSONValue {
            var o = quote.json(object: object).objectValue ?? [:]
            o["lines"] = .array(lines.map { $0.json(object: lineObject) })
            o["tax_by_rate"] = .array(QuotePricing.RateTax.sums(of: lines).map { ["rate": $0.rate.json, "tax": $0.tax.json] })
            return .object(o)
        }
    }

    /// Creates a quote from `input`: its fields, and `lines` (see `QuoteLineInput`). A quote without a name is named
    /// after its account and the day. Every violation of the quote and its lines is reported at once.
    public func create(_ input: [String: JSONValue], context: WriteContext) async throws -> Document {
        let catalog = try await metadata.catalog()
        let (quotes, lineObject, products) = (try catalog.require(StandardObjects.quote.name), try catalog.require(StandardObjects.quoteLine.name),
                                              try catalog.require(StandardObjects.product.name))
        let principal = context.principal
        let scopes = try await access.scopes(principal, [.create, .read], object: quotes)
        let productScope = try await access.scope(principal, .read, object: products)
        let parsed = QuoteLineInput.parse(input["lines"])
        var fields = input
        fields["lines"] = nil
        try RecordService.refuseKept(quotes, fields.keys, context: context)
        return try await database.write { db in
            if fields["name"] == nil || fields["name"] == .null {
                var account: String?
                if let id = fields["account"]?.stringValue {
                    account = try await records.store.fetch(try catalog.require(StandardObjects.account.name), id: id, on: db)?.value("name").stringValue
                }
                fields["name"] = .string([account, "报价", Self.day(context, access.timeZone)].compactMap { $0 }.joined(separator: " "))
            }
            var violations = parsed.violations
            let priced = try await price(parsed.lines, rule: Self.rule(fields), account: fields["account"], day: Self.day(context, access.timeZone),
                                         products: products, scope: productScope, violations: &violations, on: db)
            if !violations.isEmpty {
                do {
                    _ = try await records.validated(fields, object: quotes, catalog: catalog, mode: .create, as: principal, on: db)
                } catch let error as KeelError where error.kind == .unprocessable || error.kind == .conflict {
                    violations = error.violations + violations
                }
                throw KeelError.validation(violations)
            }
            var own = context
            own.priced = true
            for (k, v) in priced.totals { fields[k] = v }
            let quote = try await records.insertNew(quotes, fields, catalog: catalog, context: own, scope: scopes[0], readable: scopes[1], on: db)
            let lines = try await writeLines(priced.lines, of: quote, object: lineObject, catalog: catalog, context: own, on: db)
            return Document(quote: quote, lines: lines, object: quotes, lineObject: lineObject)
        }
    }

    /// Replaces a quote's lines and prices it again. A quote that was sent, won or lost keeps its lines (409); an
    /// approved one goes back to draft, since its approval was for other lines.
    public func setLines(_ id: String, _ lines: JSONValue?, expectedVersion: Int?, context: WriteContext) async throws -> Document {
        let catalog = try await metadata.catalog()
        let (quotes, lineObject, products) = (try catalog.require(StandardObjects.quote.name), try catalog.require(StandardObjects.quoteLine.name),
                                              try catalog.require(StandardObjects.product.name))
        let principal = context.principal
        let scopes = try await access.scopes(principal, [.update, .read], object: quotes)
        let productScope = try await access.scope(principal, .read, object: products)
        let parsed = QuoteLineInput.parse(lines)
        return try await database.write { db in
            let current = try await records.lockedCurrent(quotes, id: id, expectedVersion: expectedVersion, .update, scope: scopes[0], readable: scopes[1], on: db).record
            let status = current.value("status").stringValue ?? "draft"
            guard StandardObjects.editableQuoteStatuses.contains(status) else {
                throw KeelError(.conflict, code: "quote_fixed", message: "A quote that was \(status) keeps its lines; copy it into a new quote to change them.")
            }
            var violations = parsed.violations
            let priced = try await price(parsed.lines, rule: Self.rule(current.values), account: current.value("account"), day: Self.day(context, access.timeZone),
                                         products: products, scope: productScope, violations: &violations, on: db)
            guard violations.isEmpty else { throw KeelError.validation(violations) }
            var own = context
            own.priced = true
            let whole = AccessScope.whole(lineObject, userID: principal.userID)
            for old in try await records.store.children(of: id, field: "quote", object: lineObject, on: db) {
                try await records.applyDelete(lineObject, id: old.id, expectedVersion: old.version, scope: whole, readable: whole, catalog: catalog, context: own, on: db)
            }
            var change = priced.totals
            if status == "approved" { change["status"] = "draft" }
            let quote = try await records.applyUpdate(quotes, id: id, change, expectedVersion: current.version, .update, scope: scopes[0], readable: scopes[1],
                                                      catalog: catalog, context: own, on: db)
            let written = try await writeLines(priced.lines, of: quote, object: lineObject, catalog: catalog, context: own, on: db)
            return Document(quote: quote, lines: written, object: quotes, lineObject: lineObject)
        }
    }

    /// A quote with its lines, as `principal` may read it.
    public func document(_ id: String, as principal: Principal) async throws -> Document {
        let (quote, object) = try await records.get(StandardObjects.quote.name, id: id, as: principal)
        let lineObject = try await metadata.catalog().require(StandardObjects.quoteLine.name)
        let lines = try await database.read { try await records.store.children(of: id, field: "quote", object: lineObject, on: $0) }
        return Document(quote: quote, lines: lines.sorted { ($0.value("position").numberValue ?? 0) < ($1.value("position").numberValue ?? 0) },
                        object: object, lineObject: lineObject)
    }

    /// The lines' fields and the quote's totals, priced from the products; a product the writer cannot read, or one no
    /// longer sold, is a violation of its line.
    /// The organisation's day of a write: the price books in force then.
    static func day(_ context: WriteContext, _ zone: TimeZone) -> String { String(ValueFormats.formatLocal(context.date, in: zone).prefix(10)) }

    /// The rounding a quote's fields choose: half-up per line unless they say otherwise.
    static func rule(_ fields: [String: JSONValue]) -> RoundingRule {
        RoundingRule(mode: fields["rounding_mode"]?.stringValue.flatMap(RoundingRule.Mode.init(rawValue:)) ?? .halfUp,
                     level: fields["rounding_level"]?.stringValue.flatMap(RoundingRule.Level.init(rawValue:)) ?? .line)
    }

    func price(_ inputs: [QuoteLineInput], rule: RoundingRule, account: JSONValue?, day: String, products: ObjectDefinition, scope: AccessScope,
               violations: inout [Violation], on db: any SQLDatabase) async throws -> (lines: [[String: JSONValue]], totals: [String: JSONValue]) {
        var priceLines: [QuotePricing.Line] = [], found: [Record] = []
        // The account's segment and region choose the price book.
        var customer: Record?
        if let id = account?.stringValue { customer = try await records.store.fetch(StandardObjects.account, id: id, on: db) }
        let books = try await ContractStore().bookPrices(products: inputs.map(\.product), segment: customer?.value("size").stringValue,
                                                         province: customer?.value("province").stringValue, day: day, on: db)
        for input in inputs {
            guard let product = try await records.store.fetch(products, id: input.product, access: scope, on: db) else {
                violations.append(Violation(field: "lines[\(input.index)].product", code: "reference_not_found", message: "No product \(input.product)."))
                continue
            }
            if product.value("active") == .bool(false) {
                violations.append(Violation(field: "lines[\(input.index)].product", code: "inactive_product",
                                            message: "\(product.value("name").stringValue ?? input.product) is no longer sold."))
            }
            let book = books[product.id]
            guard let listPrice = Decimal(exactly: book.map { .number($0.price) } ?? product.value("unit_price")),
                  let rate = Decimal(exactly: product.value("tax_rate")) else { continue }
            found.append(product)
            priceLines.append(QuotePricing.Line(unitPrice: input.unitPrice ?? listPrice, quantity: input.quantity, discount: input.discount,
                                                taxRate: rate, taxIncluded: product.value("tax_included") == .bool(true)))
        }
        let result = QuotePricing.price(priceLines, rule: rule)
        if result.total.incl >= 10_000_000_000_000 {
            violations.append(Violation(field: "lines", code: "out_of_range", message: "The quote's total is above ¥10 trillion, more than Keel keeps."))
        }
        guard violations.isEmpty else { return ([], [:]) }
        let lines = inputs.indices.map { i -> [String: JSONValue] in
            let (input, product, amounts, line) = (inputs[i], found[i], result.lines[i], priceLines[i])
            var values: [String: JSONValue] = [
                "position": JSONValue(i + 1), "product": .string(product.id), "name": product.value("name"), "unit": product.value("unit"),
                "quantity": input.quantity.json, "list_price": books[product.id].map { .number($0.price) } ?? product.value("unit_price"),
                "price_book": books[product.id].map { .string($0.book) } ?? .null, "unit_price": line.unitPrice.json,
                "discount": line.discount.json, "tax_rate": line.taxRate.json, "tax_included": .bool(line.taxIncluded),
                "amount_excl_tax": amounts.excl.json, "tax": amounts.tax.json, "amount_incl_tax": amounts.incl.json,
            ]
            if let reason = input.priceReason { values["price_reason"] = .string(reason) }
            return values
        }
        let totals: [String: JSONValue] = [
            "total_excl_tax": result.total.excl.json, "total_tax": result.total.tax.json, "total_incl_tax": result.total.incl.json,
            "max_discount": (priceLines.map(\.discount).max() ?? 0).json,
        ]
        return (lines, totals)
    }

    /// Writes the lines of a document (`field`: the lines' link to it), owned as the document is.
    func writeLines(_ lines: [[String: JSONValue]], of document: Record, field: String = "quote", object: ObjectDefinition, catalog: Catalog,
                    context: WriteContext, on db: any SQLDatabase) async throws -> [Record] {
        let whole = AccessScope.whole(object, userID: context.principal.userID)
        var written: [Record] = []
        for var values in lines {
            values[field] = .string(document.id)
            values["owner"] = document.value("owner")
            written.append(try await records.insertNew(object, values, catalog: catalog, context: context, scope: whole, readable: whole, on: db))
        }
        return written
    }
}
