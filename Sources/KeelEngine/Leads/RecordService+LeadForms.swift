import Foundation
import KeelCore
import KeelStore
import SQLKit

/// What became of a web-form submission: a new lead, or one that was already there (the visitor is told the same).
public struct FormSubmission: Sendable {
    public enum Outcome: String, Sendable { case created, duplicate }
    public var outcome: Outcome
    public var leadID: String
}

extension RecordService {
    static let formKind = "lead_form"

    /// Publishes a web form (admins): a new form gets a random key; republishing keeps it unless `rotateKey` is true.
    public func publishForm(_ json: JSONValue, by principal: Principal) async throws -> LeadForm {
        try await access.require(principal, .manageMetadata)
        let leads = try await metadata.catalog().require(StandardObjects.lead.name)
        let channels = leads.field("channel")?.options ?? []
        let id = json["id"]?.stringValue ?? ""
        let existing = try await forms().first { $0.id == id }
        let key = existing.flatMap { json["rotateKey"]?.boolValue == true ? nil : $0.key } ?? AuthService.randomSecret(prefix: "kf_")
        let form = try LeadForm.parse(json, key: key, leadFields: LeadForm.visitorFields(of: leads), channels: channels)
        let now = ValueFormats.formatDateTime(Date())
        try await database.write { db in
            _ = try await router.config.publish(kind: Self.formKind, id: form.id, definition: form.json, by: principal.userID, at: now, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "form_publish", detail: ["id": .string(form.id)]), on: db)
        }
        return form
    }

    public func forms(by principal: Principal) async throws -> [LeadForm] {
        try await access.require(principal, .manageMetadata)
        return try await forms()
    }

    func forms() async throws -> [LeadForm] {
        try await database.read { db in try await router.config.items(kind: Self.formKind, on: db) }.compactMap(Self.form)
    }

    /// The form a public key opens, if it is published and in force; its publisher is who its leads are written as.
    public func form(key: String) async throws -> (form: LeadForm, publisher: String)? {
        let items = try await database.read { db in try await router.config.items(kind: Self.formKind, on: db) }
        return items.filter { $0.status == "active" }.compactMap { item in Self.form(item).map { ($0, item.publishedBy) } }
            .first { Self.same($0.form.key, key) }
    }

    static func form(_ item: ConfigItem) -> LeadForm? {
        try? LeadForm.parse(item.definition, key: item.definition["key"]?.stringValue ?? "", leadFields: Set(item.definition["fields"]?.objectValue?.values.compactMap(\.stringValue) ?? [])
                                .union(item.definition["required"]?.arrayValue?.compactMap(\.stringValue) ?? []), channels: [item.definition["channel"]?.stringValue ?? "web_form"])
    }

    /// Compares keys in constant time.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        return zip(x, y).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// A visitor's submission: refused when the page's origin is not allowed, the address sent too many this hour,
    /// the honeypot is filled or a required field is empty — nothing is stored then. Otherwise a lead is created
    /// through the same checks as any other (validation, duplicate check, routing, history), written as the form's
    /// publisher; a lead that is already there is not created again: its owner is told it came back.
    public func submit(form key: String, _ submitted: [String: String], address: String, origin: String?, at date: Date = Date()) async throws -> FormSubmission {
        guard let (form, publisherID) = try await form(key: key) else { throw KeelError.notFound("form") }
        if let origin, !form.origins.contains(origin.lowercased()) {
            throw KeelError(.forbidden, code: "origin_not_allowed", message: "This form does not take submissions from \(origin).")
        }
        let catalog = try await metadata.catalog()
        let leads = try catalog.require(StandardObjects.lead.name)
        var values = try form.lead(from: submitted, leadFields: LeadForm.visitorFields(of: leads)).get()
        values["form"] = .string(form.id)
        guard let publisher = try await database.read({ try await directory.user(id: publisherID, on: $0) }), publisher.status == .active else {
            throw KeelError(.unavailable, code: "form_unavailable", message: "This form is not taking submissions now.", details: ["retryAfter": 3600])
        }
        let principal = publisher.principal
        let context = WriteContext(principal: principal, source: .form)
        let scopes = try await access.scopes(principal, [.create, .read], object: leads)
        let now = ValueFormats.formatDateTime(date)
        return try await database.write { db in
            let since = ValueFormats.formatDateTime(date.addingTimeInterval(-3600))
            guard try await FormStore().count(form: form.id, address: address, since: since, on: db) < form.perHour else {
                throw KeelError(.tooManyRequests, code: "too_many_submissions", message: "Too many submissions from this address; try again later.",
                                details: ["retryAfter": 600])
            }
            do {
                let lead = try await insertNew(leads, values, catalog: catalog, context: context, scope: scopes[0], readable: scopes[1], on: db)
                try await FormStore().record(form: form.id, address: address, origin: origin, leadID: lead.id, outcome: "created", at: now, on: db)
                return FormSubmission(outcome: .created, leadID: lead.id)
            } catch let error as KeelError where error.code == "duplicate" {
                guard let id = error.details["candidates"]?.arrayValue?.first?["id"]?.stringValue else { throw error }
                try await FormStore().record(form: form.id, address: address, origin: origin, leadID: id, outcome: "duplicate", at: now, on: db)
                try await tellOwner(of: id, leads, "再次通过表单「\(form.label)」提交", key: "form-again:\(id):\(now)", at: date, on: db)
                return FormSubmission(outcome: .duplicate, leadID: id)
            }
        }
    }

    /// Tells the owner of a lead that came back (a form submitted again, a Shopify order): 「线索「周杰」<what>」.
    func tellOwner(of id: String, _ leads: ObjectDefinition, _ what: String, key: String, at date: Date, on db: any SQLDatabase) async throws {
        let everything = AccessScope(plan: AccessPlan(rows: .always), object: leads, userID: "", now: ValueFormats.formatDateTime(date))
        guard let lead = try await store.fetch(leads, id: id, access: everything, on: db), let owner = lead.value("owner").stringValue else { return }
        try await router.notifier.send("线索「\(lead.value("name").stringValue ?? "")」\(what)", to: [owner], object: leads.name, recordID: id, key: key,
                                       at: date, on: db)
    }
}
