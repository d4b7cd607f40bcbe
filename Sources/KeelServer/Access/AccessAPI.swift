import Hummingbird
import KeelCore
import KeelEngine

/// `/api/v1/access/…`: the policy set (read, replace, versions), explanations of decisions, and the audit log.
struct AccessAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("access/policies") { _, context in
            let principal = try context.requirePrincipal()
            try await keel.access.require(principal, .managePolicies)
            return APIResponse.json(try await keel.access.policies().json)
        }
        group.put("access/policies") { request, context in
            var request = request
            let body: [String: JSONValue]
            do {
                body = try await request.jsonObject(context: context)
            } catch let e as KeelError where e.kind == .badRequest {
                // A policy document that is not JSON is an invalid document like any other: 422, nothing changes.
                throw KeelError(.unprocessable, code: "invalid_json", message: e.message,
                                violations: [Violation(field: "policies", code: "invalid_json", message: e.message)])
            }
            return APIResponse.json(try await keel.access.save(.object(body), by: try context.requirePrincipal()).json)
        }
        group.get("access/policies/versions") { _, context in
            APIResponse.json(["data": .array(try await keel.access.versions(by: try context.requirePrincipal()))])
        }
        group.get("access/policies/versions/:version") { _, context in
            guard let version = Int(try context.parameters.require("version")) else { throw KeelError.notFound("policy version") }
            return APIResponse.json(try await keel.access.document(version: version, by: try context.requirePrincipal()))
        }
        group.get("access/explain") { request, context in
            let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
            guard let actionName = q["action"], let action = Action(rawValue: actionName), let object = q["object"] else {
                throw KeelError(.badRequest, code: "invalid_query",
                                message: "Send action (\(Action.allCases.map(\.rawValue).joined(separator: ", "))) and object; record and user are optional.")
            }
            return APIResponse.json(try await keel.access.explain(action, object: object, recordID: q["record"], userID: q["user"],
                                                                  by: try context.requirePrincipal()))
        }
        group.get("access/health") { _, context in
            let findings = try await keel.access.healthScan(by: try context.requirePrincipal())
            let counts = Dictionary(grouping: findings, by: \.kind.rawValue).mapValues { JSONValue($0.count) }
            return APIResponse.json(["summary": .object(counts), "findings": .array(findings.map(\.json))])
        }
        group.get("audit") { request, context in
            let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
            let entries = try await keel.access.auditEntries(actor: q["actor"], action: q["action"], recordID: q["record"], before: q["before"],
                                                            limit: q["limit"].flatMap(Int.init) ?? 100, by: try context.requirePrincipal())
            return APIResponse.json(["data": .array(entries.map(\.json))])
        }
    }
}
