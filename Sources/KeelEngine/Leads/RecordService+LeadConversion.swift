import Foundation
import KeelCore
import KeelMatching
import KeelStore
import SQLKit

/// What a lead becomes: an account and a contact — each one that exists (chosen after the duplicate check) or a new
/// one — and, when wanted, a deal.
public struct LeadConversion: Sendable {
    public enum Target: Sendable {
        case existing(String)
        case new([String: JSONValue])
    }

    public var account: Target
    public var contact: Target
    /// The new deal's fields (its account and owner follow the conversion); nil for none.
    public var opportunity: [String: JSONValue]?

    public init(account: Target, contact: Target, opportunity: [String: JSONValue]?) {
        (self.account, self.contact, self.opportunity) = (account, contact, opportunity)
    }
}

extension RecordService {
    /// Converts a lead in ONE transaction, through the same checks as records typed by hand (validation, the
    /// duplicate check, policies, history, outbox): the account and contact are created or linked, the deal created,
    /// and the lead marked converted with links to all three. A lead already converted is a 409.
    public func convertLead(_ id: String, _ conversion: LeadConversion, context: WriteContext) async throws
        -> (account: String, contact: String, opportunity: String?) {
        let catalog = try await metadata.catalog()
        let (leads, accounts, contacts, deals) = (try catalog.require("leads"), try catalog.require("accounts"),
                                                  try catalog.require("contacts"), try catalog.require("opportunities"))
        let principal = context.principal
        let leadScope = try await access.scope(principal, .update, object: leads), leadReadable = try await access.scope(principal, .read, object: leads)
        var scopes: [String: (create: AccessScope, read: AccessScope)] = [:]
        for object in [accounts, contacts, deals] {
            scopes[object.name] = (try await access.scope(principal, .create, object: object), try await access.scope(principal, .read, object: object))
        }
        return try await database.write { db in
            let lead = try await lockedCurrent(leads, id: id, expectedVersion: nil, .update, scope: leadScope, readable: leadReadable, on: db).record
            guard lead.value("status") != "converted" else {
                throw KeelError(.conflict, code: "already_converted", message: "This lead was converted already.")
            }
            /// An existing record must be one the converter may read; a new one goes through the record service's create.
            func resolve(_ target: LeadConversion.Target, _ object: ObjectDefinition, extra: [String: JSONValue], field: String) async throws -> String {
                switch target {
                case .existing(let existing):
                    guard try await referenceExists(existing, target: object.name, catalog: catalog, as: principal, on: db) else {
                        throw KeelError.validation([Violation(field: field, code: "reference_not_found", message: "No \(object.name) record \(existing).")])
                    }
                    return existing
                case .new(let values):
                    let scope = scopes[object.name]!
                    do {
                        return try await insertNew(object, values.merging(extra) { $1 }, catalog: catalog, context: context,
                                                   scope: scope.create, readable: scope.read, on: db).id
                    } catch var error as KeelError where error.kind == .unprocessable {
                        error.violations = error.violations.map { Violation(field: "\(field).\($0.field)", code: $0.code, message: $0.message, args: $0.args) }
                        throw error
                    }
                }
            }
            let account = try await resolve(conversion.account, accounts, extra: [:], field: "account")
            let contact = try await resolve(conversion.contact, contacts, extra: ["account": .string(account)], field: "contact")
            var deal: String?
            if let values = conversion.opportunity {
                deal = try await resolve(.new(values), deals, extra: ["account": .string(account)], field: "opportunity")
            }
            _ = try await applyUpdate(leads, id: id, ["status": "converted", "converted_account": .string(account), "converted_contact": .string(contact),
                                                      "converted_opportunity": deal.map(JSONValue.string) ?? .null],
                                      expectedVersion: lead.version, .update, scope: leadScope, readable: leadReadable, catalog: catalog, context: context, on: db)
            return (account, contact, deal)
        }
    }

    /// What a conversion starts from: the lead's company as a new account, the lead as a new contact, a deal named
    /// after the company — each field the lead has, where the other object has it too.
    public static func conversionDraft(of lead: Record) -> (account: [String: JSONValue], contact: [String: JSONValue], opportunity: [String: JSONValue]) {
        func some(_ pairs: [(String, JSONValue)]) -> [String: JSONValue] { Dictionary(uniqueKeysWithValues: pairs.filter { !$0.1.isNull }) }
        let company = lead.value("company")
        return (some([("name", company), ("industry", lead.value("industry")), ("province", lead.value("province").isNull ? lead.value("region") : lead.value("province")),
                      ("city", lead.value("city"))]),
                some([("name", lead.value("name")), (PhoneNumber(lead.value("phone").stringValue ?? "").kind == .mobile ? "mobile" : "phone", lead.value("phone")),
                      ("email", lead.value("email"))]),
                some([("name", company.stringValue.map { .string($0 + " 商机") } ?? lead.value("name"))]))
    }
}
