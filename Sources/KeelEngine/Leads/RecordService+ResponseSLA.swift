import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Response SLAs on the write path: a lead that gets an owner starts the timers of the SLA its rule sets, a lead that
/// changes hands cancels them and starts the new owner's, and what the targets ask for — the owner opening the lead,
/// its status moving on, an activity logged on it — closes them as met, each in the same transaction as the change.
extension RecordService {
    /// The SLA's part of a write, after the row and its history: `before` is nil for a new record; `routing` gives
    /// the document in force (read once per write: a new lead's routing has it already).
    func respond(after object: ObjectDefinition, before: Record?, after record: Record, catalog: Catalog, context: WriteContext,
                 at date: Date, routing: () async throws -> LeadRouting?, on db: any SQLDatabase) async throws {
        let now = ValueFormats.formatDateTime(date)
        let sla = SLAStore(dialect: database.dialect)
        if object.name == StandardObjects.activity.name, let lead = record.value("related_to").stringValue, before == nil {
            try await sla.close(leadID: lead, events: [.contacted], as: .met, at: now, on: db)
            try await router.store.responded(leadID: lead, at: now, on: db)
            return
        }
        guard object.name == StandardObjects.lead.name else { return }
        let owner = record.value(object.ownerField).stringValue
        // The assignment's first answer and its conversion, for the reps' response figures.
        let answered = record.value("status") != "new" && (before == nil || before?.value("status") == "new")
        if answered { try await router.store.responded(leadID: record.id, at: now, on: db) }
        if record.value("status") == "converted", before?.value("status") != "converted" {
            try await router.store.converted(leadID: record.id, at: now, on: db)
        }
        if let before {
            // The same owner: only the status can meet targets (and the owner changing it has seen the lead). Another
            // owner: the old timers stop, new ones start.
            guard owner != before.value(object.ownerField).stringValue else {
                if answered {
                    let events: [ResponseSLA.Event] = owner == context.principal.userID ? [.viewed, .statusChanged, .contacted] : [.statusChanged, .contacted]
                    try await sla.close(leadID: record.id, events: events, as: .met, at: now, on: db)
                }
                return
            }
            try await sla.close(leadID: record.id, as: .cancelled, at: now, on: db)
        }
        // One already moved on needs no answer.
        guard let owner, record.value("status") == "new", let routing = try await routing() else { return }
        let resolved = RegionTable.resolve(country: record.value("country").stringValue,
                                           province: record.value("province").stringValue ?? record.value("region").stringValue, city: record.value("city").stringValue)
        guard var policy = routing.sla(rule: routing.rule(for: record.values, places: Set(resolved.places.map(\.code)))?.id) else { return }
        // A lead its owner wrote or took themselves is seen already.
        if owner == context.principal.userID { policy.targets.removeAll { $0.event == .viewed } }
        try await sla.insert(Self.timers(policy, lead: record.id, owner: owner, from: date, calendar: catalog.calendar, zone: access.timeZone), on: db)
    }

    /// The timers of an SLA for one assignment: each target, each tier.
    static func timers(_ policy: ResponseSLA, lead: String, owner: String, from date: Date, calendar: WorkingCalendar, zone: TimeZone) -> [SLATimer] {
        func after(_ minutes: Int) -> Date {
            policy.workingHours ? calendar.adding(workingMinutes: minutes, to: date, in: zone) ?? date.addingTimeInterval(Double(minutes) * 60)
                : date.addingTimeInterval(Double(minutes) * 60)
        }
        let assigned = ValueFormats.formatDateTime(date)
        return policy.targets.flatMap { target in
            let deadline = ValueFormats.formatDateTime(after(target.minutes))
            return policy.tiers.map { tier, delay in
                SLATimer(leadID: lead, ownerID: owner, assignedAt: assigned, event: target.event, minutes: target.minutes, deadline: deadline,
                         tier: tier, robot: tier == .robot ? policy.robot : nil, dueAt: ValueFormats.formatDateTime(after(target.minutes + delay)))
            }
        }
    }

    /// A missed target, on the lead (`sla_breached_at`, `sla_breach`) with its history, written by Keel as `context`.
    func recordBreach(_ id: String, _ breach: String, leads: ObjectDefinition, catalog: Catalog, context: WriteContext, at date: Date,
                      on db: any SQLDatabase) async throws {
        try await journal.lockChain(on: db)
        let everything = AccessScope(plan: AccessPlan(rows: .always), object: leads, userID: context.principal.userID, now: ValueFormats.formatDateTime(date))
        _ = try await applyUpdate(leads, id: id, ["sla_breached_at": .string(ValueFormats.formatDateTime(date)), "sla_breach": .string(breach)],
                                  expectedVersion: nil, .update, scope: everything, readable: everything, catalog: catalog, context: context, on: db)
    }

    /// The owner opened the lead (its page, or the API): its "viewed" target is met. Nothing is written otherwise.
    public func noteViewed(lead id: String, by principal: Principal, at date: Date = Date()) async throws {
        let sla = SLAStore(dialect: database.dialect)
        guard try await database.read({ try await sla.pending(leadID: id, event: .viewed, ownerID: principal.userID, on: $0) }) else { return }
        try await database.write { db in
            _ = try await sla.close(leadID: id, events: [.viewed], as: .met, at: ValueFormats.formatDateTime(date), on: db)
        }
    }

    /// A lead's response timers, for whoever may read the lead.
    public func responseTimers(lead id: String, as principal: Principal) async throws -> [SLATimer] {
        _ = try await get(StandardObjects.lead.name, id: id, as: principal)
        return try await database.read { try await SLAStore(dialect: database.dialect).timers(leadIDs: [id], on: $0) }
    }

    /// The timers of many leads (a list or inbox shows their time left); the caller has read the leads.
    public func responseTimers(leads ids: [String]) async throws -> [String: [SLATimer]] {
        let timers = try await database.read { try await SLAStore(dialect: database.dialect).timers(leadIDs: ids, on: $0) }
        return Dictionary(grouping: timers, by: \.leadID)
    }
}
