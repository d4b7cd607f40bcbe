import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// A lead's way out: converted (to an account, a contact and a deal, linking to what exists) or disqualified with a
/// reason.
extension WebRoutes {
    /// Under `o/:object/…` like every record page (a literal `o/leads` would hide the leads list from the router);
    /// other objects have no such pages.
    func registerLeads(on pages: RouterGroup<KeelRequestContext>) {
        // The routing document (its page is an admin tab), saved whole or switched on and off.
        pages.post("admin/lead-routing") { request, context in
            try await adminForm(request, context, tab: "lead-routing") { form, me in
                _ = try await keel.records.setLeadRouting(try JSONValue.parse(text: form["document"] ?? ""), by: me)
            }
        }
        pages.post("admin/lead-routing/enabled") { request, context in
            try await adminForm(request, context, tab: "lead-routing") { form, me in
                var document = (try await keel.records.leadRouting(as: me).routing ?? LeadRouting()).json.objectValue ?? [:]
                document["enabled"] = .bool(form["enabled"] == "true")
                _ = try await keel.records.setLeadRouting(.object(document), by: me)
            }
        }
        // The lead inbox: mine, the team's, unassigned, the pool; claim, release, assign.
        pages.get("lead-inbox") { request, _ in
            let session = try await requireSession(request)
            return try await leadInbox(request, session)
        }
        pages.get("lead-response") { request, _ in
            let session = try await requireSession(request)
            return try await leadResponse(request, session)
        }
        for action in ["claim", "release", "assign"] {
            pages.post("lead-inbox/\(action)") { request, context in
                let session = try await requireSession(request)
                var request = request
                let form = Dictionary(try await WebSupport.form(&request, context: context, csrf: session.csrf), uniquingKeysWith: { _, last in last })
                let id = form["id"] ?? ""
                let me = session.principal
                let t = Strings(web.language(request, session))
                do {
                    switch action {
                    case "claim":
                        _ = try await keel.records.claim(lead: id, as: me)
                        return WebSupport.redirect("/lead-inbox?tab=mine&done=claimed")
                    case "release":
                        _ = try await keel.records.release(lead: id, reason: form["reason"] ?? "", as: me)
                        return WebSupport.redirect("/lead-inbox?tab=mine&done=released")
                    default:
                        _ = try await keel.records.update("leads", id: id, ["owner": .string(form["owner"] ?? ""), "assignment_reason": .string(form["reason"] ?? "")],
                                                          expectedVersion: nil, context: WriteContext(principal: me, source: .web))
                        return WebSupport.redirect("/lead-inbox?tab=unassigned&done=assigned")
                    }
                } catch let e as KeelError where [.conflict, .unprocessable].contains(e.kind) {
                    let tab = action == "claim" ? "pool" : action == "release" ? "mine" : "unassigned"
                    let message = t.text("claim_failed." + e.code) ?? (e.violations.first.map { t.violation($0) } ?? e.message)
                    return try await leadInbox(request, session, tab: tab, error: message, status: APIResponse.status(e.kind))
                }
            }
        }
        @Sendable func lead(_ context: KeelRequestContext) throws -> String {
            guard try context.parameters.require("object") == "leads" else { throw KeelError.notFound(context.parameters.get("object") ?? "") }
            return try context.parameters.require("id")
        }
        pages.get("o/:object/:id/convert") { request, context in
            let session = try await requireSession(request)
            return try await convertPage(request, session, lead: try await keel.records.get("leads", id: try lead(context), as: session.principal).0)
        }
        pages.post("o/:object/:id/convert") { request, context in try await convert(request, context, id: try lead(context)) }
        pages.post("o/:object/:id/disqualify") { request, context in try await disqualify(request, context, id: try lead(context)) }
    }

    /// The conversion form: the lead's details as a draft, and what the duplicate check finds for them.
    func convertPage(_ request: Request, _ session: WebSession, lead: Record, drafts: (account: [String: JSONValue], contact: [String: JSONValue],
                     opportunity: [String: JSONValue])? = nil, violations: [Violation] = [], chosen: [String: String] = [:],
                     status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Strings(web.language(request, session))
        if lead.value("status") == "converted" { throw KeelError(.conflict, code: "already_converted", message: t["lead_done_converted"]) }
        let draft = drafts ?? RecordService.conversionDraft(of: lead)
        func matches(_ object: String, _ values: [String: JSONValue]) async throws -> [LeadConvertPage.Match] {
            (try await keel.records.possibleDuplicates(object, values, principal: session.principal)["candidates"]?.arrayValue ?? []).compactMap { c in
                guard let id = c["id"]?.stringValue, let name = c["name"]?.stringValue else { return nil }
                return LeadConvertPage.Match(id: id, name: name, score: c["score"]?.doubleValue ?? 0)
            }
        }
        var page = LeadConvertPage(lead: lead, account: draft.account, contact: draft.contact, opportunity: draft.opportunity,
                                   accountMatches: try await matches("accounts", draft.account), contactMatches: try await matches("contacts", draft.contact))
        (page.violations, page.chosen) = (violations, chosen)
        let context = page.context(t, csrf: session.csrf)
        return try await web.render(context, title: context.title, request: request, session: session, status: status)
    }

    func convert(_ request: Request, _ context: KeelRequestContext, id: String) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let pairs = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        let catalog = try await keel.metadata.catalog()
        func values(_ key: String, _ object: String) throws -> [String: JSONValue] {
            let prefix = key + "."
            return FormDecoding.values(pairs.filter { $0.0.hasPrefix(prefix) }.map { (String($0.0.dropFirst(prefix.count)), $0.1) },
                                       object: try catalog.require(object), editing: false)
        }
        let chosen = Dictionary(pairs.filter { ["account", "contact", "deal"].contains($0.0) }, uniquingKeysWith: { $1 })
        let drafts = (try values("account", "accounts"), try values("contact", "contacts"), try values("opportunity", "opportunities"))
        func target(_ key: String, _ draft: [String: JSONValue]) -> LeadConversion.Target {
            chosen[key].flatMap { $0 == "new" ? nil : LeadConversion.Target.existing($0) } ?? .new(draft)
        }
        let conversion = LeadConversion(account: target("account", drafts.0), contact: target("contact", drafts.1),
                                        opportunity: chosen["deal"] == "1" ? drafts.2 : nil)
        do {
            let done = try await keel.records.convertLead(id, conversion, context: WriteContext(principal: session.principal, source: .web))
            return WebSupport.redirect((done.opportunity.map { "/o/opportunities/\($0)" } ?? "/o/accounts/\(done.account)") + "?converted=1")
        } catch let error as KeelError where error.kind == .unprocessable {
            let lead = try await keel.records.get("leads", id: id, as: session.principal).0
            return try await convertPage(request, session, lead: lead, drafts: drafts, violations: error.violations, chosen: chosen, status: .unprocessableContent)
        }
    }

    func disqualify(_ request: Request, _ context: KeelRequestContext, id: String) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let pairs = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        let reason = (pairs.last { $0.0 == "disqualify_reason" }?.1 ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let t = Strings(web.language(request, session))
        guard !reason.isEmpty else {
            return try await web.render(MessagePage(title: t["invalid_input"], message: t["disqualify_reason_label"] + ": " + t["v_required"], back: "/o/leads/\(id)"),
                                        title: t["invalid_input"], request: request, session: session, status: .unprocessableContent)
        }
        _ = try await keel.records.update("leads", id: id, ["status": "unqualified", "disqualify_reason": .string(reason)], expectedVersion: nil,
                                          context: WriteContext(principal: session.principal, source: .web))
        return WebSupport.redirect("/o/leads/\(id)?disqualified=1")
    }

    /// The inbox tab asked for (`?tab=`), with a notice after an action or the reason it failed.
    func leadInbox(_ request: Request, _ session: WebSession, tab chosen: String? = nil, error: String? = nil,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let t = Strings(web.language(request, session))
        let query = try request.queryPairs()
        let tab = chosen ?? query.last { $0.0 == "tab" }.map(\.1).flatMap { LeadInboxPage.tabs.contains($0) ? $0 : nil } ?? "mine"
        let me = session.principal
        let leads = try await keel.metadata.catalog().require(StandardObjects.lead.name)
        let open: [(String, String)] = [("filter[status][in]", "new,contacted"), ("sort", "-assigned_at"), ("limit", "200")]
        let records: [Record] = switch tab {
        case "pool": try await keel.records.pool(as: me)
        case "team": try await keel.records.list("leads", params: [("filter[owner][neq]", me.userID)] + open, as: me).records
        case "unassigned": try await keel.records.list("leads", params: [("filter[owner][isNull]", "true"), ("filter[pooled_at][isNull]", "true"),
                                                                          ("sort", "-created_at"), ("limit", "200")], as: me).records
        default: try await keel.records.list("leads", params: [("filter[owner][eq]", me.userID)] + open, as: me).records
        }
        let users = try await keel.auth.users(by: me)
        let page = LeadInboxPage(tab: tab, records: records, leads: leads, names: Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) }),
                                 assignees: users.filter { $0.status == .active && $0.role != .admin }.map { ($0.id, $0.name) },
                                 timers: tab == "mine" || tab == "team" ? try await keel.records.responseTimers(leads: records.map(\.id)) : [:],
                                 assignments: try await keel.records.latestAssignments(leads: records.map(\.id)), now: Date(), t,
                                 csrf: session.csrf, error: error)
        let done = query.last { $0.0 == "done" }?.1
        let notice = done.flatMap { ["claimed": t["inbox_claimed"], "released": t["inbox_released"], "assigned": t["inbox_assigned_done"]][$0] }
        return try await web.render(page, title: t["lead_inbox"], request: request, session: session, status: status, notice: notice)
    }

    /// How the reps the reader may see answer their leads, for one channel (`?channel=`) or all, with the reader's digest.
    func leadResponse(_ request: Request, _ session: WebSession) async throws -> Response {
        let t = Strings(web.language(request, session))
        let me = session.principal
        let catalog = try await keel.metadata.catalog()
        let field = try catalog.require(StandardObjects.lead.name).field("channel")
        let channels = (field?.options ?? []).map { ($0, t.option($0, of: field)) }
        let asked = try request.queryPairs().last { $0.0 == "channel" }?.1
        let now = Date()
        // The digest of the latest working day, as it stands now.
        var digest: LeadDigest?
        if let day = catalog.calendar.openings(before: now, in: keel.timeZone) {
            digest = try await keel.records.leadDigest(for: me, since: day.previous, at: now)
        }
        let users = try await keel.auth.users(by: me)
        let page = LeadResponsePage(samples: try await keel.records.responseSamples(visibleTo: me, since: now - 2 * LeadResponsePage.window),
                                    names: Dictionary(uniqueKeysWithValues: users.map { ($0.id, $0.name) }), digest: digest, channels: channels,
                                    channel: channels.contains { $0.0 == asked } ? asked : nil, now: now, zone: keel.timeZone, t)
        return try await web.render(page, title: t["lead_response"], request: request, session: session)
    }
}
