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

    /// The lines form with the catalog to choose from.
    func quoteLinesPage(_ request: Request, _ session: WebSession, _ page: QuoteLinesPage, status: HTTPResponse.Status = .ok) async throws -> Response {
        var page = page
        page.products = try await keel.records.list(StandardObjects.product.name, params: [("sort", "name"), ("limit", "200")], as: session.principal).records
        let context = page.context(Strings(web.language(request, session)), csrf: session.csrf)
        return try await web.render(context, title: context.title, request: request, session: session, status: status)
    }
}
