import Foundation
import KeelCore
import KeelStore
import SQLKit

/// The public pool (公海): leads routed to it for nurturing, released by their owner, or returned because nobody
/// followed them up; reps claim from it within a daily limit, and not a lead that left them only days ago.
extension RecordService {
    /// What the pool shows everyone signed in: enough to choose a lead, not how to reach it (until it is claimed).
    public static let poolFields = ["id", "name", "company", "industry", "country", "province", "city", "channel", "score", "pooled_at", "assignment_reason"]

    /// Leads in the pool, the longest waiting last.
    public func pool(as principal: Principal, limit: Int = 200) async throws -> [Record] {
        guard principal.status == .active else { throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.") }
        let leads = try await metadata.catalog().require(StandardObjects.lead.name)
        var query = ListQuery(object: leads)
        query.filters = [Filter(field: leads.queryableField("owner")!, op: .isNull, values: [true]),
                         Filter(field: leads.queryableField("pooled_at")!, op: .isNull, values: [false])]
        query.sort = SortKey(field: leads.queryableField("pooled_at")!, descending: true)
        query.limit = min(max(limit, 1), ListQuery.maxLimit)
        let everything = AccessScope(plan: AccessPlan(rows: .always), object: leads, userID: principal.userID, now: ValueFormats.formatDateTime(Date()))
        let records = try await database.read { db in try await store.list(leads, query: query, access: everything, on: db).records }
        return records.map { record in
            var shown = record
            shown.values = record.values.filter { Self.poolFields.contains($0.key) }
            return shown
        }
    }

    /// A rep takes a lead from the pool: refused (409) when it is not in the pool, when the rep claimed their daily
    /// limit, or when it left this rep within the cooldown.
    public func claim(lead id: String, as principal: Principal, at date: Date = Date()) async throws -> Record {
        let routing = try await database.read { try await router.document(on: $0) } ?? LeadRouting()
        let who = try await database.read { try await directory.user(id: principal.userID, on: $0) }?.name ?? principal.userID
        return try await movePooled(id, to: principal.userID, context: WriteContext(principal: principal, source: .web),
                                    note: AssignmentNote(zh: "\(who) 从公海领取", en: "Claimed from the pool by \(who)", strategy: "claim"), at: date) { lead, db in
            guard lead.value("owner").isNull, !lead.value("pooled_at").isNull else {
                throw KeelError(.conflict, code: "not_in_pool", message: "This lead is not in the pool (someone may have claimed it already).")
            }
            let history = try await router.store.assignments(leadIDs: [id], on: db)
            let cooldown = ValueFormats.formatDateTime(date.addingTimeInterval(-Double(routing.pool.cooldownDays) * 86_400))
            if history.contains(where: { $0.previousOwner == principal.userID && ["return", "release"].contains($0.strategy ?? "") && $0.at >= cooldown }) {
                throw KeelError(.conflict, code: "claim_cooldown",
                                message: "This lead left you less than \(routing.pool.cooldownDays) days ago; another rep may claim it first.")
            }
            let since = ValueFormats.formatDateTime(date.addingTimeInterval(-86_400))
            if try await router.store.claims(by: principal.userID, since: since, on: db) >= routing.pool.claimsPerDay {
                throw KeelError(.conflict, code: "claim_limit", message: "You claimed \(routing.pool.claimsPerDay) leads in the last 24 hours, the most allowed.")
            }
        }
    }

    /// The owner (or whoever may change the lead) gives it back to the pool, saying why.
    public func release(lead id: String, reason: String, as principal: Principal, at date: Date = Date()) async throws -> Record {
        let why = reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !why.isEmpty else {
            throw KeelError.validation([Violation(field: "reason", code: "required", message: "Say why the lead goes back to the pool.")])
        }
        guard why.count <= 500 else {
            throw KeelError.validation([Violation(field: "reason", code: "too_long", message: "A reason has at most 500 characters.")])
        }
        let catalog = try await metadata.catalog()
        let leads = try catalog.require(StandardObjects.lead.name)
        // Only someone who may change the lead releases it.
        let scopes = try await access.scopes(principal, [.update, .read], object: leads)
        let who = try await database.read { try await directory.user(id: principal.userID, on: $0) }?.name ?? principal.userID
        return try await database.write { db in
            try await applyUpdate(leads, id: id, ["owner": .null, "pooled_at": .string(ValueFormats.formatDateTime(date))], expectedVersion: nil, .update,
                                         scope: scopes[0], readable: scopes[1], catalog: catalog, context: WriteContext(principal: principal, source: .web),
                                         assignment: AssignmentNote(zh: "\(who) 退回公海：\(why)", en: "Released to the pool by \(who): \(why)", strategy: "release"),
                                         on: db)
        }
    }

    /// Returns to the pool every lead still new `returnAfterDays` after it was assigned with no activity logged on it
    /// since; run by the worker every minute. Returns how many went back.
    public func returnStaleLeads(at date: Date = Date()) async throws -> Int {
        guard let routing = try await database.read({ try await router.document(on: $0) }), let days = routing.pool.returnAfterDays else { return 0 }
        let before = ValueFormats.formatDateTime(date.addingTimeInterval(-Double(days) * 86_400))
        let stale = try await database.read { db in try await router.store.unfollowed(assignedBefore: before, on: db) }
        // The pool's moves are written as whoever published the routing in force.
        guard !stale.isEmpty, let publisher = try await database.read({ db -> User? in
            guard let item = try await router.config.items(kind: LeadRouter.configKind, id: LeadRouter.configID, on: db).first else { return nil }
            return try await directory.user(id: item.publishedBy, on: db)
        }) else { return 0 }
        let note = AssignmentNote(zh: "超过 \(days) 天未跟进，自动退回公海", en: "No follow-up within \(days) days: returned to the pool",
                                  strategy: "return", byRouting: true)
        var returned = 0
        for id in stale {
            do {
                _ = try await movePooled(id, to: nil, context: WriteContext(principal: publisher.principal, source: .automation), note: note, at: date) { lead, _ in
                    // Followed up or moved on since it was listed: it stays.
                    guard lead.value("status") == "new", !lead.value("owner").isNull else { throw KeelError(.conflict, code: "moved_on", message: "") }
                }
                returned += 1
            } catch let error as KeelError where error.code == "moved_on" || error.code == "stale" {
                continue
            }
        }
        return returned
    }

    /// Moves a lead into or out of the pool in one transaction, after `check` passed on the lead as it is now. The
    /// pool's moves are Keel's, not the writer's: they pass whatever the writer's own update rights are.
    func movePooled(_ id: String, to owner: String?, context: WriteContext, note: AssignmentNote, at date: Date,
                    check: @Sendable (Record, any SQLDatabase) async throws -> Void) async throws -> Record {
        let catalog = try await metadata.catalog()
        let leads = try catalog.require(StandardObjects.lead.name)
        let readable = try await access.scope(context.principal, .read, object: leads)
        let now = ValueFormats.formatDateTime(date)
        let everything = AccessScope(plan: AccessPlan(rows: .always), object: leads, userID: context.principal.userID, now: now)
        return try await database.write { db in
            try await journal.lockChain(on: db)
            guard let lead = try await store.fetch(leads, id: id, access: everything, on: db) else { throw KeelError.notFound("lead \(id)") }
            try await check(lead, db)
            let values: [String: JSONValue] = ["owner": owner.map(JSONValue.string) ?? .null, "pooled_at": owner == nil ? .string(now) : .null]
            let updated = try await applyUpdate(leads, id: id, values, expectedVersion: lead.version, .update, scope: everything, readable: everything,
                                                catalog: catalog, context: context, assignment: note, on: db)
            return try await store.fetch(leads, id: id, access: readable, on: db) ?? updated
        }
    }
}
