import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// Exports and step-up in the web app.
extension WebRoutes {
    func registerAccess(on pages: RouterGroup<KeelRequestContext>) {
        pages.get("o/:object/export") { request, context in
            let session = try await requireSession(request)
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            let state = ListState.parse(try request.queryPairs(), object: object, view: nil)
            do {
                let format = try request.queryPairs().last { $0.0 == "format" }?.1
                return try await keel.records.export(object.name, params: state.apiParams, as: session.principal).response(format: format)
            } catch let e as KeelError where e.code == "step_up_required" {
                return WebSupport.redirect("/step-up?next=" + URLQuery.escape(request.uri.description))
            }
        }
        pages.get("access-requests") { request, _ in
            let session = try await requireSession(request)
            let t = Strings(web.language(request, session))
            let requests = try await keel.access.accessRequests(by: session.principal)
            let notice = try request.queryPairs().contains { $0 == ("done", "1") } ? t["done"] : nil
            return try await web.render(AccessRequestsPage(requests, me: session.principal.userID,
                                                                                      userNames: try await userNames(session.principal), t, csrf: session.csrf),
                                        title: t["access_requests"], request: request, session: session, notice: notice)
        }
        pages.post("access-requests") { request, context in
            let session = try await requireSession(request)
            var request = request
            let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
            do {
                _ = try await keel.access.requestAccess(object: form["object"] ?? "", recordID: form["record"] ?? "", approverID: form["approver"] ?? "",
                                                        reason: form["reason"] ?? "", by: session.principal)
            } catch let e as KeelError where e.kind == .unprocessable {
                return try await accessRequestForm(request, object: form["object"] ?? "", id: form["record"] ?? "", violations: e.violations,
                                                   input: form, status: .unprocessableContent)
            }
            return WebSupport.redirect("/access-requests?done=1")
        }
        pages.post("access-requests/:id/decision") { request, context in
            let session = try await requireSession(request)
            var request = request
            let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
            _ = try await keel.access.decide(requestID: try context.parameters.require("id"), grant: form["decision"] == "grant",
                                             comment: form["comment"].flatMap { $0.isEmpty ? nil : $0 },
                                             hours: Int(form["hours"] ?? "") ?? AccessControl.defaultGrantHours, by: session.principal)
            return WebSupport.redirect("/access-requests?done=1")
        }
        pages.get("step-up") { request, _ in
            let session = try await requireSession(request)
            return try await stepUpPage(request, session, error: nil)
        }
        pages.post("step-up") { request, context in
            let session = try await requireSession(request)
            var request = request
            let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
            do {
                try await keel.auth.stepUp(session.principal, password: form["password"] ?? "", cookie: request.cookies[WebSupport.sessionCookie]?.value)
            } catch let e as KeelError where e.kind == .unauthorized || e.kind == .tooManyRequests {
                let t = Strings(web.language(request, session))
                let key = e.code == "too_many_attempts" ? e.code : "invalid_credentials"
                return try await stepUpPage(request, session, error: t[key], next: form["next"], status: e.kind == .tooManyRequests ? .tooManyRequests : .unauthorized)
            }
            return WebSupport.redirect(WebSupport.safeNext(form["next"]))
        }
    }

    /// The page of a record that is missing or hidden (404 either way), with a form to ask a named approver for access.
    func accessRequestForm(_ request: Request, object: String, id: String, violations: [Violation] = [], input: [String: String] = [:],
                           status: HTTPResponse.Status = .notFound) async throws -> Response {
        let session = try await requireSession(request)
        let t = Strings(web.language(request, session))
        let approvers = try await keel.auth.users(by: session.principal).filter { $0.status == .active && $0.id != session.principal.userID }
        let context = AccessRequestFormPage(object: object, record: id, approvers: approvers, t, csrf: session.csrf, violations: violations, input: input)
        return try await web.render(context, title: t["not_found"], request: request, session: session, status: status)
    }

    func stepUpPage(_ request: Request, _ session: WebSession, error: String?, next: String? = nil,
                    status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Strings(web.language(request, session))
        let context = StepUpPage(csrf: session.csrf, next: WebSupport.safeNext(next ?? request.uri.queryParameters.get("next")), error: error)
        return try await web.render(context, title: t["step_up"], request: request, session: session, status: status)
    }

    /// The list page's export link: straight to the CSV, through step-up when only a fresh password allows it, or none.
    /// `matching`: the list's count of the records the reader sees (no second count for the link).
    func exportHref(_ object: ObjectDefinition, state: ListState, matching: Int, for principal: Principal) async throws -> String? {
        let href = "/o/\(object.name)/export?" + state.query()
        do {
            _ = try await keel.records.exportPlan(object, params: state.apiParams, as: principal, matching: matching)
            return href
        } catch let e as KeelError where e.code == "step_up_required" {
            return "/step-up?next=" + URLQuery.escape(href)
        } catch is KeelError {
            return nil  // not allowed, or a filter that does not parse (the list says so itself)
        }
    }
}
