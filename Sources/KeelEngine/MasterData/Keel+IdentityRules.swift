import KeelCore
import KeelMatching
import KeelStore

extension Keel {
    /// The matching roles an identity field may take.
    public static let identityRoles: [String] = FieldRole.allCases.filter { $0 != .ignore }.map(\.rawValue)

    /// The identity rules in force for an object: the admin's, or Keel's defaults (`"default": true`).
    public func identityRules(_ objectName: String) async throws -> JSONValue {
        let (rules, isDefault) = try await identityRulesInForce(objectName)
        guard case .object(var json) = rules.json else { return rules.json }
        json["default"] = .bool(isDefault)
        return .object(json)
    }

    /// The identity rules in force for an object, and whether they are Keel's defaults.
    public func identityRulesInForce(_ objectName: String) async throws -> (rules: IdentityRules, isDefault: Bool) {
        let object = try await metadata.catalog().require(objectName)
        if let rules = object.identityRules { return (rules, false) }
        let matcher = DuplicateCheck.matcher(for: object)
        return (IdentityRules(fields: (matcher?.fields ?? []).map { .init(field: $0.field, role: $0.role.rawValue) },
                              block: matcher?.block ?? 0.9, warn: matcher?.warn ?? 0.6), true)
    }

    /// Sets an object's identity rules `{"fields": [{"field", "role"}], "block", "warn"}` (admin), or with nil goes back
    /// to the defaults, and re-indexes the object's records under the new keys.
    public func setIdentityRules(_ objectName: String, _ input: JSONValue?, by principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        let object = try await metadata.catalog().require(objectName)
        let rules = try input.map { try Self.parseIdentityRules($0, object: object) }
        try await database.write { db in
            try await MetadataStore(dialect: database.dialect).setIdentityRules(rules, object: object.name, by: principal.userID, on: db)
        }
        try await records.reindexDuplicates(only: object.name)
        return try await identityRules(object.name)
    }

    static func parseIdentityRules(_ input: JSONValue, object: ObjectDefinition) throws -> IdentityRules {
        guard input.objectValue.map({ Set($0.keys).isSubset(of: ["fields", "block", "warn"]) }) == true, let items = input["fields"]?.arrayValue else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"fields\": [{\"field\", \"role\"}], \"block\", \"warn\"}.")
        }
        var violations = input.objectValue!.wrongTypes(["block": "number", "warn": "number"])
        if items.isEmpty { violations.append(Violation(field: "fields", code: "required", message: "Name at least one identity field.")) }
        var fields: [IdentityRules.Field] = []
        for (i, item) in items.enumerated() {
            let name = item["field"]?.stringValue ?? "", role = item["role"]?.stringValue ?? ""
            if object.field(name) == nil {
                violations.append(Violation(field: "fields[\(i)].field", code: "unknown_field", message: "\(object.name) has no field named \(name)."))
            }
            if !identityRoles.contains(role) {
                violations.append(Violation(field: "fields[\(i)].role", code: "invalid_option",
                                            message: "role is one of \(identityRoles.joined(separator: ", "))."))
            }
            fields.append(.init(field: name, role: role))
        }
        let block = input["block"]?.doubleValue ?? 0.9, warn = input["warn"]?.doubleValue ?? 0.6
        if !(block > 0 && block <= 1 && warn > 0 && warn <= block) {
            violations.append(Violation(field: "block", code: "out_of_range", message: "block and warn are scores from 0 to 1, warn at most block."))
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return IdentityRules(fields: fields, block: block, warn: warn)
    }
}
