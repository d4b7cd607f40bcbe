import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// 收入对账 (`/reconciliation`): the run in force with its drill-down; reconcile now and load an ERP export (admins and finance).
extension WebRoutes {
    func registerFinance(on pages: RouterGroup<KeelRequestContext>) {
        pages.get("reconciliation") { request, _ in
            let query = request.uri.queryParameters
            let t = Strings(web.language(request, try await requireSession(request)))
            let message = query["loaded"].map { t.format("recon_loaded", String($0)) } ?? (query["ran"] != nil ? t["recon_ran"] : query["synced"] != nil ? t["erp_synced"] : nil)
            return try await reconciliation(request, message: message, error: nil)
        }
        pages.post("reconciliation/run") { request, context in
            let session = try await requireSession(request)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            try await keel.reconciliations.run(as: session.principal)
            return WebSupport.redirect("/reconciliation?ran=1")
        }
        pages.post("reconciliation/sync") { request, context in
            let session = try await requireSession(request)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            _ = try await keel.erpSync.run(as: session.principal)
            return WebSupport.redirect("/reconciliation?synced=1")
        }
        pages.post("reconciliation/upload") { request, _ in
            let session = try await requireSession(request)
            var request = request
            let upload = try await AttachmentsAPI.upload(&request, limit: Imports.maxUploadBytes, fields: ["kind", "_csrf"])
            guard WebSupport.constantTimeEqual(upload.fields["_csrf"] ?? "", session.csrf), !session.csrf.isEmpty else {
                throw KeelError(.forbidden, code: "csrf_failed", message: "The form's CSRF token is missing or wrong.")
            }
            do {
                let count = try await keel.reconciliations.importFile(upload.bytes, kind: upload.fields["kind"].flatMap(ERPEntry.Kind.init(rawValue:)),
                                                                       as: session.principal)
                return WebSupport.redirect("/reconciliation?loaded=\(count)")
            } catch let error as KeelError where error.kind == .unprocessable {
                let t = Strings(web.language(request, session))
                return try await reconciliation(request, message: nil, error: ReconciliationPage.problem(error.violations, t), status: .unprocessableContent)
            }
        }
    }

    /// The page: the run asked for (`?run=`) or the one in force, narrowed by `?difference=` and `?period=`.
    func reconciliation(_ request: Request, message: String?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal, query = request.uri.queryParameters
        let t = Strings(web.language(request, session))
        let manages = try await keel.reconciliations.seesAll(me)
        let run = try await keel.reconciliations.run(query["run"].map(String.init), as: me)
        let difference = query["difference"].map(String.init).flatMap(Reconciliation.Difference.init(rawValue:))?.rawValue
        let period = query["period"].map(String.init).flatMap { $0.count == 7 && ValueFormats.isDate($0 + "-01") ? $0 : nil }
        let page = ReconciliationPage(run: run, runs: manages ? try await keel.reconciliations.runs(as: me) : [],
                                      connectors: manages ? try await keel.erpSync.states(as: me) : [], difference: difference, period: period,
                                      names: try await userNames(me), manages: manages, message: message, error: error, csrf: session.csrf, t)
        return try await web.render(page, title: t["reconciliation"], request: request, session: session, status: status)
    }
}
