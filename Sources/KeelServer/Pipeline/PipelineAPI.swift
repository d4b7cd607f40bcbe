import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// Pipelines over the API: each object's pipeline document and each record's stage history.
struct PipelineAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("metadata/objects/:object/pipeline") { _, context in
            let found = try await keel.pipelines.document(try context.parameters.require("object"), as: try context.requirePrincipal())
            return APIResponse.json(Self.json(found))
        }
        group.put("metadata/objects/:object/pipeline") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            let saved = try await keel.pipelines.setDocument(try context.parameters.require("object"), .object(body), by: try context.requirePrincipal())
            return APIResponse.json(Self.json(saved))
        }
        group.get("reports/valid-advances") { request, context in
            let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
            guard let days = Int(q["days"] ?? "90"), (1...730).contains(days) else {
                throw KeelError.validation([Violation(field: "days", code: "out_of_range", message: "days is a whole number from 1 to 730.")])
            }
            let rows = try await keel.pipelines.validAdvances(q["object"] ?? StandardObjects.opportunity.name, days: days, as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(rows.map { r in
                ["user": .string(r.actor), "stage": .string(r.stage), "advances": JSONValue(r.count), "firstTime": JSONValue(r.firstTime),
                 "rate": JSONValue((Double(r.firstTime) / Double(max(1, r.count)) * 1_000).rounded() / 1_000)]
            })])
        }
        group.get(":object/:id/stages") { _, context in
            let transitions = try await keel.pipelines.history(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                               as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(transitions.map(Self.json))])
        }
    }

    static func json(_ found: (set: PipelineSet, version: Int?, publishedAt: String?)) -> JSONValue {
        var out = found.set.json.objectValue ?? [:]
        out["version"] = found.version.map { JSONValue($0) } ?? .null
        out["updatedAt"] = found.publishedAt.map(JSONValue.string) ?? .null
        return .object(out)
    }

    /// A transition as the API answers it.
    static func json(_ t: StageTransition) -> JSONValue {
        func number(_ n: Int?) -> JSONValue { n.map { JSONValue($0) } ?? .null }
        return [
            "id": .string(t.id), "pipeline": .string(t.pipeline), "from": t.from.map(JSONValue.string) ?? .null, "to": .string(t.to),
            "at": .string(t.at), "by": .string(t.actor), "source": .string(t.source), "reason": t.reason.map(JSONValue.string) ?? .null,
            "secondsInStage": number(t.secondsInStage), "workingSecondsInStage": number(t.workingSecondsInStage),
            "back": .bool(t.back), "firstTime": .bool(t.firstTime),
        ]
    }
}
