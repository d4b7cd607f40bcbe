import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// Lead routing over the API: the routing document (`/api/v1/settings/lead-routing`) and each lead's assignments.
struct LeadsAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("settings/lead-routing") { _, context in
            APIResponse.json(try await keel.records.leadRouting(as: try context.requirePrincipal()).json)
        }
        group.put("settings/lead-routing") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.records.setLeadRouting(.object(body), by: try context.requirePrincipal()).json)
        }
        // Under `:object`, not a literal `leads/…`, which would hide the other `/api/v1/leads/…` routes.
        group.get(":object/:id/assignments") { _, context in
            guard try context.parameters.require("object") == StandardObjects.lead.name else { throw KeelError.notFound("route") }
            let assignments = try await keel.records.assignments(lead: try context.parameters.require("id"), as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(assignments.map(\.json))])
        }
    }
}
