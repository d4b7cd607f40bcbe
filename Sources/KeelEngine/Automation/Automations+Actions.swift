import Foundation
import KeelCore
import KeelIntegrations
import KeelStore
import SQLKit

extension Automations {
    /// Runs the actions of one run on one record, in order. Each is safe to repeat under `key` (a retried job does not
    /// create, notify or send twice): writes go through the record service as the automation's publisher.
    func act(_ run: ActionRun, on record: Record, key: String) async throws {
        let at = clock.now()
        for (index, action) in run.automation.actions.enumerated() {
            let actionKey = "\(key):\(index)"
            switch action {
            case .setFields(let formulas):
                _ = try await records.update(run.object.name, id: record.id, try await values(formulas, on: record, run: run),
                                             expectedVersion: nil, context: run.context)
            case .createRecord(let target, let formulas):
                let input = try await values(formulas, on: record, run: run).filter { !$0.value.isNull }
                _ = try await records.create(target, input, context: run.context,
                                             idempotency: IdempotencyKey(key: "automation:\(actionKey)", requestHash: actionKey))
            case .notify(let recipients, let message):
                // Each person reads the message as they may read the record; a chat group as people Keel does not know.
                let people = try await database.read { db in
                    let ids = try await notifier.users(recipients, object: run.object, record: record, on: db)
                    return try await directory.users(on: db).filter { ids.contains($0.id) }
                }
                var texts: [String: [String]] = [:]
                for user in people {
                    texts[FormulaEvaluator.text(try await evaluate(message, on: record, run: run, reader: .person(user.principal))), default: []].append(user.id)
                }
                let channels = recipients.compactMap { if case .channel(let endpoint) = $0 { endpoint } else { nil } }
                let shared = channels.isEmpty ? "" : FormulaEvaluator.text(try await evaluate(message, on: record, run: run, reader: .anyone))
                try await database.write { db in
                    for (text, users) in texts {
                        try await notifier.send(text, to: users, object: run.object.name, recordID: record.id, key: actionKey, at: at, on: db)
                    }
                    let endpoints = try await webhooks.endpoints(on: db)
                    for endpoint in channels {
                        try await enqueueDelivery(endpoint, key: "\(actionKey):\(endpoint)", type: "notification", record: record, run: run,
                                                  data: ["message": .string(shared)], channelURL: endpoints.first { $0.id == endpoint }?.url, on: db)
                    }
                }
            case .webhook(let endpoint):
                try await database.write { db in
                    let reader = try await webhooks.endpoints(on: db).first { $0.id == endpoint }?.createdBy ?? ""
                    let seen = try await seen(run.object, id: record.id, by: reader, on: db).record
                    try await enqueueDelivery(endpoint, key: actionKey, type: "\(run.object.name).\(run.automation.id)", record: record, run: run,
                                              data: ["record": seen?.json(object: run.object) ?? .null], on: db)
                }
            case .assign(let field, let users, let strategy):
                let user = try await pick(users, strategy: strategy, field: field, run: run)
                _ = try await records.update(run.object.name, id: record.id, [field: .string(user)], expectedVersion: nil, context: run.context)
            case .startApproval(let process):
                _ = try await approvals.start(process, object: run.object.name, recordID: record.id, by: run.context.principal, ifNotPending: true,
                                                 requestID: "auto_\(actionKey)")
            }
        }
    }

    /// A delivery to an endpoint, sent and retried by the webhook worker.
    /// A chat robot's URL (`channelURL`) gets the message in the robot's own format.
    func enqueueDelivery(_ endpoint: String, key: String, type: String, record: Record, run: ActionRun, data: [String: JSONValue],
                         channelURL: String? = nil, on db: any SQLDatabase) async throws {
        let now = ValueFormats.formatDateTime(clock.now())
        var payload = data
        payload["object"] = .string(run.object.name)
        payload["id"] = .string(record.id)
        payload["automation"] = .string(run.automation.id)
        let envelope: JSONValue = ["type": .string(type), "timestamp": .string(now), "data": .object(payload)]
        let body = channelURL.map { ChannelMessage.payload(url: $0, text: data["message"]?.stringValue ?? "", envelope: envelope) } ?? envelope
        try await jobs.enqueue(Job(kind: Webhooks.kind, ref: endpoint, key: "automation:\(key)", object: run.object.name, recordID: record.id,
                                   payload: body,
                                   depth: run.context.depth, nextAt: now, createdAt: now), on: db)
    }

    /// The next active user in turn, or the one holding fewest records of the object in `field`.
    func pick(_ users: [String], strategy: AssignmentStrategy, field: String, run: ActionRun) async throws -> String {
        try await database.write { db in
            let active = Set(try await directory.users(on: db).filter { $0.status == .active }.map(\.id))
            let candidates = users.filter(active.contains)
            guard !candidates.isEmpty else {
                throw KeelError(.unprocessable, code: "no_assignee", message: "None of \(users.joined(separator: ", ")) is an active user.")
            }
            switch strategy {
            case .roundRobin:
                let turn = try await config.increment("assign:\(run.automation.id)", on: db)
                return candidates[(turn - 1) % candidates.count]
            case .leastLoaded:
                guard let f = run.object.field(field) else { return candidates[0] }
                var best: (String, Int)?
                for user in candidates {
                    var query = ListQuery(object: run.object)
                    query.filters = [Filter(field: f, op: .eq, values: [.string(user)])]
                    let everything = AccessScope(plan: AccessPlan(rows: .always), object: run.object, userID: "", now: "")
                    let n = try await store.count(run.object, query: query, access: everything, on: db)
                    if best == nil || n < best!.1 { best = (user, n) }
                }
                return best!.0
            }
        }
    }
}
