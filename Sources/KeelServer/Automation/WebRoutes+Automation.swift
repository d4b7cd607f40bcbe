import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// Pages for automations: the admin tab (automations, dry runs, approval processes, webhooks, dead letters), run
/// logs; for everyone, the approvals inbox and notifications.
extension WebRoutes {
    func registerAutomation(on pages: RouterGroup<KeelRequestContext>) {
        pages.post("admin/automations") { request, context in
            let session = try await requireAdmin(request)
            var request = request
            let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
            do {
                let definition = try JSONValue.parse(text: form["definition"] ?? "")
                if form["intent"] == "dry-run" {
                    let result = try await keel.automations.dryRun(definition, by: session.principal)
                    return try await automationsPage(request, session, input: form, dryRun: result)
                }
                _ = try await keel.automations.publish(definition, by: session.principal)
                return WebSupport.redirect("/admin/automations?done=1")
            } catch let e as KeelError where [.unprocessable, .badRequest].contains(e.kind) {
                return try await automationsPage(request, session, violations: e.violations.isEmpty ? [Violation(field: "definition", code: e.code, message: e.message)] : e.violations,
                                                 input: form, status: .unprocessableContent)
            }
        }
        for (path, enabled) in [("enable", true), ("disable", false)] {
            pages.post("admin/automations/:id/\(path)") { request, context in
                try await adminForm(request, context, tab: "automations") { _, me in
                    _ = try await keel.automations.setEnabled(try context.parameters.require("id"), enabled, by: me)
                }
            }
        }
        pages.post("admin/approval-processes") { request, context in
            try await adminForm(request, context, tab: "automations") { form, me in
                _ = try await keel.approvals.publish(try JSONValue.parse(text: form["process"] ?? ""), by: me)
            }
        }
        pages.post("admin/webhooks") { request, context in
            let session = try await requireAdmin(request)
            var request = request
            let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
            func list(_ text: String?) -> JSONValue {
                let names = (text ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
                return .array((names.isEmpty ? ["*"] : names).map(JSONValue.string))
            }
            do {
                let endpoint = try await keel.webhooks.create(["id": .string(form["id"] ?? ""), "url": .string(form["url"] ?? ""), "objects": list(form["objects"]),
                                                               "events": list(form["events"]), "allowPrivate": .bool(form["allowPrivate"] == "true")],
                                                              by: session.principal)
                return try await automationsPage(request, session, secret: endpoint.secret)
            } catch let e as KeelError where [.unprocessable, .conflict].contains(e.kind) {
                return try await automationsPage(request, session, violations: e.violations.isEmpty ? [Violation(field: "id", code: e.code, message: e.message)] : e.violations,
                                                 input: form, status: e.kind == .conflict ? .conflict : .unprocessableContent)
            }
        }
        pages.post("admin/calendar") { request, context in
            try await adminForm(request, context, tab: "automations") { form, me in
                _ = try await keel.metadata.setCalendar(try JSONValue.parse(text: form["calendar"] ?? ""), by: me)
            }
        }
        pages.post("admin/webhooks/deliveries/:job/replay") { request, context in
            try await adminForm(request, context, tab: "automations") { _, me in
                try await keel.webhooks.replay(try context.parameters.require("job"), by: me)
            }
        }
        for (path, kind) in [("automations", Automations.kind), ("webhooks", Webhooks.kind)] {
            pages.get("admin/\(path)/:id/\(kind == Webhooks.kind ? "deliveries" : "runs")") { request, context in
                let session = try await requireAdmin(request)
                let t = Strings(web.language(request, session))
                let id = try context.parameters.require("id")
                let jobs = try await keel.automations.runs(kind: kind, id, limit: 200, by: session.principal)
                let title = "\(t[kind == Webhooks.kind ? "deliveries" : "run_log"]) · \(id)"
                return try await web.render(AdminPage.Runs(title: title, jobs: jobs, t), title: title, request: request, session: session)
            }
        }

        pages.get("approvals") { request, _ in
            let session = try await requireSession(request)
            let t = Strings(web.language(request, session))
            let query = try request.queryPairs()
            let notice = query.contains { $0 == ("done", "1") } ? t["done"] : nil
            return try await web.render(try await approvalsPage(session, t, history: query.contains { $0 == ("tab", "history") }),
                                        title: t["approvals"], request: request, session: session, notice: notice)
        }
        pages.post("approvals") { request, context in
            let session = try await requireSession(request)
            var request = request
            let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
            let object = form["object"] ?? "", record = form["record"] ?? ""
            do {
                _ = try await keel.approvals.start(form["process"] ?? "", object: object, recordID: record, by: session.principal)
            } catch let e as KeelError where [.unprocessable, .conflict].contains(e.kind) {
                return WebSupport.redirect("/o/\(object)/\(record)?error=" + URLQuery.escape(e.message))
            }
            return WebSupport.redirect("/o/\(object)/\(record)?done=1")
        }
        pages.post("approvals/:id/decision") { request, context in
            let session = try await requireSession(request)
            var request = request
            let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
            do {
                _ = try await keel.approvals.decide(try context.parameters.require("id"), approve: form["decision"] == "approve",
                                                    comment: form["comment"] ?? "", by: session.principal)
            } catch let e as KeelError where e.kind == .unprocessable {
                let t = Strings(web.language(request, session))
                return try await web.render(try await approvalsPage(session, t, history: false),
                                            title: t["approvals"], request: request, session: session, status: .unprocessableContent,
                                            notice: e.violations.map(t.violation).joined(separator: " "))
            }
            return WebSupport.redirect("/approvals?tab=history&done=1")
        }
        pages.get("notifications") { request, _ in
            let session = try await requireSession(request)
            let t = Strings(web.language(request, session))
            let (items, _) = try await keel.notifier.notifications(of: session.principal, limit: 100)
            return try await web.render(NotificationsPage(items, t, now: Date(), csrf: session.csrf), title: t["notifications"],
                                        request: request, session: session)
        }
        // What the page's script polls to raise browser notifications: the unread ones, newest first.
        pages.get("notifications/unread") { request, _ in
            let session = try await requireSession(request)
            let (items, unread) = try await keel.notifier.notifications(of: session.principal, limit: 20)
            let fresh: [JSONValue] = items.filter { $0.readAt == nil }.map { n in
                ["id": .string(n.id), "title": .string(n.title),
                 "href": n.object.flatMap { object in n.recordID.map { .string("/o/\(object)/\($0)") } } ?? "/notifications"]
            }
            return APIResponse.json(["unread": JSONValue(unread), "items": .array(fresh)])
        }
        pages.post("notifications/read") { request, context in
            let session = try await requireSession(request)
            var request = request
            _ = try await WebSupport.form(&request, context: context, csrf: session.csrf)
            try await keel.notifier.markRead(nil, by: session.principal)
            return WebSupport.redirect("/notifications")
        }
    }

    func automationsPage(_ request: Request, _ session: WebSession, violations: [Violation] = [], input: [String: String] = [:],
                         dryRun: JSONValue? = nil, secret: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Strings(web.language(request, session))
        let context = try await automationsTab(session.principal, t, csrf: session.csrf, violations: violations, input: input, dryRun: dryRun, secret: secret)
        return try await web.render(context, title: t["admin_automations"], request: request, session: session, status: status)
    }

    func automationsTab(_ me: Principal, _ t: Strings, csrf: String, violations: [Violation], input: [String: String],
                        dryRun: JSONValue? = nil, secret: String? = nil) async throws -> AdminPage.Automations {
        let stats = try await keel.automations.stats()
        let counts = Dictionary(stats.map { s in
            ("\(s.kind)/\(s.ref)", AdminPage.RunCounts(succeeded: s.succeeded, failed: s.failed, skipped: s.skipped, pending: s.pending, successRate: s.successRate))
        }, uniquingKeysWith: { a, _ in a })
        return AdminPage.Automations(try await keel.automations.list(by: me), processes: try await keel.approvals.processes(by: me),
                                     endpoints: try await keel.webhooks.endpoints(by: me), dead: try await keel.webhooks.deadLetters(by: me),
                                     counts: counts, dryRun: dryRun, secret: secret, calendar: try await keel.metadata.catalog().calendar.json.prettyText(),
                                     t, csrf: csrf, violations: violations, input: input)
    }

    /// The approvals the reader takes part in, with their records as the reader may see them and their processes.
    func approvalsPage(_ session: WebSession, _ t: Strings, history: Bool) async throws -> ApprovalsPage {
        let requests = try await keel.approvals.requests(status: nil, by: session.principal)
        let catalog = try await keel.metadata.catalog()
        var records: [String: Record] = [:], processes: [String: ApprovalProcess] = [:]
        for r in requests where records[r.recordID] == nil {
            records[r.recordID] = try? await keel.records.get(r.object, id: r.recordID, as: session.principal).0
            if processes[r.processID] == nil {
                for p in try await keel.approvals.state(object: r.object, recordID: r.recordID).processes { processes[p.id] = p }
            }
        }
        return ApprovalsPage(requests, history: history, records: records, objects: Dictionary(uniqueKeysWithValues: catalog.objects.map { ($0.name, $0) }),
                             processes: processes, userNames: try await userNames(session.principal), t, csrf: session.csrf)
    }
}
