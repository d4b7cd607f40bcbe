import Foundation
import HTTPTypes
import Hummingbird
import KeelCore
import KeelEngine

/// Lead routing over the API: the routing document (`/api/v1/settings/lead-routing`) and each lead's assignments.
struct LeadsAPI {
    let keel: Keel

    /// Shopify's webhooks: signed with the app secret, no bearer token.
    func registerPublic(on api: RouterGroup<KeelRequestContext>) {
        api.post("integrations/shopify/webhooks") { request, context in
            var request = request
            let body = try await request.collectBody(upTo: context.maxUploadSize)
            func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { request.headers[$0] } }
            let outcome = try await keel.records.receiveShopify(topic: header("X-Shopify-Topic") ?? "", eventID: header("X-Shopify-Event-Id"),
                                                                hmac: header("X-Shopify-Hmac-Sha256"), body: Array(buffer: body))
            return APIResponse.json(["status": .string(outcome.rawValue)])
        }
    }

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("settings/lead-scoring") { _, context in
            APIResponse.json(try await keel.records.leadScoring(as: try context.requirePrincipal()))
        }
        group.put("settings/lead-scoring") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.records.setLeadScoring(.object(body), by: try context.requirePrincipal()))
        }
        group.get("settings/shopify") { _, context in
            APIResponse.json(try await keel.records.shopify(by: try context.requirePrincipal()))
        }
        group.put("settings/shopify") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.records.setShopify(.object(body), by: try context.requirePrincipal()))
        }
        group.get("settings/lead-routing") { _, context in
            APIResponse.json(try await keel.records.leadRouting(as: try context.requirePrincipal()).json)
        }
        group.put("settings/lead-routing") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.records.setLeadRouting(.object(body), by: try context.requirePrincipal()).json)
        }
        // The public pool (公海): what is in it, claiming from it, releasing to it.
        group.get(":object/pool") { _, context in
            guard try context.parameters.require("object") == StandardObjects.lead.name else { throw KeelError.notFound("route") }
            let leads = try await keel.metadata.catalog().require(StandardObjects.lead.name)
            return APIResponse.json(["data": .array(try await keel.records.pool(as: try context.requirePrincipal()).map {
                .object($0.json(object: leads).objectValue?.filter { RecordService.poolFields.contains($0.key) } ?? [:])
            })])
        }
        group.post(":object/:id/claim") { _, context in
            guard try context.parameters.require("object") == StandardObjects.lead.name else { throw KeelError.notFound("route") }
            let lead = try await keel.records.claim(lead: try context.parameters.require("id"), as: try context.requirePrincipal())
            return APIResponse.json(lead.json(object: try await keel.metadata.catalog().require(StandardObjects.lead.name)))
        }
        group.post(":object/:id/release") { request, context in
            guard try context.parameters.require("object") == StandardObjects.lead.name else { throw KeelError.notFound("route") }
            var request = request
            let body = try await request.jsonObject(context: context)
            guard let reason = body["reason"]?.stringValue, body.count == 1 else {
                throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"reason\": why the lead goes back to the pool}.")
            }
            let lead = try await keel.records.release(lead: try context.parameters.require("id"), reason: reason, as: try context.requirePrincipal())
            return APIResponse.json(lead.json(object: try await keel.metadata.catalog().require(StandardObjects.lead.name)))
        }
        group.get("settings/channels") { _, context in
            APIResponse.json(try await keel.escalations.channels(by: try context.requirePrincipal()))
        }
        group.put("settings/channels") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            return APIResponse.json(try await keel.escalations.setChannels(.object(body), by: try context.requirePrincipal()))
        }
        group.get(":object/:id/sla") { _, context in
            guard try context.parameters.require("object") == StandardObjects.lead.name else { throw KeelError.notFound("route") }
            let timers = try await keel.records.responseTimers(lead: try context.parameters.require("id"), as: try context.requirePrincipal())
            var out = SLAStanding(timers).json.objectValue ?? [:]
            out["timers"] = .array(timers.map(\.json))
            return APIResponse.json(.object(out))
        }
        // Under `:object`, not a literal `leads/…`, which would hide the other `/api/v1/leads/…` routes.
        group.get(":object/:id/assignments") { _, context in
            guard try context.parameters.require("object") == StandardObjects.lead.name else { throw KeelError.notFound("route") }
            let assignments = try await keel.records.assignments(lead: try context.parameters.require("id"), as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(assignments.map(\.json))])
        }
    }
}
