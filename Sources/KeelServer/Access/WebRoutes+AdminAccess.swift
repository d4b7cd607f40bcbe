import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

/// The admin's access tab: the policy document, the health scan, the audit log and "explain"; field sensitivity.
extension WebRoutes {
    func registerAdminAccess(on pages: RouterGroup<KeelRequestContext>) {
        pages.post("admin/access") { request, context in
            try await adminForm(request, context, tab: "access") { form, me in
                _ = try await keel.access.save(try JSONValue.parse(text: form["document"] ?? ""), by: me)
            }
        }
        pages.post("admin/fields/:field/sensitivity") { request, context in
            let object = try request.queryPairs().last { $0.0 == "object" }?.1 ?? "accounts"
            let field = try context.parameters.require("field")
            return try await adminForm(request, context, tab: "fields", back: "/admin/fields?object=" + URLQuery.escape(object)) { form, me in
                _ = try await keel.metadata.setSensitivity(object: object, field: field, ["sensitivity": Int(form["sensitivity"] ?? "").map(JSONValue.init) ?? 0], as: me)
            }
        }
    }

    func accessTab(_ request: Request, _ me: Principal, _ t: Strings, csrf: String, violations: [Violation],
                   input: [String: String]) async throws -> AdminPage.Access {
        let set = try await keel.access.policies()
        let findings = try await keel.access.healthScan(by: me).map { ($0.kind.rawValue, $0.user?.email ?? "—", $0.message, $0.fix) }
        let audit = try await keel.access.auditEntries(actor: nil, action: nil, recordID: nil, before: nil, limit: 50, by: me)
        var page = AdminPage.Access(document: JSONValue.object(["policies": set.json["policies"]!, "expectations": set.json["expectations"]!]).prettyText(),
                                    version: set.version, findings: findings, audit: audit, userNames: try await userNames(me), t,
                                    csrf: csrf, violations: violations, input: input)
        // "Why can (not) this user do that?": the explain form and its answer.
        let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
        page.explain(users: try await keel.auth.users(by: me), objects: try await keel.metadata.catalog().objects, query: q, t)
        if let user = q["user"], let action = q["action"].flatMap(Action.init(rawValue:)), let object = q["object"] {
            do {
                let answer = try await keel.access.explain(action, object: object, recordID: q["record"].flatMap { $0.isEmpty ? nil : $0 },
                                                           userID: user, by: me)
                page.explanation = .init(
                    decision: answer["decision"]?.stringValue ?? "", reason: answer["reason"]?.stringValue ?? "",
                    masked: (answer["maskedFields"]?.arrayValue ?? []).compactMap(\.stringValue),
                    policies: (answer["policies"]?.arrayValue ?? []).map { p in
                        .init(id: p["id"]?.stringValue ?? "", effect: p["effect"]?.stringValue ?? "",
                              matches: p["matches"]?.boolValue.map { $0 ? t["yes"] : t["no"] } ?? (p["matches"]?.stringValue ?? ""),
                              condition: p["condition"]?.canonicalText() ?? "")
                    })
            } catch let e as KeelError where e.kind == .notFound {
                page.explanation = .init(decision: "—", reason: e.message)
            }
        }
        return page
    }
}
