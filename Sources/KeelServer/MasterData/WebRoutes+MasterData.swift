import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// Pages for master data: merging duplicates (the side-by-side choice, folding a new record's typed values into the
/// existing one, undoing a merge from the survivor's page), the batch review queue, and an account's relationships.
extension WebRoutes {
    func registerMerge(on pages: RouterGroup<KeelRequestContext>) {
        pages.get("o/:object/:id/merge") { request, context in
            let session = try await requireSession(request)
            let object = try context.parameters.require("object")
            let others = try request.queryPairs().filter { $0.0 == "with" }.map(\.1)
            let merge = try MergeRequest.parse(["survivor": .string(try context.parameters.require("id")), "merged": .array(others.map(JSONValue.string))])
            return try await mergePage(merge, request, session, object: object, choices: [:])
        }
        pages.post("o/:object/:id/merge") { request, context in
            let (session, pairs) = try await postedForm(request, context)
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            let id = try context.parameters.require("id")
            let others = pairs.filter { $0.0 == "with" }.map(\.1)
            var versions: [String: JSONValue] = [:]
            var choices: [String: JSONValue] = [:]
            for (key, value) in pairs {
                if key.hasPrefix("v_"), let n = Double(value) { versions[String(key.dropFirst(2))] = JSONValue(n) }
                if key.hasPrefix("choose_") { choices[String(key.dropFirst("choose_".count))] = .string(value) }
            }
            let merge = try MergeRequest.parse(["survivor": .string(id), "merged": .array(others.map(JSONValue.string)),
                                                "versions": .object(versions), "choose": .object(choices)])
            do {
                _ = try await keel.records.merge(object.name, merge, context: WriteContext(principal: session.principal, source: .web))
                return WebSupport.redirect("/o/\(object.name)/\(id)?merged=1")
            } catch let e as KeelError where e.kind == .conflict || e.kind == .unprocessable {
                // Someone changed a record meanwhile (or the result breaks a rule): the page again, fresh, saying why.
                let message = e.violations.isEmpty ? e.message : e.violations.map(\.message).joined(separator: " ")
                return try await mergePage(merge, request, session, object: object.name, choices: merge.choices, error: message,
                                           status: e.kind == .conflict ? .conflict : .unprocessableContent)
            }
        }
        pages.post("o/:object/:id/absorb") { request, context in
            let (session, pairs) = try await postedForm(request, context)
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            let id = try context.parameters.require("id")
            let values = FormDecoding.values(pairs, object: object, editing: false)
            do {
                _ = try await keel.records.absorb(object.name, id: id, values, context: WriteContext(principal: session.principal, source: .web))
                return WebSupport.redirect("/o/\(object.name)/\(id)?merged=1")
            } catch let error as KeelError where error.kind == .unprocessable {
                // The new-record form again, with what was typed and every problem in it.
                return try await form(request, session, object: object, values: values, violations: error.violations, record: nil, status: .unprocessableContent)
            }
        }
        pages.get("o/:object/duplicates") { request, context in
            let session = try await requireSession(request)
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            return try await duplicatesPage(request, session, object: object)
        }
        pages.post("o/:object/duplicates/run") { request, context in
            let (session, _) = try await postedForm(request, context)
            let object = try context.parameters.require("object")
            _ = try await keel.dedup.start(object, as: session.principal)
            return WebSupport.redirect("/o/\(object)/duplicates")
        }
        pages.post("o/:object/duplicates/:cluster/merge") { request, context in
            let (session, form) = try await postedForm(request, context)
            let object = try context.parameters.require("object")
            let result = try await keel.dedup.merge(object, cluster: try context.parameters.require("cluster"), survivor: form.last { $0.0 == "survivor" }?.1,
                                                    context: WriteContext(principal: session.principal, source: .web))
            return WebSupport.redirect("/o/\(object)/\(result["record"]?["id"]?.stringValue ?? "")?merged=1")
        }
        pages.post("o/:object/duplicates/:cluster/distinct") { request, context in
            let (session, _) = try await postedForm(request, context)
            let object = try context.parameters.require("object")
            try await keel.dedup.markDistinct(object, cluster: try context.parameters.require("cluster"), as: session.principal)
            return WebSupport.redirect("/o/\(object)/duplicates?done=1")
        }
        pages.get("o/:object/:id/relationships") { request, context in
            let session = try await requireSession(request)
            let (object, id) = (try context.parameters.require("object"), try context.parameters.require("id"))
            let links = try await keel.records.relationships(object, id: id, as: session.principal)
            let (account, _) = try await keel.records.get(object, id: id, as: session.principal)
            let page = RelationshipsPage(account: account, links: links.map { ($0.account, $0.via, $0.suggestion?.rawValue) })
            let t = Strings(web.language(request, session))
            return try await web.render(page.context(t), title: t["relationships"], request: request, session: session)
        }
        pages.post("o/:object/:id/registry-check") { request, context in
            let (session, _) = try await postedForm(request, context)
            let id = try context.parameters.require("id")
            do {
                _ = try await keel.checkRegistry(account: id, context: WriteContext(principal: session.principal, source: .web))
                return WebSupport.redirect("/o/accounts/\(id)?done=1")
            } catch let e as KeelError where [.notFound, .badGateway, .unavailable].contains(e.kind) && e.code.hasPrefix("registry_") {
                return WebSupport.redirect("/o/accounts/\(id)?error=" + URLQuery.escape(e.message))
            }
        }
        pages.get("health") { request, _ in
            let session = try await requireSession(request)
            let notice = try request.queryPairs().contains { $0 == ("done", "1") } ? Strings(web.language(request, session))["done"] : nil
            return try await healthPage(request, session, notice: notice)
        }
        pages.post("health/settings") { request, context in
            let (session, form) = try await postedForm(request, context)
            var typos: [Violation] = []
            func percent(_ key: String) -> JSONValue {
                guard let n = form.last(where: { $0.0 == key }).flatMap({ Double($0.1.trimmingCharacters(in: .whitespaces)) }) else {
                    typos.append(Violation(field: key, code: "out_of_range", message: "A share from 0 to 100 %."))
                    return .null
                }
                return JSONValue(n / 100)
            }
            let json: JSONValue = ["red": percent("red"), "yellow": percent("yellow"), "cron": .string(form.last { $0.0 == "cron" }?.1 ?? ""),
                                   "recipients": .array(form.filter { $0.0 == "recipient" }.map { .string($0.1) })]
            do {
                guard typos.isEmpty else { throw KeelError.validation(typos) }
                _ = try await keel.health.setSettings(json, by: session.principal)
                return WebSupport.redirect("/health?done=1")
            } catch let e as KeelError where e.kind == .unprocessable || e.kind == .badRequest {
                let violations = e.violations.isEmpty ? [Violation(field: "settings", code: e.code, message: e.message)] : e.violations
                return try await healthPage(request, session, violations: violations, input: form, status: .unprocessableContent)
            }
        }
        pages.post("o/:object/merges/:merge/undo") { request, context in
            let (session, _) = try await postedForm(request, context)
            let object = try context.parameters.require("object")
            let result = try await keel.records.unmerge(object, mergeID: try context.parameters.require("merge"),
                                                        context: WriteContext(principal: session.principal, source: .web))
            return WebSupport.redirect("/o/\(object)/\(result["record"]?["id"]?.stringValue ?? "")?unmerged=1")
        }
    }

    /// The signed-in session and the form it posted (its CSRF token checked).
    func postedForm(_ request: Request, _ context: KeelRequestContext) async throws -> (WebSession, [(String, String)]) {
        let session = try await requireSession(request)
        var request = request
        return (session, try await WebSupport.form(&request, context: context, csrf: session.csrf))
    }

    /// The health report over what the reader sees; for admins also the report's settings form.
    func healthPage(_ request: Request, _ session: WebSession, violations: [Violation] = [], input: [(String, String)]? = nil,
                    status: HTTPResponse.Status = .ok, notice: String? = nil) async throws -> Response {
        let t = Strings(web.language(request, session))
        let me = session.principal
        let settings = me.role == .admin
            ? HealthPage.Settings(current: try await keel.health.settings(), users: try await keel.auth.users(by: me),
                                  channels: try await keel.webhooks.endpoints(by: me).map(\.id), csrf: session.csrf, violations: violations, input: input)
            : nil
        let page = HealthPage(report: try await keel.health.report(as: me), settings: settings)
        return try await web.render(page.context(t), title: t["data_health"], request: request, session: session, status: status, notice: notice)
    }

    func duplicatesPage(_ request: Request, _ session: WebSession, object: ObjectDefinition) async throws -> Response {
        let t = Strings(web.language(request, session))
        let page = DuplicatesPage(object: object, queue: try await keel.dedup.queue(object.name, as: session.principal), canRun: session.principal.role == .admin)
        let notice = try request.queryPairs().contains { $0 == ("done", "1") } ? t["done"] : nil
        return try await web.render(page.context(t, csrf: session.csrf), title: t["duplicate_review"], request: request, session: session,
                                    notice: notice)
    }

    func mergePage(_ merge: MergeRequest, _ request: Request, _ session: WebSession, object: String, choices: [String: String], error: String? = nil,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        var fresh = merge
        fresh.choices = choices
        let preview = try await keel.records.previewMerge(object, fresh, as: session.principal)
        let definition = try await keel.metadata.catalog().require(object)
        let records = (preview["records"]?.arrayValue ?? []).map { json in
            Record(object: object, id: json["id"]?.stringValue ?? "", version: json["version"]?.intValue ?? 0, createdAt: "", updatedAt: "",
                   createdBy: nil, updatedBy: nil, values: json.objectValue ?? [:])
        }
        let page = MergePage(object: definition, records: records, sources: (preview["sources"]?.objectValue ?? [:]).compactMapValues(\.stringValue))
        let t = Strings(web.language(request, session))
        return try await web.render(page.context(t, csrf: session.csrf), title: t["merge_title"], request: request, session: session,
                                    status: status, notice: error)
    }
}
