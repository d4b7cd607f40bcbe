import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// The server-rendered web app: sign-in, lists, record pages and forms for every object. Works without JavaScript.
struct WebRoutes {
    let keel: Keel
    let web: WebSupport

    init(keel: Keel, web: WebSupport) {
        self.keel = keel
        self.web = web
    }

    func register(on router: Router<KeelRequestContext>) {
        router.get("static/keel.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Stylesheet.css)))
        }
        router.get("static/keel.js") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: .init(byteBuffer: ByteBuffer(string: Script.js)))
        }
        let pages = router.group().add(middleware: WebErrorMiddleware(web: web))
        pages.get("login") { request, _ in try await loginPage(request, error: nil, email: "") }
        pages.post("login") { request, context in try await login(request, context) }
        pages.post("logout") { request, context in
            let session = try await requireSession(request)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            if let cookie = request.cookies[WebSupport.sessionCookie]?.value { try await keel.auth.endSession(cookie: cookie) }
            return WebSupport.redirect("/login", cookies: [Cookie(name: WebSupport.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .lax)])
        }
        pages.post("locale") { request, context in
            let session = try await requireSession(request)
            var request = request
            let form = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            let locale = Language(rawValue: form.last { $0.0 == "locale" }?.1 ?? "") ?? .zhCN
            if let cookie = request.cookies[WebSupport.sessionCookie]?.value { try await keel.auth.setLocale(cookie: cookie, userID: session.principal.userID, locale: locale.rawValue) }
            return WebSupport.redirect(WebSupport.safeNext(form.last { $0.0 == "next" }?.1))
        }
        pages.get("") { request, _ in try await home(request) }
        pages.get("search") { request, _ in try await search(request) }
        pages.get("board") { request, _ in try await board(request) }
        pages.get("forecast") { request, _ in try await forecast(request) }
        pages.get("follow-ups") { request, _ in try await followUps(request) }
        pages.post("forecast/adjust") { request, context in try await adjustForecast(request, context) }
        pages.post("admin/pipelines") { request, context in
            try await adminForm(request, context, tab: "pipelines") { form, me in
                _ = try await keel.pipelines.setDocument(StandardObjects.opportunity.name, try JSONValue.parse(text: form["document"] ?? ""), by: me)
            }
        }
        pages.get("dashboard") { request, _ in try await dashboard(request) }
        registerAdmin(on: pages)
        registerAccess(on: pages)
        registerLeads(on: pages)
        registerContracts(on: pages)
        registerFinance(on: pages)
        registerImports(on: pages)
        pages.post("board/move") { request, context in try await moveCard(request, context) }
        pages.get("o/:object") { request, context in try await list(request, context) }
        pages.get("o/:object/new") { request, context in
            let session = try await requireSession(request)
            let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
            // A new record starts from the defaults, and from values links pass ("new contact" on an account page).
            var values = Dictionary(uniqueKeysWithValues: object.fields.compactMap { f in f.defaultValue.map { (f.name, $0) } })
            values.merge(FormDecoding.values(try request.queryPairs(), object: object, editing: false)) { $1 }
            return try await form(request, session, object: object, values: values, violations: [], record: nil)
        }
        pages.post("o/:object") { request, context in try await save(request, context, id: nil) }
        pages.post("quick-log") { request, context in try await quickLog(request, context) }
        pages.get("pick/:target") { request, context in try await pick(request, context) }
        pages.post("o/:object/views") { request, context in try await saveView(request, context) }
        pages.post("o/:object/views/:id/delete") { request, context in try await deleteView(request, context) }
        pages.get("o/:object/:id") { request, context in
            do {
                return try await show(request, context)
            } catch let e as KeelError where e.code == "not_found" {
                // Missing or hidden: the same page either way, with a way to ask for access.
                return try await accessRequestForm(request, object: try context.parameters.require("object"), id: try context.parameters.require("id"))
            }
        }
        pages.get("o/:object/:id/edit") { request, context in
            let session = try await requireSession(request)
            let (record, object) = try await keel.records.get(try context.parameters.require("object"), id: try context.parameters.require("id"), as: session.principal)
            return try await form(request, session, object: object, values: record.values, violations: [], record: record)
        }
        pages.post("o/:object/:id") { request, context in try await save(request, context, id: try context.parameters.require("id")) }
        pages.post("o/:object/:id/undo") { request, context in try await undo(request, context) }
        pages.post("o/:object/:id/attachments") { request, context in try await attach(request, context) }
        pages.get("o/:object/:id/attachments/:attachment") { request, context in try await downloadAttachment(request, context) }
        registerMerge(on: pages)
    }

    func requireSession(_ request: Request) async throws -> WebSession {
        guard let session = try await web.session(request) else {
            throw KeelError(.unauthorized, code: "session_expired", message: "Sign in first.")
        }
        return session
    }

    // MARK: Sign-in

    func loginPage(_ request: Request, error: String?, email: String, status: HTTPResponse.Status = .ok) async throws -> Response {
        let token = RecordID.make() + RecordID.make()
        let next = WebSupport.safeNext(try request.queryPairs().last { $0.0 == "next" }?.1)
        var response = try await web.render(LoginPage(csrf: token, next: next, email: email, error: error),
                                            title: Strings(web.language(request, nil))["sign_in"], request: request, session: nil, status: status)
        response.setCookie(Cookie(name: WebSupport.loginCookie, value: token, path: "/login", httpOnly: true, sameSite: .strict))
        return response
    }

    func login(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        var request = request
        let form = try await WebSupport.form(&request, context: context, csrf: request.cookies[WebSupport.loginCookie]?.value ?? "")
        let email = form.last { $0.0 == "email" }?.1 ?? ""
        let password = form.last { $0.0 == "password" }?.1 ?? ""
        let t = Strings(web.language(request, nil))
        do {
            let (cookie, _) = try await keel.auth.startSession(email: email, password: password,
                                                               locale: Language.preferred(acceptLanguage: request.headers[.acceptLanguage]).rawValue,
                                                               address: context.clientIP)
            let next = WebSupport.safeNext(form.last { $0.0 == "next" }?.1)
            return WebSupport.redirect(next == "/login" ? "/" : next, cookies: [
                Cookie(name: WebSupport.sessionCookie, value: cookie, path: "/", httpOnly: true, sameSite: .lax),
            ])
        } catch let error as KeelError where error.kind == .unauthorized || error.kind == .tooManyRequests {
            let key = ["account_frozen", "too_many_attempts"].contains(error.code) ? error.code : "invalid_credentials"
            return try await loginPage(request, error: t[key], email: email, status: error.kind == .tooManyRequests ? .tooManyRequests : .unauthorized)
        }
    }

    // MARK: Records

    func list(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal
        let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
        let pairs = try request.queryPairs()
        var view: SavedView?
        if let id = pairs.last(where: { $0.0 == "view" })?.1 { view = try await keel.views.view(id, as: me) }
        let state = ListState.parse(pairs, object: object, view: view)
        let t = Strings(web.language(request, session))
        var records: [Record] = [], count = 0, next: String?, error: String?
        let cursor = pairs.last { $0.0 == "cursor" }.map { [("cursor", $0.1)] } ?? []
        do {
            let page = try await keel.records.list(object.name, params: state.apiParams + cursor + [("limit", "50")], as: me)
            (records, next) = (page.records, page.nextCursor)
            count = try await keel.records.count(object.name, params: state.apiParams, as: me)
        } catch let e as KeelError where e.kind == .badRequest || e.kind == .unprocessable || e.code == "field_forbidden" {
            // Filters that do not fit their field (text in a number filter…) are explained on the page itself.
            error = t["bad_filter"] + " " + (e.violations.isEmpty ? e.message : e.violations.map { "\($0.field): \(t.violation($0))" }.joined(separator: "; "))
        }
        var model = ListPage(object: object, records: records, count: count, nextCursor: next, state: state, hasCursor: !cursor.isEmpty,
                             views: try await keel.views.views(of: object.name, as: me), userID: me.userID, canShare: me.role != .member, error: error,
                             exportHref: error == nil ? try await exportHref(object, state: state, matching: count, for: me) : nil)
        model.dedupHref = DedupService.fields(for: object).isEmpty ? nil : "/o/\(object.name)/duplicates"
        // Deals past their stage's limit are flagged beside their stage, as on the board (a stage is a picklist shown).
        if object.fields.contains(where: { $0.type == .picklist && state.columns.contains($0.name) }),
           let pipelines = try? await keel.pipelines.document(object.name, as: me).set, state.columns.contains(pipelines.field) {
            model.stageField = pipelines.field
            model.staleDays = try await stageAges(records, object: object, pipelines: pipelines, calendar: try await keel.metadata.catalog().calendar, as: me).stale
        }
        model.names = try await referenceNames(ReferenceNames.references(state.columns.compactMap(object.queryableField), in: records), as: me)
        return try await web.render(model.context(t, csrf: session.csrf), title: t.language.label(object.labels), request: request,
                                    session: session, status: error == nil ? .ok : .badRequest,
                                    watermark: records.contains { object.sensitivity(of: $0) >= 3 })
    }

    /// Saves the list's current columns, filters and sort as a named view, then shows it.
    func saveView(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
        var request = request
        let form = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        let state = ListState.parse(form, object: object, view: nil)
        do {
            let view = try await keel.views.save(object.name, name: form.last { $0.0 == "name" }?.1 ?? "", shared: form.contains { $0 == ("shared", "1") },
                                                 columns: state.columns, filters: state.filters, sort: state.sort, as: session.principal)
            return WebSupport.redirect("/o/\(object.name)?view=\(view.id)")
        } catch let e as KeelError where e.kind == .unprocessable {
            let t = Strings(web.language(request, session))
            return try await web.render(MessagePage(title: t["invalid_input"], message: e.violations.map { t.violation($0) }.joined(separator: "; "),
                                                    back: "/o/\(object.name)?" + state.query()),
                                        title: t["invalid_input"], request: request, session: session, status: .unprocessableContent)
        }
    }

    func deleteView(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let object = try context.parameters.require("object")
        var request = request
        _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        try await keel.views.delete(try context.parameters.require("id"), as: session.principal)
        return WebSupport.redirect("/o/\(object)")
    }

    func show(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let (record, object) = try await keel.records.get(try context.parameters.require("object"), id: try context.parameters.require("id"), as: session.principal)
        // Reading a record does not always include its history (e.g. a granted look at a secret record).
        let history: [HistoryEntry]
        do {
            history = try await keel.records.history(object.name, id: record.id, as: session.principal)
        } catch let e as KeelError where e.kind == .notFound || e.kind == .forbidden {
            history = []
        }
        var related: [RecordPage.RelatedList] = []
        // A quote's lines show as its lines card, not as a related list.
        for (other, field) in RecordPage.relations(of: object, in: try await keel.metadata.catalog().objects)
            where StandardObjects.writtenThrough[other.name]?.parent != object.name {
            let filter = [("filter[\(field.name)][eq]", record.id)]
            let records = try await keel.records.list(other.name, params: filter + [("sort", "-updated_at"), ("limit", "5")], as: session.principal).records
            let count = records.count < 5 ? records.count : try await keel.records.count(other.name, params: filter, as: session.principal)
            related.append(RecordPage.RelatedList(object: other, field: field, records: records, count: count))
        }
        // A record in a pipeline: its stage history.
        let catalog = try await keel.metadata.catalog()
        let pipeline = try? await keel.pipelines.document(object.name, as: session.principal).set.pipeline(for: record.values)
        let stages = pipeline == nil ? [] : try await keel.pipelines.history(object.name, id: record.id, as: session.principal)
        // References read as names: users', and those of the records this one, its history and its related lists point at.
        let files = (try? await keel.attachments.list(object.name, id: record.id, as: session.principal)) ?? []
        let referenced = (stages.map(\.actor) + files.map(\.uploadedBy)).map { (target: "users", id: $0) } + ReferenceNames.references(object.fields, in: [record])
            + ReferenceNames.references(object.fields) { f in history.filter { $0.field == f.name }.flatMap { [$0.oldValue, $0.newValue] } }
            + related.flatMap { ReferenceNames.references($0.object.fields, in: $0.records) }
        let names = try await referenceNames(referenced, as: session.principal)
        var model = RecordPage(object: object, record: record, history: history, related: related, names: names)
        model.attachments = files
        if object.name == StandardObjects.activity.name { model.credibility = try await keel.credibility.credibility(of: record.id, as: session.principal) }
        model.pipeline = pipeline ?? nil
        model.stages = stages
        model.workingDay = Double(catalog.calendar.closes - catalog.calendar.opens) * 60
        // What happened around the record: its activities and tasks join its edits in the timeline.
        if !["activities", "tasks"].contains(object.name) {
            let about = [("filter[related_to][eq]", record.id), ("limit", "20")]
            // A reader who may not read activities or tasks sees the edits alone.
            model.activities = (try? await keel.records.list("activities", params: about + [("sort", "-occurred_at")], as: session.principal).records) ?? []
            model.tasks = (try? await keel.records.list("tasks", params: about + [("sort", "-created_at")], as: session.principal).records) ?? []
            model.timelineFilter = try request.queryPairs().last { $0.0 == "tl" }.map(\.1).flatMap { RecordPage.timelineFilters.contains($0) ? $0 : nil }
        }
        model.roles = try await keel.records.roleCoverage(object.name, id: record.id, as: session.principal).map { ($0.role, $0.people) }
        model.canMerge = !(try await keel.access.scope(session.principal, .merge, object: object).plan.deniesAll)
        model.possibleDuplicates = (try await keel.records.possibleDuplicates(object.name, [:], id: record.id, principal: session.principal)["candidates"]?
            .arrayValue ?? []).map(FormPage.Duplicate.init)
        model.merges = try await keel.records.merges(object.name, id: record.id, as: session.principal).map { m in
            (m["id"]?.stringValue ?? "", m["mergedAt"]?.stringValue ?? "", m["undoneAt"]?.stringValue,
             (m["records"]?.arrayValue ?? []).map { MergePage.identity($0, object: object) })
        }
        let t = Strings(web.language(request, session))
        let query = try request.queryPairs()
        let notices = ["saved": "saved", "attached": "attachment_uploaded", "done": "done", "merged": "merged", "unmerged": "unmerged", "logged": "logged",
                       "converted": "converted_notice", "disqualified": "disqualified_notice", "undone": "undone", "not_undone": "not_undone",
                       "lines_saved": "quote_lines_saved", "signing_sent": "signing_sent_ok"]
        var notice = query.lazy.compactMap { $0.1 == "1" ? notices[$0.0] : nil }.first.map { t[$0] } ?? query.last { $0.0 == "error" }?.1
        if let logged = Self.loggedNotice(query, t) { notice = logged }
        // Just saved by the reader and unchanged since: "已保存" comes with an undo.
        if query.contains(where: { $0 == ("saved", "1") }), let last = history.last, last.operation == "update",
           last.actor == session.principal.userID, !history.contains(where: { $0.changeID == last.changeID && $0.masked }) {
            model.undo = (last.changeID, record.version)
            notice = nil
        }
        // A record in an approval is locked; otherwise it can be submitted to the object's processes.
        let approval = try await keel.approvals.state(object: object.name, recordID: record.id)
        model.locked = approval.pending != nil
        try await documentCards(&model, session: session, signingError: query.last { $0.0 == "signing_error" }?.1, t)
        model.processes = approval.processes.map { ($0.id, $0.label) }
        model.approvals = try await keel.approvals.requests(on: record)
        if object.name == StandardObjects.lead.name { model.responseTimers = try await keel.records.responseTimers(leads: [record.id])[record.id] ?? [] }
        return try await web.render(model.context(t, csrf: session.csrf), title: model.title,
                                    request: request, session: session, notice: notice, watermark: object.sensitivity(of: record) >= 3)
    }

    func form(_ request: Request, _ session: WebSession, object: ObjectDefinition, values: [String: JSONValue], violations: [Violation],
              record: Record?, formError: String? = nil, duplicates: [FormPage.Duplicate] = [], typed: [String: String] = [:],
              choices: [String: [FormPage.Candidate]] = [:], status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Strings(web.language(request, session))
        let label = t.language.label(object.labels)
        let title = record.map { RecordPage.title(of: $0) + " · " + t["edit"] } ?? t["new"] + " · " + label
        // A new record's form leaves out what the user may not set; an edited one what they may not see.
        let hidden = if let record { record.masked } else { try await keel.access.scope(session.principal, .create, object: object).plan.hiddenFields }
        var model = FormPage(object: object, values: values, violations: violations, formError: formError,
                             action: record.map { "/o/\(object.name)/\($0.id)" } ?? "/o/\(object.name)",
                             cancelHref: record.map { "/o/\(object.name)/\($0.id)" } ?? "/o/\(object.name)",
                             version: record?.version, title: title, hidden: hidden)
        model.duplicates = duplicates
        model.editing = record?.id
        (model.typed, model.choices) = (typed, choices)
        model.names = try await referenceNames(ReferenceNames.references(object.fields) { [values[$0.name] ?? .null] }, as: session.principal)
        return try await web.render(model.context(t, csrf: session.csrf), title: title, request: request, session: session, status: status)
    }

    /// Takes back the edit just saved (the form the record page offers after a save), unless the record changed since.
    func undo(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let (object, id) = (try context.parameters.require("object"), try context.parameters.require("id"))
        var request = request
        let form = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        func value(_ name: String) -> String { form.last { $0.0 == name }?.1 ?? "" }
        do {
            _ = try await keel.records.undo(object, id: id, change: value("change"), expectedVersion: Int(value("_version")) ?? -1,
                                            context: WriteContext(principal: session.principal, source: .web))
            return WebSupport.redirect("/o/\(object)/\(id)?undone=1")
        } catch let e as KeelError where e.kind == .conflict || e.kind == .unprocessable {
            return WebSupport.redirect("/o/\(object)/\(id)?not_undone=1")
        }
    }

    /// Logs an activity that happened just now from the one-line form (on a record when `related_to` is sent) and goes
    /// back where it was sent from. Refused (no subject…): the activity form, with the problem and what was typed.
    func quickLog(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        let object = try await keel.metadata.catalog().require("activities")
        var request = request
        let pairs = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        var values = FormDecoding.values(pairs.filter { ["type", "subject", "related_to"].contains($0.0) }, object: object, editing: false)
        values["occurred_at"] = .string(ValueFormats.formatDateTime(Date()))
        // The line is what happened; a call, visit, meeting or message must also carry a next step with its time.
        values["body"] = values["subject"]
        // The note read: its kind (unless chosen), and a next step with a time becomes the activity's (and a task).
        let reading = try await keel.quickNotes.parse(values["subject"]?.stringValue ?? "", relatedTo: values["related_to"]?.stringValue, as: session.principal)
        if values["type"] == nil { values["type"] = .string(reading.note.type ?? "note") }
        if let due = reading.note.due, let step = reading.note.nextStep {
            values["next_step"] = .string(step)
            values["next_step_due"] = .string(ValueFormats.formatDateTime(due))
        }
        do {
            _ = try await keel.records.create(object.name, values, context: WriteContext(principal: session.principal, source: .web))
        } catch let error as KeelError where error.kind == .unprocessable {
            return try await form(request, session, object: object, values: values, violations: error.violations, record: nil, status: .unprocessableContent)
        }
        let task = reading.note.due.flatMap { due in reading.note.nextStep.map { "&step=\(URLQuery.escape($0))&due=\(URLQuery.escape(ValueFormats.formatLocal(due, in: keel.timeZone)))" } }
        return WebSupport.redirect(back: pairs.last { $0.0 == "next" }?.1, adding: "logged=1" + (task ?? ""))
    }

    /// What the quick log says once it has logged: with the next-step task it made, when it made one.
    static func loggedNotice(_ query: [(String, String)], _ t: Strings) -> String? {
        guard query.contains(where: { $0 == ("logged", "1") }) else { return nil }
        guard let step = query.last(where: { $0.0 == "step" })?.1, let due = query.last(where: { $0.0 == "due" })?.1 else { return t["logged"] }
        return t["logged_next_step"].replacingOccurrences(of: "{1}", with: step).replacingOccurrences(of: "{2}", with: due)
    }

    /// Creates (`id == nil`) or updates a record from a form. On failure the form comes back with every
    /// violation next to its field and everything the user typed.
    func save(_ request: Request, _ context: KeelRequestContext, id: String?) async throws -> Response {
        let session = try await requireSession(request)
        let object = try await keel.metadata.catalog().require(try context.parameters.require("object"))
        var request = request
        let t = Strings(web.language(request, session))
        let (pairs, unresolved, typed, choices) = try await resolveReferences(try await WebSupport.form(&request, context: context, csrf: session.csrf),
                                                                              object: object, as: session.principal, t)
        let values = FormDecoding.values(pairs, object: object, editing: id != nil)
        let writeContext = WriteContext(principal: session.principal, source: .web)
        var current: Record?
        if let id { current = try await keel.records.get(object.name, id: id, as: session.principal).0 }
        do {
            // A reference that names no single record: nothing is written; the form asks again.
            if !unresolved.isEmpty { throw KeelError(.unprocessable, code: "validation_failed", message: "", violations: unresolved) }
            let savedID: String
            if let id {
                let version = pairs.last { $0.0 == "_version" }.flatMap { Int($0.1) }
                savedID = try await keel.records.update(object.name, id: id, values, expectedVersion: version, context: writeContext).id
            } else {
                savedID = try await keel.records.create(object.name, values, context: writeContext).json["id"]?.stringValue ?? ""
            }
            return WebSupport.redirect("/o/\(object.name)/\(savedID)?saved=1")
        } catch let error as KeelError where error.kind == .unprocessable || error.kind == .conflict || error.code == "field_forbidden" {
            var shown = current?.values ?? [:]
            for (k, v) in values { shown[k] = v }
            let duplicates = (error.details["candidates"]?.arrayValue ?? []).map(FormPage.Duplicate.init)
            return try await form(request, session, object: object, values: shown, violations: error.violations, record: current,
                                  formError: error.kind == .conflict && duplicates.isEmpty ? t["conflict"] : nil, duplicates: duplicates,
                                  typed: typed, choices: choices,
                                  status: error.kind == .conflict ? .conflict : error.kind == .forbidden ? .forbidden : .unprocessableContent)
        }
    }
}
