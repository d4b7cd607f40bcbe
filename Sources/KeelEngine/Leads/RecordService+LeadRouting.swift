import Foundation
import KeelCore
import KeelStore
import SQLKit

extension RecordService {
    public func leadRouting(as principal: Principal) async throws -> LeadRoutingSettings {
        try await database.read { db in
            let item = try await router.config.items(kind: LeadRouter.configKind, id: LeadRouter.configID, on: db).first
            let routing = try await router.document(on: db)
            let warnings = if let routing { try await warnings(routing, on: db) } else { [Violation]() }
            return LeadRoutingSettings(routing: routing, version: item?.version, publishedAt: item?.publishedAt, publishedBy: item?.publishedBy,
                                       warnings: warnings)
        }
    }

    /// Checks and saves a routing document (admins): every problem is a 422 with its JSON path, and the document in
    /// force stays; a valid one is published as the next version, audited, and answered with its warnings.
    public func setLeadRouting(_ json: JSONValue, by principal: Principal) async throws -> LeadRoutingSettings {
        try await access.require(principal, .manageMetadata)
        let leads = try await metadata.catalog().require(StandardObjects.lead.name)
        let routing = try LeadRouting.parse(json, fields: Set(leads.fields.map(\.name)))
        let now = ValueFormats.formatDateTime(Date())
        try await database.write { db in
            let users = try await directory.users(on: db)
            let unknown = routing.users.filter { LeadRouting.Member.user($0.user, in: users) == nil }
            guard unknown.isEmpty else {
                throw KeelError.validation(unknown.map { Violation(field: $0.path, code: "unknown_user", message: "No user has the id or e-mail \($0.user).") })
            }
            _ = try await router.config.publish(kind: LeadRouter.configKind, id: LeadRouter.configID, definition: routing.json, by: principal.userID,
                                               at: now, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "lead_routing_change", detail: routing.json), on: db)
        }
        return try await leadRouting(as: principal)
    }

    /// A new lead's owner, when and why, set in `values`: routed when nobody was named — in this transaction, after the
    /// history chain's lock (which the write takes anyway), so intakes take turns — else the owner given, or the
    /// creator. Nil for other objects; `routed` says the routing chose the owner.
    func assignOnArrival(_ object: ObjectDefinition, values: inout [String: JSONValue], ownerGiven: Bool, id: String, at date: Date,
                         catalog: Catalog, context: WriteContext, on db: any SQLDatabase) async throws -> (assignment: LeadAssignment, routed: Bool, routing: LeadRouting?)? {
        guard object.name == StandardObjects.lead.name else { return nil }
        // Routing counts the reps' leads and looks for the customer among what was written before (in a batch too).
        try await WriteBatch.flush(on: db)
        let now = ValueFormats.formatDateTime(date)
        let routing = try await router.document(on: db)
        var routed: LeadRouter.Decision?
        if let routing, routing.existingCustomers != .off {
            let customer = try await existingCustomer(values, catalog: catalog, on: db)
            values["customer_account"] = customer.account.map { .string($0.id) } ?? .null
            values["customer_contact"] = customer.contact.map { .string($0.id) } ?? .null
            if !ownerGiven, routing.enabled, routing.existingCustomers == .owner, let holder = customer.account ?? customer.contact,
               let owner = try await directory.user(id: holder.value("owner").stringValue ?? "", on: db), owner.status == .active,
               !owner.isAway(on: FormulaValue.dayText(FormulaEvaluator.day(of: date, in: access.timeZone))) {
                let customerName = holder.value("name").stringValue ?? ""
                routed = LeadRouter.Decision(owner: owner.id, ruleID: nil, strategy: "existing_customer",
                                             zh: "已有客户「\(customerName)」，归其负责人 \(owner.name)",
                                             en: "An existing customer, “\(customerName)”: given to its owner \(owner.name)")
            }
        }
        if !ownerGiven, routed == nil, let routing {
            try await journal.lockChain(on: db)
            routed = try await router.route(values, routing: routing, name: values["name"]?.stringValue ?? "", leadID: id, at: date, on: db)
        }
        if let routed { values["owner"] = routed.owner.map(JSONValue.string) ?? .null }
        if routed?.strategy == LeadRouting.Strategy.pool.rawValue { values["pooled_at"] = .string(now) }
        values["assigned_at"] = values["owner"].map { $0.isNull ? .null : .string(now) } ?? .null
        let zh = routed?.zh ?? (ownerGiven ? "创建时指定负责人" : "未启用自动分配，归创建人")
        let en = routed?.en ?? (ownerGiven ? "Owner given at creation" : "Auto-assignment is off; the creator owns it")
        values["assignment_reason"] = .string(zh)
        return (LeadAssignment(leadID: id, ownerID: values["owner"]?.stringValue, previousOwner: nil, ruleID: routed?.ruleID, strategy: routed?.strategy,
                               reasonZh: zh, reasonEn: en, actor: routed == nil ? context.principal.userID : nil, at: now), routed != nil, routing)
    }

    /// The existing customer a new lead is: a contact with its phone or e-mail (and its account), else an account
    /// with its company's name — each as sure as the duplicate check's block threshold.
    func existingCustomer(_ values: [String: JSONValue], catalog: Catalog, on db: any SQLDatabase) async throws -> (account: Record?, contact: Record?) {
        guard let contacts = catalog.object(StandardObjects.contact.name), let accounts = catalog.object(StandardObjects.account.name) else { return (nil, nil) }
        func everything(_ object: ObjectDefinition) -> AccessScope { AccessScope(plan: AccessPlan(rows: .always), object: object, userID: "", now: "") }
        func same(_ object: ObjectDefinition, _ values: [String: JSONValue]) async throws -> Record? {
            guard let matcher = DuplicateCheck.matcher(for: object),
                  let best = try await duplicates.candidates(object, values: values, excluding: nil, readable: everything(object), on: db).first,
                  best.score.probability >= matcher.block else { return nil }
            return try await store.fetch(object, id: best.id, access: everything(object), on: db)
        }
        var person: [String: JSONValue] = ["name": values["name"] ?? .null, "email": values["email"] ?? .null]
        if let phone = values["phone"] { (person["phone"], person["mobile"]) = (phone, phone) }
        let contact = person["phone"] == nil && values["email"] == nil ? nil : try await same(contacts, person)
        if let id = contact?.value("account").stringValue, let account = try await store.fetch(accounts, id: id, access: everything(accounts), on: db) {
            return (account, contact)
        }
        guard let company = values["company"]?.stringValue, !company.isEmpty else { return (nil, contact) }
        return (try await same(accounts, ["name": .string(company)]), contact)
    }

    /// A lead's assignments, oldest first, for whoever may read the lead.
    public func assignments(lead id: String, as principal: Principal) async throws -> [LeadAssignment] {
        _ = try await get(StandardObjects.lead.name, id: id, as: principal)
        return try await database.read { try await router.store.assignments(leadIDs: [id], on: $0) }
    }

    /// The latest assignment of each of these leads (a list shows why each was given to whom); the caller has read the leads.
    public func latestAssignments(leads ids: [String]) async throws -> [String: LeadAssignment] {
        let all = try await database.read { try await router.store.assignments(leadIDs: ids, on: $0) }
        return Dictionary(all.map { ($0.leadID, $0) }, uniquingKeysWith: { _, later in later })
    }

    /// Rules without an active member, and places leads came from over 90 days that no rule covers.
    func warnings(_ routing: LeadRouting, on db: any SQLDatabase) async throws -> [Violation] {
        let users = try await directory.users(on: db)
        var out: [Violation] = []
        for (i, rule) in routing.rules.enumerated() where rule.strategy != .pool {
            let active = rule.members.contains { LeadRouting.Member.user($0.user, in: users)?.status == .active }
            if !active {
                out.append(Violation(field: "rules[\(i)].members", code: "no_active_member",
                                     message: "Rule \(rule.id) has no active member: its leads go to the fallback, or stay unassigned.", args: ["rule", rule.name]))
            }
        }
        let channels = try await Escalations.stored(on: db)
        for (path, robot) in routing.robots where channels.robot(robot) == nil {
            out.append(Violation(field: path, code: "unknown_robot", message: "No robot \(robot) is set up (settings/channels): its escalations fail and alert the admins.",
                                 args: ["robot", robot]))
        }
        guard routing.enabled else { return out }
        let since = ValueFormats.formatDateTime(Date().addingTimeInterval(-90 * 86_400))
        let rows = try await db.raw("""
            SELECT country, province, region, city, COUNT(*) AS n FROM leads WHERE created_at >= \(bind: since)
            GROUP BY country, province, region, city
            """).all()
        var uncovered: [Place: Int] = [:]
        for row in rows {
            let province = try row.decode(column: "province", as: String?.self) ?? row.decode(column: "region", as: String?.self)
            let resolved = RegionTable.resolve(country: try row.decode(column: "country", as: String?.self), province: province,
                                               city: try row.decode(column: "city", as: String?.self))
            let codes = Set(resolved.places.map(\.code))
            guard let place = resolved.places.last, !routing.rules.contains(where: { $0.regions.isEmpty || $0.regions.contains(where: codes.contains) }) else { continue }
            uncovered[place, default: 0] += try row.decode(column: "n", as: Int.self)
        }
        // The place travels as its code: a page names it in the reader's language.
        for (place, n) in uncovered.sorted(by: { $0.key.code < $1.key.code }) {
            out.append(Violation(field: "rules", code: "uncovered_region",
                                 message: "\(n) leads over 90 days came from \(place.en) (\(place.zh)), which no rule covers: they go unassigned.",
                                 args: ["place", place.code, String(n)]))
        }
        return out
    }
}
