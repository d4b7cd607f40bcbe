import Foundation
import KeelCore
import KeelStore

extension AccessControl {
    /// Why `userID` (default: the caller) may or may not do `action` on `object` (and on one record): each policy that
    /// covers it, whether it matches, and the decision with the policies that made it. Explaining someone else's
    /// access needs the right to manage policies.
    public func explain(_ action: Action, object objectName: String, recordID: String?, userID: String?,
                        by principal: Principal) async throws -> JSONValue {
        if let userID, userID != principal.userID { try await require(principal, .managePolicies) }
        guard let user = try await database.read({ try await directory.user(id: userID ?? principal.userID, on: $0) }) else {
            throw KeelError.notFound("users/\(userID ?? "")")
        }
        guard let object = try await objects().first(where: { $0.name == objectName }) else {
            throw KeelError(.notFound, code: "unknown_object", message: "There is no object named \(objectName).")
        }
        let target = userID == nil ? principal : user.principal
        let set = try await policies()
        let subject = try await subject(target)
        let scope = try await self.scope(set.plan(subject, action, object: object), object: object, subject: subject)
        let covering = set.policies.filter { $0.covers(action, object: object.name) }
        let residuals = covering.map { p in
            p.isFieldPolicy ? Condition.or(object.fields.map { p.when.residual(subject, object: object, field: $0) })
                : p.when.residual(subject, object: object, field: nil)
        }
        // With a record, the database says which record conditions hold for it.
        var holds: [Bool?] = residuals.map { c in c == .always ? true : c == .never ? false : nil }
        var visible: Bool?
        var masked: [String] = []
        if let recordID {
            // Explaining one's own access covers only records one can read: anything else would reveal them.
            // (Explaining someone else's needs the right to manage policies, checked above.)
            if target.userID == principal.userID {
                let readable = try await self.scope(set.plan(subject, .read, object: object), object: object, subject: subject)
                guard try await database.read({ try await recordStore.fetch(object, id: recordID, access: readable, on: $0) }) != nil else {
                    throw KeelError.notFound("\(object.name)/\(recordID)")
                }
            }
            let members = try await departmentMembers()
            let conditions = residuals.map { $0.resolvingDepartments(members) } + [scope.plan.rows]
            guard let values = try await database.read({ try await recordStore.evaluate(conditions, id: recordID, scope: scope, on: $0) })
            else { throw KeelError.notFound("\(object.name)/\(recordID)") }
            holds = Array(values.dropLast())
            visible = values.last
            if visible == true, let r = try await database.read({ try await recordStore.fetch(object, id: recordID, access: scope, on: $0) }) {
                masked = r.masked.sorted()
            }
        } else if scope.plan.rows == .always || scope.plan.rows == .never {
            visible = scope.plan.rows == .always
            masked = scope.plan.hiddenFields.sorted()
        }
        let matchedPermits = covering.indices.filter { covering[$0].effect == .permit && holds[$0] == true }.map { covering[$0].id }
        let matchedForbids = covering.indices.filter { covering[$0].effect == .forbid && holds[$0] == true && !covering[$0].isFieldPolicy }
            .map { covering[$0].id }
        let reason: String
        switch visible {
        case true?: reason = "Allowed by \(matchedPermits.joined(separator: ", "))."
        case false? where !matchedForbids.isEmpty: reason = "Denied: forbidden by \(matchedForbids.joined(separator: ", "))."
        case false?: reason = "Denied: no policy permits \(action.rawValue) on \(object.name) for \(user.email)."
        case nil: reason = "Depends on the record: allowed where a permit's record condition holds and no forbid's does."
        }
        return [
            "decision": .string(visible.map { $0 ? "allow" : "deny" } ?? "depends"),
            "reason": .string(reason),
            "user": .string(target.userID), "action": .string(action.rawValue), "object": .string(object.name),
            "record": recordID.map(JSONValue.string) ?? .null,
            "policies": .array(covering.indices.map { i in
                [
                    "id": .string(covering[i].id), "effect": .string(covering[i].effect.rawValue),
                    "scope": .string(covering[i].isFieldPolicy ? "fields" : "records"),
                    "matches": holds[i].map(JSONValue.bool) ?? "depends on the record",
                    "condition": residuals[i].json,
                ]
            }),
            "maskedFields": .array(masked.map(JSONValue.string)),
        ]
    }

    var recordStore: RecordStore { RecordStore(dialect: database.dialect) }
}
