import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// Quick notes read as follow-ups: `POST /api/v1/activities/parse`.
struct ActivitiesAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get(":object/:id/credibility") { _, context in
            guard try context.parameters.require("object") == StandardObjects.activity.name else { throw KeelError.notFound("route") }
            return APIResponse.json(try await keel.credibility.credibility(of: try context.parameters.require("id"), as: try context.requirePrincipal()).json)
        }
        group.get("reports/credibility") { request, context in
            let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
            let month = q["month"] ?? Forecast.Period.containing(Date(), in: keel.timeZone).label
            let rows = try await keel.credibility.month(month, as: try context.requirePrincipal())
            return APIResponse.json(["month": .string(month), "data": .array(rows.map { r in
                ["user": .string(r.userID), "activities": JSONValue(r.activities), "average": JSONValue(r.average),
                 "backedUp": JSONValue((r.backedUp * 1_000).rounded() / 1_000), "onTime": JSONValue((r.onTime * 1_000).rounded() / 1_000)]
            })])
        }
        group.get("reports/dormant-accounts") { _, context in
            let dormant = try await keel.credibility.dormant(as: try context.requirePrincipal())
            return APIResponse.json(["dormantAfterWorkingDays": JSONValue(ActivityCredibility.dormantAfter), "data": .array(dormant.map { d in
                ["id": .string(d.account.id), "name": d.account.value("name"), "owner": d.account.value("owner"), "lastFollowUp": d.last.map(JSONValue.string) ?? .null]
            })])
        }
        // Registered under the object's capture: a literal "activities" segment would shadow the record routes.
        group.post(":object/parse") { request, context in
            guard try context.parameters.require("object") == StandardObjects.activity.name else { throw KeelError.notFound("route") }
            var request = request
            let body = try await request.jsonObject(context: context)
            let wrong = body.wrongTypes(["text": "string", "related_to": "string"])
                + body.keys.filter { !["text", "related_to"].contains($0) }.sorted()
                    .map { Violation(field: $0, code: "unknown_key", message: "\($0) is not part of a quick note (text, related_to).") }
            guard wrong.isEmpty, let text = body["text"]?.stringValue else {
                throw KeelError.validation(wrong.isEmpty ? [Violation(field: "text", code: "required", message: "text is the note to read.")] : wrong)
            }
            guard text.count <= 500 else { throw KeelError.validation([Violation(field: "text", code: "too_long", message: "A quick note is at most 500 characters.")]) }
            let reading = try await keel.quickNotes.parse(text, relatedTo: body["related_to"]?.stringValue, as: try context.requirePrincipal())
            var out: [String: JSONValue] = [
                "type": reading.note.type.map(JSONValue.string) ?? .null, "nextStep": reading.note.nextStep.map(JSONValue.string) ?? .null,
                "due": reading.note.due.map { .string(keel.quickNotes.local($0)) } ?? .null, "dueHasTime": .bool(reading.note.dueHasTime),
            ]
            if let name = reading.note.contact {
                out["contact"] = ["name": .string(name), "id": reading.contact.map { .string($0.id) } ?? .null,
                                  "record": reading.contact.map { .string($0.value("name").stringValue ?? "") } ?? .null]
            }
            return APIResponse.json(.object(out))
        }
    }
}
