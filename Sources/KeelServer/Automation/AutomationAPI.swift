import Hummingbird
import KeelCore
import KeelEngine

/// `/api/v1/automations`, `/webhooks`, `/approval-processes`, `/approvals`, `/notifications`.
struct AutomationAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get("automations") { _, context in
            let principal = try context.requirePrincipal()
            let stats = try await keel.automations.stats()
            return APIResponse.json(["data": .array(try await keel.automations.list(by: principal).map { item in
                item.json(stats: stats.first { $0.kind == Automations.kind && $0.ref == item.id })
            })])
        }
        group.post("automations") { request, context in
            var request = request
            let item = try await keel.automations.publish(.object(try await request.jsonObject(context: context)), by: try context.requirePrincipal())
            return APIResponse.json(item.json(stats: nil), status: item.version == 1 ? .created : .ok)
        }
        group.post("automations/dry-run") { request, context in
            var request = request
            var body = try await request.jsonObject(context: context)
            let sample = try body.integer("sample", in: 1...200, default: 20)
            body["sample"] = nil
            return APIResponse.json(try await keel.automations.dryRun(.object(body), sample: sample, by: try context.requirePrincipal()))
        }
        group.get("automations/:id") { _, context in
            let id = try context.parameters.require("id")
            let versions = try await keel.automations.versions(id, by: try context.requirePrincipal())
            return APIResponse.json(["id": .string(id), "versions": .array(versions.map { $0.json(stats: nil) })])
        }
        for (path, enabled) in [("enable", true), ("disable", false)] {
            group.post("automations/:id/\(path)") { _, context in
                let item = try await keel.automations.setEnabled(try context.parameters.require("id"), enabled, by: try context.requirePrincipal())
                return APIResponse.json(item.json(stats: nil))
            }
        }
        group.get("automations/:id/runs") { _, context in
            let runs = try await keel.automations.runs(try context.parameters.require("id"), by: try context.requirePrincipal())
            return APIResponse.json(["data": .array(runs.map { $0.0.json(attempts: $0.1) })])
        }

        group.get("webhooks") { _, context in
            APIResponse.json(["data": .array(try await keel.webhooks.endpoints(by: try context.requirePrincipal()).map { $0.json() })])
        }
        group.post("webhooks") { request, context in
            var request = request
            let endpoint = try await keel.webhooks.create(.object(try await request.jsonObject(context: context)), by: try context.requirePrincipal())
            return APIResponse.json(endpoint.json(withSecret: true), status: .created)
        }
        for (path, enabled) in [("enable", true), ("disable", false)] {
            group.post("webhooks/:id/\(path)") { _, context in
                try await keel.webhooks.setEnabled(try context.parameters.require("id"), enabled, by: try context.requirePrincipal())
                return APIResponse.json(["status": .string(enabled ? "active" : "disabled")])
            }
        }
        group.get("webhooks/:id/deliveries") { _, context in
            let runs = try await keel.automations.runs(kind: Webhooks.kind, try context.parameters.require("id"), by: try context.requirePrincipal())
            return APIResponse.json(["data": .array(runs.map { $0.0.json(attempts: $0.1) })])
        }
        group.post("webhooks/deliveries/:job/replay") { _, context in
            try await keel.webhooks.replay(try context.parameters.require("job"), by: try context.requirePrincipal())
            return APIResponse.json(["status": "pending"], status: .accepted)
        }

        group.get("approval-processes") { _, context in
            APIResponse.json(["data": .array(try await keel.approvals.processes(by: try context.requirePrincipal()).map { $0.json(stats: nil) })])
        }
        group.post("approval-processes") { request, context in
            var request = request
            let item = try await keel.approvals.publish(.object(try await request.jsonObject(context: context)), by: try context.requirePrincipal())
            return APIResponse.json(item.json(stats: nil), status: item.version == 1 ? .created : .ok)
        }
        group.get("approvals") { request, context in
            let q = Dictionary(try request.queryPairs(), uniquingKeysWith: { _, last in last })
            let requests = try await keel.approvals.requests(status: q["status"], by: try context.requirePrincipal())
            return APIResponse.json(["data": .array(requests.map(\.json))])
        }
        group.post("approvals") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            guard let process = body["process"]?.stringValue, let object = body["object"]?.stringValue, let record = body["recordId"]?.stringValue else {
                throw KeelError.validation([Violation(field: "process", code: "required", message: "Send process, object and recordId.")])
            }
            let started = try await keel.approvals.start(process, object: object, recordID: record, by: try context.requirePrincipal())
            return APIResponse.json(started?.json ?? .null, status: .created)
        }
        group.get("approvals/:id") { _, context in
            APIResponse.json(try await keel.approvals.request(try context.parameters.require("id"), by: try context.requirePrincipal()).json)
        }
        group.post("approvals/:id/decision") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            guard let decision = body["decision"]?.stringValue, ["approve", "reject"].contains(decision) else {
                throw KeelError.validation([Violation(field: "decision", code: "invalid_option", message: "decision is approve or reject.")])
            }
            let result = try await keel.approvals.decide(try context.parameters.require("id"), approve: decision == "approve",
                                                         comment: body["comment"]?.stringValue ?? "", by: try context.requirePrincipal())
            return APIResponse.json(result.json)
        }

        group.get("notifications") { _, context in
            let (items, unread) = try await keel.notifier.notifications(of: try context.requirePrincipal())
            return APIResponse.json(["unread": JSONValue(unread), "data": .array(items.map(\.json))])
        }
        group.post("notifications/read") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context)
            try await keel.notifier.markRead(body["id"]?.stringValue, by: try context.requirePrincipal())
            return APIResponse.json(["status": "read"])
        }
    }
}

extension ConfigItem {
    func json(stats: RunStats?) -> JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id), "version": JSONValue(version), "status": .string(status),
            "statusReason": statusReason.map(JSONValue.string) ?? .null, "definition": definition,
            "publishedAt": .string(publishedAt), "publishedBy": .string(publishedBy),
        ]
        if let stats {
            o["runs"] = ["succeeded": JSONValue(stats.succeeded), "failed": JSONValue(stats.failed),
                         "skipped": JSONValue(stats.skipped), "pending": JSONValue(stats.pending), "successRate": JSONValue(stats.successRate)]
        }
        return .object(o)
    }
}

extension Job {
    func json(attempts: [JobAttempt]) -> JSONValue {
        [
            "id": .string(id), "status": .string(status), "object": object.map(JSONValue.string) ?? .null,
            "recordId": recordID.map(JSONValue.string) ?? .null, "version": JSONValue(version), "attempts": JSONValue(self.attempts),
            "nextAt": .string(nextAt), "lastError": lastError.map(JSONValue.string) ?? .null, "createdAt": .string(createdAt),
            "finishedAt": finishedAt.map(JSONValue.string) ?? .null,
            "log": .array(attempts.map { a in
                ["attempt": JSONValue(a.attempt), "startedAt": .string(a.startedAt), "durationMs": JSONValue(a.durationMS),
                 "outcome": .string(a.outcome), "httpStatus": a.httpStatus.map { JSONValue($0) } ?? .null, "error": a.error.map(JSONValue.string) ?? .null]
            }),
        ]
    }
}
