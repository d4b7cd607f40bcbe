import Foundation
import KeelCore
import KeelStore

extension Automations {
    /// Sandbox: runs a definition (not yet published, or a change to one) as if its trigger had fired on each of the
    /// newest `sample` records the admin can read, and reports for each whether the condition holds and what every
    /// action would do — field changes (from → to), records created, who would be notified, deliveries, approvals.
    /// Writes nothing.
    public func dryRun(_ json: JSONValue, sample: Int = 20, by principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        let catalog = try await metadata.catalog()
        let automation = try Automation.parse(json, objects: catalog.objects)
        let object = try catalog.require(automation.object)
        let records = try await self.records.list(object.name, params: [("sort", "-updated_at"), ("limit", String(min(max(sample, 1), 200)))],
                                                  as: principal).records
        let run = ActionRun(automation: automation, object: object, catalog: catalog,
                            context: WriteContext(principal: principal, source: .automation))
        var results: [JSONValue] = []
        var matched = 0
        for record in records {
            guard try await conditionHolds(automation, on: record, run: run) else {
                results.append(["id": .string(record.id), "condition": false])
                continue
            }
            matched += 1
            var effects: [JSONValue] = []
            for action in automation.actions {
                effects.append(try await preview(action, on: record, run: run))
            }
            results.append(["id": .string(record.id), "condition": true, "actions": .array(effects)])
        }
        return ["automation": .string(automation.id), "evaluated": JSONValue(records.count), "wouldRun": JSONValue(matched),
                "results": .array(results)]
    }

    func preview(_ action: AutomationAction, on record: Record, run: ActionRun) async throws -> JSONValue {
        switch action {
        case .setFields(let formulas):
            var changes: [String: JSONValue] = [:]
            for (field, value) in try await values(formulas, on: record, run: run) where record.value(field) != value {
                changes[field] = ["from": record.value(field), "to": value]
            }
            return ["type": "set_fields", "changes": .object(changes)]
        case .createRecord(let target, let formulas):
            return ["type": "create_record", "object": .string(target), "values": .object(try await values(formulas, on: record, run: run))]
        case .notify(let recipients, let message):
            let users = try await database.read { try await notifier.users(recipients, object: run.object, record: record, on: $0) }
            return ["type": "notify", "users": .array(users.map(JSONValue.string)),
                    "channels": .array(recipients.compactMap { if case .channel(let id) = $0 { .string(id) } else { nil } }),
                    "message": .string(FormulaEvaluator.text(try await evaluate(message, on: record, run: run)))]
        case .webhook(let endpoint):
            return ["type": "webhook", "endpoint": .string(endpoint)]
        case .assign(let field, let users, let strategy):
            return ["type": "assign", "field": .string(field), "candidates": .array(users.map(JSONValue.string)), "strategy": .string(strategy.rawValue)]
        case .startApproval(let process):
            return ["type": "start_approval", "process": .string(process)]
        }
    }
}
