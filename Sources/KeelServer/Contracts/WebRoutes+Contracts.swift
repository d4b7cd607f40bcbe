import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// A quote's lines edited on a page of their own (`/o/quotes/{id}/lines`), under `o/:object/…` like every record page.
extension WebRoutes {
    func registerContracts(on pages: RouterGroup<KeelRequestContext>) {
        @Sendable func quote(_ context: KeelRequestContext) throws -> String {
            guard try context.parameters.require("object") == StandardObjects.quote.name else { throw KeelError.notFound(context.parameters.get("object") ?? "") }
            return try context.parameters.require("id")
        }
        pages.get("o/:object/:id/lines") { request, context in
            let session = try await requireSession(request)
            let document = try await keel.quotes.document(try quote(context), as: session.principal)
            return try await quoteLinesPage(request, session, QuoteLinesPage(quote: document.quote, lines: document.lines.map(QuoteLinesPage.Line.init), products: []))
        }
        pages.post("o/:object/:id/contract") { request, context in
            let session = try await requireSession(request)
            let id = try quote(context)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            let document = try await keel.contracts.fromQuote(id, [:], context: WriteContext(principal: session.principal, source: .web))
            return WebSupport.redirect("/o/contracts/\(document.contract.id)?saved=1")
        }
        pages.post("o/:object/:id/signing") { request, context in
            let session = try await requireSession(request)
            guard try context.parameters.require("object") == StandardObjects.contract.name else { throw KeelError.notFound("route") }
            let id = try context.parameters.require("id")
            var request = request
            let pairs = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
            let (names, mobiles, orgs) = (all("name"), all("mobile"), all("organization"))
            let signers: [JSONValue] = names.indices.compactMap { i in
                let mobile = i < mobiles.count ? mobiles[i].trimmingCharacters(in: .whitespaces) : "", org = i < orgs.count ? orgs[i].trimmingCharacters(in: .whitespaces) : ""
                guard !(names[i].trimmingCharacters(in: .whitespaces).isEmpty && mobile.isEmpty) else { return nil }
                var signer: [String: JSONValue] = ["name": .string(names[i]), "mobile": .string(mobile)]
                if !org.isEmpty { signer["organization"] = .string(org) }
                return .object(signer)
            }
            do {
                _ = try await keel.signatures.send(id, ["signers": .array(signers)], notifyURL: ContractsAPI.notifyURL(request),
                                                   context: WriteContext(principal: session.principal, source: .web))
                return WebSupport.redirect("/o/contracts/\(id)?signing_sent=1")
            } catch let error as KeelError where [.unprocessable, .conflict, .badGateway].contains(error.kind) {
                return WebSupport.redirect("/o/contracts/\(id)?signing_error=\(error.code)#h-signing")
            }
        }
        pages.post("o/:object/:id/lines") { request, context in
            let session = try await requireSession(request)
            let id = try quote(context)
            var request = request
            let pairs = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            let lines = QuoteLinesPage.lines(pairs)
            do {
                _ = try await keel.quotes.setLines(id, QuoteLinesPage.json(lines), expectedVersion: pairs.last { $0.0 == "version" }.flatMap { Int($0.1) },
                                                   context: WriteContext(principal: session.principal, source: .web))
                return WebSupport.redirect("/o/quotes/\(id)?lines_saved=1")
            } catch let error as KeelError where error.kind == .unprocessable {
                var page = QuoteLinesPage(quote: try await keel.quotes.document(id, as: session.principal).quote, lines: lines, products: [])
                page.violations = error.violations
                return try await quoteLinesPage(request, session, page, status: .unprocessableContent)
            }
        }
    }

    /// A quote's lines (editable while a draft or approved; its contract, or a button to make it), a contract's lines
    /// and payment plan.
    func documentCards(_ model: inout RecordPage, session: WebSession, signingError: String? = nil, _ t: Strings) async throws {
        let record = model.record, me = session.principal
        switch model.object.name {
        case StandardObjects.quote.name:
            let document = try await keel.quotes.document(record.id, as: me)
            let status = record.value("status").stringValue ?? "draft"
            let editable = StandardObjects.editableQuoteStatuses.contains(status) && !model.locked
            var card = DocumentLinesCard(document: record, documentObject: document.object, lines: document.lines, object: document.lineObject,
                                         editHref: editable ? "/o/quotes/\(record.id)/lines" : nil, fixedNote: editable || model.locked ? nil : t["quote_lines_fixed"], t)
            let contract = try await keel.records.list(StandardObjects.contract.name, params: [("filter[quote][eq]", record.id), ("limit", "1")], as: me).records.first
            card.contractHref = contract.map { "/o/contracts/\($0.id)" }
            card.makeContract = contract == nil && Contracts.convertibleQuoteStatuses.contains(status) && !model.locked && !document.lines.isEmpty
                ? "/o/quotes/\(record.id)/contract" : nil
            model.documentLines = card
        case StandardObjects.contract.name:
            let document = try await keel.contracts.document(record.id, as: me)
            let lines = try document.catalog.require(StandardObjects.contractLine.name), plan = try document.catalog.require(StandardObjects.paymentPlanLine.name)
            model.documentLines = DocumentLinesCard(document: record, documentObject: model.object, lines: document.lines, object: lines, editHref: nil,
                                                    fixedNote: t["contract_lines_fixed"], t)
            model.paymentPlan = PaymentPlanCard(contract: record, plan: document.plan, received: document.received, paid: document.paid, object: plan,
                                                today: keel.day(Date()), t)
            let updatable = try await keel.access.scope(me, .update, object: model.object)
            let mayChange = !model.locked && !updatable.plan.deniesAll
            let pdf = try await keel.attachments.list(model.object.name, id: record.id, as: me).contains { $0.contentType == "application/pdf" }
            model.signing = SigningCard(contract: record, signing: try await keel.signatures.signing(record.id, as: me), canSend: mayChange,
                                        configured: keel.signatures.configured, hasPDF: pdf, error: signingError, t)
        default: break
        }
    }

    /// The lines form with the catalog to choose from.
    func quoteLinesPage(_ request: Request, _ session: WebSession, _ page: QuoteLinesPage, status: HTTPResponse.Status = .ok) async throws -> Response {
        var page = page
        page.products = try await keel.records.list(StandardObjects.product.name, params: [("sort", "name"), ("limit", "200")], as: session.principal).records
        let context = page.context(Strings(web.language(request, session)), csrf: session.csrf)
        return try await web.render(context, title: context.title, request: request, session: session, status: status)
    }
}
