import Foundation
import KeelCore
import KeelIntegrations
import Logging

extension Keel {
    /// Looks an account up in the business registry (by credit code when it has one, else by name) and writes what the
    /// registry says through the record service: status, registered capital and when it was checked, always; legal
    /// representative, address and credit code only where the account has none (what people entered is never
    /// overwritten). A registry that fails or does not answer leaves the account unchanged.
    public func checkRegistry(account id: String, context: WriteContext) async throws -> JSONValue {
        guard let registry else {
            throw KeelError(.unavailable, code: "registry_not_configured", message: "No business registry is set up (KEEL_REGISTRY_URL).")
        }
        let (account, object) = try await records.get(StandardObjects.account.name, id: id, as: context.principal)
        let name = account.value("name").stringValue, code = account.value("credit_code").stringValue
        let found: RegistryEntry?
        do {
            found = try await registry.lookup(name: name, creditCode: code)
        } catch RegistryError.unavailable(let summary, let detail) {
            // What the registry said stays in the log: it may name its internals, and it is not the caller's to read.
            Logger(label: "keel.registry").warning("registry look-up failed", metadata: ["summary": "\(summary)", "detail": "\(detail)"])
            throw KeelError(.badGateway, code: "registry_unavailable", message: "The business registry could not be read: \(summary); the details are in Keel's log.")
        }
        guard let entry = found else {
            throw KeelError(.notFound, code: "registry_no_match",
                            message: "The business registry knows no company \(code.map { "with credit code \($0)" } ?? "named \(name ?? "")").")
        }
        var changes: [String: JSONValue] = [
            "registry_status": .string(entry.status), "registered_capital": entry.registeredCapital.map(JSONValue.string) ?? .null,
            "registry_checked_at": .string(ValueFormats.formatDateTime(clock.now())),
        ]
        for (field, value) in [("legal_representative", entry.legalRepresentative), ("address", entry.address), ("credit_code", entry.creditCode)] {
            if account.value(field).isNull, let value { changes[field] = .string(value) }
        }
        let record = try await records.update(object.name, id: id, changes, expectedVersion: nil, context: context)
        return ["registry": entry.json, "closed": .bool(entry.isClosed), "nameDiffers": .bool(entry.name != name), "record": record.json(object: object)]
    }
}
