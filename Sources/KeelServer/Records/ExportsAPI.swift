import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// `GET /api/v1/exports/{object}?filter…&sort=…&format=csv|xlsx`: the matching records the caller may export, as CSV or an
/// Excel workbook, written as they are read.
/// `/api/v1/access-requests`: asking for, and granting, access to secret records.
struct ExportsAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("exports/:object") { request, context in
            let query = try request.queryPairs()
            return try await keel.records.export(try context.parameters.require("object"), params: query.filter { $0.0 != "format" },
                                                 as: try context.requirePrincipal()).response(format: query.last { $0.0 == "format" }?.1)
        }
        group.get("access-requests") { _, context in
            APIResponse.json(["data": .array(try await keel.access.accessRequests(by: try context.requirePrincipal()).map(\.json))])
        }
        group.post("access-requests") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let wrong = body.wrongTypes(["object": "string", "record": "string", "approver": "string", "reason": "string"])
            guard wrong.isEmpty else { throw KeelError.validation(wrong) }
            let made = try await keel.access.requestAccess(object: body["object"]?.stringValue ?? "", recordID: body["record"]?.stringValue ?? "",
                                                           approverID: body["approver"]?.stringValue ?? "", reason: body["reason"]?.stringValue ?? "",
                                                           by: try context.requirePrincipal())
            return APIResponse.json(made.json, status: .created)
        }
        group.post("access-requests/:id/decision") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            guard let decision = body["decision"]?.stringValue, ["grant", "reject"].contains(decision) else {
                throw KeelError.validation([Violation(field: "decision", code: "invalid_option", message: "decision is grant or reject.")])
            }
            let hours = try body.integer("hours", in: 1...AccessControl.maxGrantHours, default: AccessControl.defaultGrantHours)
            let decided = try await keel.access.decide(requestID: try context.parameters.require("id"), grant: decision == "grant",
                                                       comment: try body.text("comment"), hours: hours, by: try context.requirePrincipal())
            return APIResponse.json(decided.json)
        }
    }
}
