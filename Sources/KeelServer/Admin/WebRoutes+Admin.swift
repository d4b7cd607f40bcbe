import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    func registerAdmin(on pages: RouterGroup<KeelRequestContext>) {
        registerAdminAccess(on: pages)
        registerAutomation(on: pages)
        pages.get("admin") { request, _ in
            _ = try await requireAdmin(request)
            return WebSupport.redirect("/admin/users")
        }
        // One route per tab: the router matches constant segments first and would not fall back to `admin/:tab`.
        for tab in AdminPage.tabs {
            pages.get("admin/\(tab)") { request, _ in try await adminPage(request, try await requireAdmin(request), tab: tab) }
        }
        pages.post("admin/users") { request, context in
            try await adminForm(request, context, tab: "users") { form, me in
                _ = try await keel.auth.createUser(NewUser(
                    email: form["email"] ?? "", password: form["password"] ?? "", name: form["name"].flatMap { $0.isEmpty ? nil : $0 },
                    role: Role(rawValue: form["role"] ?? "") ?? .member, department: form["department"].flatMap { $0.isEmpty ? nil : $0 },
                    managerEmail: form["manager"].flatMap { $0.isEmpty ? nil : $0 }), by: me)
            }
        }
        pages.post("admin/users/:id/status") { request, context in
            let id = try context.parameters.require("id")
            return try await adminForm(request, context, tab: "users") { form, me in
                _ = try await keel.auth.setStatus(id, form["status"] == "frozen" ? .frozen : .active, by: me)
            }
        }
        pages.post("admin/users/:id/role") { request, context in
            let id = try context.parameters.require("id")
            return try await adminForm(request, context, tab: "users") { form, me in
                guard let role = Role(rawValue: form["role"] ?? "") else {
                    throw KeelError.validation([Violation(field: "role", code: "invalid_option", message: "Unknown role.")])
                }
                _ = try await keel.auth.setRole(id, role, by: me)
            }
        }
        pages.post("admin/departments") { request, context in
            try await adminForm(request, context, tab: "departments") { form, me in
                _ = try await keel.auth.createDepartment(name: form["name"] ?? "", parentID: form["parent"].flatMap { $0.isEmpty ? nil : $0 },
                                                         managerID: form["manager"].flatMap { $0.isEmpty ? nil : $0 }, by: me)
            }
        }
        pages.post("admin/fields") { request, context in
            let object = try request.queryPairs().last { $0.0 == "object" }?.1 ?? "accounts"
            return try await adminForm(request, context, tab: "fields", back: "/admin/fields?object=" + URLQuery.escape(object)) { form, me in
                _ = try await keel.metadata.addField(to: object, Self.fieldSpec(form), as: me)
            }
        }
        pages.post("admin/rules") { request, context in
            let object = try request.queryPairs().last { $0.0 == "object" }?.1 ?? "accounts"
            return try await adminForm(request, context, tab: "fields", back: "/admin/fields?object=" + URLQuery.escape(object)) { form, me in
                _ = try await keel.metadata.addValidationRule(to: object, ["name": .string(form["rule_name"] ?? ""), "expression": .string(form["rule_expression"] ?? ""),
                                                                           "message": .string(form["rule_message"] ?? "")], as: me)
            }
        }
        pages.post("admin/required-groups") { request, context in
            let object = try request.queryPairs().last { $0.0 == "object" }?.1 ?? "accounts"
            return try await adminForm(request, context, tab: "fields", back: "/admin/fields?object=" + URLQuery.escape(object)) { form, me in
                let fields = try await keel.metadata.catalog().require(object).fields.map(\.name)
                _ = try await keel.metadata.addRequiredGroup(to: object, Self.requiredGroupSpec(form, fieldOrder: fields), as: me)
            }
        }
        pages.post("admin/identity-rules") { request, context in
            let object = try request.queryPairs().last { $0.0 == "object" }?.1 ?? "accounts"
            return try await adminForm(request, context, tab: "fields", back: "/admin/fields?object=" + URLQuery.escape(object)) { form, me in
                let fields = try await keel.metadata.catalog().require(object).fields.map(\.name)
                _ = try await keel.setIdentityRules(object, try Self.identityRulesSpec(form, fieldOrder: fields), by: me)
            }
        }
        pages.post("admin/identity-rules/reset") { request, context in
            let object = try request.queryPairs().last { $0.0 == "object" }?.1 ?? "accounts"
            return try await adminForm(request, context, tab: "fields", back: "/admin/fields?object=" + URLQuery.escape(object)) { _, me in
                _ = try await keel.setIdentityRules(object, nil, by: me)
            }
        }
        pages.post("admin/templates") { request, context in
            try await adminForm(request, context, tab: "fields", back: "/admin/fields?object=accounts") { form, me in
                _ = try await keel.metadata.applyTemplate(form["template"] ?? "", as: me)
            }
        }
        pages.post("admin/objects") { request, context in
            try await adminForm(request, context, tab: "objects") { form, me in
                _ = try await keel.metadata.addObject(["name": .string(form["name"] ?? ""),
                                                       "labels": ["zh-CN": .string(form["label_zh"] ?? ""), "en": .string(form["label_en"] ?? "")]], as: me)
            }
        }
    }

    /// The JSON the metadata service takes, from the new-required-group form: a box per field (`group_field_NAME`),
    /// taken in the object's field order, and the values that make the group apply separated by commas, 、 or new lines.
    static func requiredGroupSpec(_ form: [String: String], fieldOrder: [String]) -> JSONValue {
        var spec: [String: JSONValue] = [
            "name": .string(form["group_name"] ?? ""),
            "labels": ["zh-CN": .string(form["group_label"] ?? ""), "en": .string(form["group_label"] ?? "")],
            "fields": .array(fieldOrder.filter { form["group_field_" + $0] != nil }.map(JSONValue.string)),
        ]
        if let field = form["group_when_field"], !field.isEmpty {
            let values = (form["group_when_values"] ?? "").split(whereSeparator: { ",，、\n\r".contains($0) })
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            spec["when"] = ["field": .string(field), "in": .array(values.map(JSONValue.string))]
        }
        return .object(spec)
    }

    /// The identity rules from their form: a role per field (`identity_role_NAME`, empty: not used), in the object's
    /// field order, and the thresholds in percent.
    static func identityRulesSpec(_ form: [String: String], fieldOrder: [String]) throws -> JSONValue {
        func score(_ key: String) throws -> Double {
            guard let percent = Double(form[key]?.trimmingCharacters(in: .whitespaces) ?? ""), (1...100).contains(percent) else {
                throw KeelError.validation([Violation(field: key, code: "out_of_range", message: "A match score from 1 to 100 %.")])
            }
            return percent / 100
        }
        return ["fields": .array(fieldOrder.compactMap { f in form["identity_role_" + f].flatMap { $0.isEmpty ? nil : ["field": .string(f), "role": .string($0)] } }),
                "block": JSONValue(try score("identity_block")), "warn": JSONValue(try score("identity_warn"))]
    }

    /// The JSON the metadata service takes, from the new-field form.
    static func fieldSpec(_ form: [String: String]) -> JSONValue {
        var spec: [String: JSONValue] = [
            "name": .string(form["name"] ?? ""), "type": .string(form["type"] ?? ""),
            "labels": ["zh-CN": .string(form["label_zh"] ?? ""), "en": .string(form["label_en"] ?? "")],
            "required": .bool(form["required"] == "true"),
        ]
        let type = FieldType(apiName: form["type"] ?? "")
        if type == .picklist || type == .multiPicklist {
            spec["options"] = .array((form["options"] ?? "").split(whereSeparator: \.isNewline)
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.map(JSONValue.string))
        }
        if type == .reference, let target = form["target"], !target.isEmpty { spec["target"] = .string(target) }
        if form["type"] == "formula" {
            spec["expression"] = .string(form["expression"] ?? "")
            spec["resultType"] = .string(form["resultType"] ?? "")
        }
        return .object(spec)
    }

    func requireAdmin(_ request: Request) async throws -> WebSession {
        let session = try await requireSession(request)
        guard session.principal.role == .admin else {
            throw KeelError(.forbidden, code: "forbidden", message: "Only admins open the admin pages.")
        }
        return session
    }

    func adminPage(_ request: Request, _ session: WebSession, tab: String, violations: [Violation] = [], input: [String: String] = [:],
                   status: HTTPResponse.Status = .ok, notice: String? = nil) async throws -> Response {
        let me = session.principal
        let t = Strings(web.language(request, session))
        let catalog = try await keel.metadata.catalog()
        let done = try request.queryPairs().contains { $0 == ("done", "1") }
        let notice = notice ?? (done ? t["done"] : nil)
        let context: any PageContext
        switch tab {
        case "users":
            context = AdminPage.Users(try await keel.auth.users(by: me), departments: try await keel.auth.departments(by: me), me: me.userID,
                                      t, csrf: session.csrf, violations: violations, input: input)
        case "departments":
            context = AdminPage.Departments(try await keel.auth.departments(by: me), users: try await keel.auth.users(by: me), t, csrf: session.csrf,
                                            violations: violations, input: input)
        case "roles":
            context = AdminPage.Roles(try await keel.auth.users(by: me), t)
        case "fields":
            let name = try request.queryPairs().last { $0.0 == "object" }?.1 ?? "accounts"
            let (rules, isDefault) = try await keel.identityRulesInForce(name)
            context = AdminPage.Fields(try catalog.require(name), objects: catalog.objects,
                                       identity: AdminPage.IdentitySettings(rules: rules, isDefault: isDefault, roles: Keel.identityRoles),
                                       t, csrf: session.csrf, violations: violations, input: input)
        case "objects":
            context = AdminPage.Objects(catalog.objects, t, csrf: session.csrf, violations: violations, input: input)
        case "access":
            context = try await accessTab(request, me, t, csrf: session.csrf, violations: violations, input: input)
        case "automations":
            context = try await automationsTab(me, t, csrf: session.csrf, violations: violations, input: input)
        case "lead-routing":
            context = AdminPage.LeadRouting(try await keel.records.leadRouting(as: me), users: try await keel.auth.users(by: me),
                                            leads: try catalog.require(StandardObjects.lead.name), t, csrf: session.csrf, violations: violations, input: input)
        case "pipelines":
            let object = try catalog.require(StandardObjects.opportunity.name)
            let found = try await keel.pipelines.document(object.name, as: me)
            context = AdminPage.Pipelines(found.set, version: found.version, object: object, t, csrf: session.csrf, violations: violations, input: input)
        default:
            throw KeelError.notFound("admin/\(tab)")
        }
        return try await web.render(context, title: t["admin_" + tab], request: request, session: session, status: status, notice: notice)
    }

    /// Runs an admin form's action; on success back to the page with a notice, on bad input the page again with every
    /// problem and what was typed (never the password).
    func adminForm(_ request: Request, _ context: KeelRequestContext, tab: String, back: String? = nil,
                   _ action: ([String: String], Principal) async throws -> Void) async throws -> Response {
        let session = try await requireAdmin(request)
        var request = request
        let pairs = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        let form = Dictionary(pairs, uniquingKeysWith: { _, last in last })
        do {
            try await action(form, session.principal)
            return WebSupport.redirect((back ?? "/admin/\(tab)") + ((back ?? "").contains("?") ? "&" : "?") + "done=1")
        } catch let e as KeelError where [.unprocessable, .conflict, .badRequest, .forbidden].contains(e.kind) {
            let violations = e.violations.isEmpty ? [Violation(field: form["name"] ?? form["email"] ?? tab, code: e.code, message: e.message)] : e.violations
            return try await adminPage(request, session, tab: tab, violations: violations, input: form.filter { $0.key != "password" && $0.key != "_csrf" },
                                       status: APIResponse.status(e.kind))
        }
    }
}
