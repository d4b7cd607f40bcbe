import Foundation
import KeelCore
import KeelStore
import SQLKit

extension Automations {
    /// Turns committed changes in the outbox into jobs: a run for every active automation the change fires, a timer
    /// for date triggers, and a delivery for every webhook endpoint subscribed to it. Each event is dispatched once
    /// (events are locked and skipped by other processes on PostgreSQL), and job keys make a repeat harmless.
    /// Returns the number of events dispatched.
    @discardableResult
    public func dispatch(limit: Int = 200) async throws -> Int {
        let at = clock.now()
        let nowText = ValueFormats.formatDateTime(at)
        // An idle pass only reads (SQLite's single writer stays free for people's writes).
        guard try await database.read({ try await journal.backlog(on: $0) }) > 0 else { return 0 }
        let calendar = try await metadata.catalog().calendar
        return try await database.write { db in
            let events = try await journal.pendingEvents(limit: limit, lock: true, on: db)
            guard !events.isEmpty else { return 0 }
            let active = try await config.items(kind: Self.kind, on: db).filter { $0.status == "active" }
                .compactMap { item in Automation.parseStored(item.definition).map { (item, $0) } }
            let endpoints = try await webhooks.endpoints(on: db).filter { $0.status == "active" }
            var halted: Set<String> = []
            for event in events {
                let entries = try await journal.change(event.id, on: db)
                let changes = Dictionary(entries.map { ($0.field, ($0.oldValue, $0.newValue)) }, uniquingKeysWith: { a, _ in a })
                // An automation acts on changes made while it is published, not on history written before it (a replayed past).
                for (item, automation) in active where automation.object == event.object && !halted.contains(item.id) && event.at >= item.publishedAt {
                    guard let (key, due) = fires(automation, item: item, event: event, changes: changes, calendar: calendar) else { continue }
                    if event.depth >= Self.maxChainDepth {
                        halted.insert(item.id)
                        try await halt(item.id, reason: "loop: its own changes fired it \(event.depth) times in a row (last on \(event.object)/\(event.recordID))",
                                       object: event.object, recordID: event.recordID, at: at, on: db)
                        continue
                    }
                    let payload: JSONValue = ["event": .string(event.id), "operation": .string(event.operation),
                                              "changes": .object(changes.mapValues { ["old": $0.0, "new": $0.1] })]
                    try await jobs.enqueue(Job(kind: Self.kind, ref: item.id, key: key, version: item.version, object: event.object, recordID: event.recordID,
                                               payload: payload, depth: event.depth, nextAt: ValueFormats.formatDateTime(due), createdAt: nowText), on: db)
                }
                let type = "\(event.object).\(Self.pastTense(event.operation))"
                for endpoint in endpoints where endpoint.subscribes(object: event.object, operation: Self.pastTense(event.operation)) {
                    let body = try await webhookBody(type: type, event: event, changes: changes, reader: endpoint.createdBy, on: db)
                    try await jobs.enqueue(Job(kind: Webhooks.kind, ref: endpoint.id, key: "webhook:\(endpoint.id):\(event.id)", object: event.object,
                                               recordID: event.recordID, payload: body, depth: event.depth, nextAt: nowText, createdAt: nowText), on: db)
                }
            }
            try await journal.markProcessed(events.map(\.id), at: nowText, on: db)
            return events.count
        }
    }

    /// The job key and due time when the event fires the automation, nil when it does not.
    func fires(_ a: Automation, item: ConfigItem, event: OutboxEvent, changes: [String: (JSONValue, JSONValue)],
               calendar: WorkingCalendar) -> (String, Date)? {
        let now = clock.now()
        let run = ("run:\(item.id):\(event.id)", now)
        switch a.trigger {
        case .created: return event.operation == "create" ? run : nil
        case .updated: return event.operation == "update" ? run : nil
        case .deleted: return event.operation == "delete" ? run : nil
        case .fieldChanged(let field, let from, let to):
            guard event.operation != "delete", let (old, new) = changes[field] else { return nil }
            if let from, from != old { return nil }
            if let to, to != new { return nil }
            return run
        case .stageEntered(let stage):
            guard event.operation != "delete", let (_, new) = changes["stage"], new == .string(stage) else { return nil }
            return run
        case .afterDate(let field, let days, let hour):
            guard event.operation != "delete", let (_, new) = changes[field], let text = new.stringValue,
                  let due = dueDate(text, days: days, hour: hour, calendar: calendar) else { return nil }
            return ("timer:\(item.id):\(event.recordID):\(text)", due)
        case .schedule: return nil
        }
    }

    /// `days` working days after the day of `text` (a date, or a date-time read in the organisation's zone), at `hour`.
    func dueDate(_ text: String, days: Int, hour: Int, calendar: WorkingCalendar) -> Date? {
        let day = text.count > 10 ? ValueFormats.parseDateTime(text).map { FormulaEvaluator.day(of: $0, in: timeZone) } : FormulaValue.dayNumber(text)
        guard let day, let dueDay = calendar.adding(workdays: days, to: day) else { return nil }
        let parts = FormulaValue.dayText(dueDay).split(separator: "-").compactMap { Int($0) }
        var gregorian = Calendar(identifier: .gregorian)
        gregorian.timeZone = timeZone
        return gregorian.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: hour))
    }

    /// Stops an automation Keel found misbehaving, and tells the admins why.
    func halt(_ id: String, reason: String, object: String?, recordID: String?, at: Date, on db: any SQLDatabase) async throws {
        _ = try await config.setStatus(kind: Self.kind, id: id, status: "halted", reason: reason, at: ValueFormats.formatDateTime(at), on: db)
        try await notifier.alertAdmins(zh: "自动化 \(id) 已暂停：\(reason)", en: "Automation \(id) was halted — \(reason)", key: "halt:\(id):\(ValueFormats.formatDateTime(at))",
                                       object: object, recordID: recordID, at: at, on: db)
    }

    /// The Standard Webhooks payload of a record change: `{"type": "opportunity.updated", "timestamp", "data": {…}}`,
    /// as `reader` (the endpoint's creator) may read the record: masked fields are left out of the changes too.
    func webhookBody(type: String, event: OutboxEvent, changes: [String: (JSONValue, JSONValue)], reader: String,
                     on db: any SQLDatabase) async throws -> JSONValue {
        guard let object = try await metadata.catalog().object(event.object) else { return .null }
        let (record, masked) = try await seen(object, id: event.recordID, by: reader, on: db)
        return ["type": .string(type), "timestamp": .string(event.at),
                "data": ["object": .string(event.object), "id": .string(event.recordID), "record": record?.json(object: object) ?? .null,
                         "changes": .object(changes.filter { !masked.contains($0.key) }.mapValues { ["old": $0.0, "new": $0.1] })]]
    }

    /// A record as the user `reader` (an endpoint's creator) may read it, and the fields masked for them.
    func seen(_ object: ObjectDefinition, id: String, by reader: String, on db: any SQLDatabase) async throws -> (record: Record?, masked: Set<String>) {
        guard let user = try await directory.user(id: reader, on: db) else { return (nil, Set(object.fields.map(\.name))) }
        return try await records.visible(object, id: id, to: user.principal, on: db)
    }

    static func pastTense(_ operation: String) -> String {
        switch operation {
        case "create": "created"
        case "delete": "deleted"
        default: "updated"
        }
    }
}
