import Foundation
import KeelCore
import SQLKit

/// Lead routing's tables: the assignments of each lead, the members' turns in each rule, and the figures strategies
/// read (open uncontacted leads per owner, conversion per owner and industry).
public struct RoutingStore: Sendable {
    public init() {}

    public func record(_ a: LeadAssignment, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO lead_assignments (id, lead_id, owner_id, previous_owner, rule_id, strategy, reason_zh, reason_en, actor, at)
            VALUES (\(bind: a.id), \(bind: a.leadID), \(bind: a.ownerID), \(bind: a.previousOwner), \(bind: a.ruleID), \(bind: a.strategy),
                    \(bind: a.reasonZh), \(bind: a.reasonEn), \(bind: a.actor), \(bind: a.at))
            """).run()
    }

    /// A lead's assignments, oldest first.
    public func assignments(leadIDs: [String], on db: any SQLDatabase) async throws -> [LeadAssignment] {
        guard !leadIDs.isEmpty else { return [] }
        return try await db.raw("""
            SELECT id, lead_id, owner_id, previous_owner, rule_id, strategy, reason_zh, reason_en, actor, at
            FROM lead_assignments WHERE lead_id IN (\(binds: leadIDs)) ORDER BY at, id
            """).all().map { row in
            LeadAssignment(id: try row.decode(column: "id", as: String.self), leadID: try row.decode(column: "lead_id", as: String.self),
                           ownerID: try row.decode(column: "owner_id", as: String?.self), previousOwner: try row.decode(column: "previous_owner", as: String?.self),
                           ruleID: try row.decode(column: "rule_id", as: String?.self), strategy: try row.decode(column: "strategy", as: String?.self),
                           reasonZh: try row.decode(column: "reason_zh", as: String.self), reasonEn: try row.decode(column: "reason_en", as: String.self),
                           actor: try row.decode(column: "actor", as: String?.self), at: try row.decode(column: "at", as: String.self))
        }
    }

    /// Each member's running weight in a rule's smooth weighted round-robin (0 for members not seen yet).
    public func turns(rule: String, users: [String], on db: any SQLDatabase) async throws -> [String: Int] {
        guard !users.isEmpty else { return [:] }
        var out: [String: Int] = [:]
        for row in try await db.raw("SELECT user_id, current FROM routing_turns WHERE rule_id = \(bind: rule) AND user_id IN (\(binds: users))").all() {
            out[try row.decode(column: "user_id", as: String.self)] = try row.decode(column: "current", as: Int.self)
        }
        return out
    }

    public func setTurns(rule: String, _ turns: [String: Int], on db: any SQLDatabase) async throws {
        guard !turns.isEmpty else { return }
        let rows = turns.sorted { $0.key < $1.key }.map { SQLQueryString("(\(bind: rule), \(bind: $0.key), \(bind: $0.value))") }
        try await db.raw("""
            INSERT INTO routing_turns (rule_id, user_id, current) VALUES \(SQLList(rows))
            ON CONFLICT (rule_id, user_id) DO UPDATE SET current = excluded.current
            """).run()
    }

    /// Open uncontacted leads (status new) per owner, for these owners.
    public func openLeads(owners: [String], on db: any SQLDatabase) async throws -> [String: Int] {
        guard !owners.isEmpty else { return [:] }
        var out: [String: Int] = [:]
        for row in try await db.raw("""
            SELECT owner, COUNT(*) AS n FROM leads WHERE status = 'new' AND owner IN (\(binds: owners)) GROUP BY owner
            """).all() {
            out[try row.decode(column: "owner", as: String.self)] = try row.decode(column: "n", as: Int.self)
        }
        return out
    }

    /// Per owner: leads of an industry created since `since`, and how many of them were converted.
    public func conversions(owners: [String], industry: String, since: String, on db: any SQLDatabase) async throws -> [String: (leads: Int, converted: Int)] {
        guard !owners.isEmpty else { return [:] }
        var out: [String: (Int, Int)] = [:]
        for row in try await db.raw("""
            SELECT owner, COUNT(*) AS n, SUM(CASE WHEN status = 'converted' THEN 1 ELSE 0 END) AS won FROM leads
            WHERE industry = \(bind: industry) AND created_at >= \(bind: since) AND owner IN (\(binds: owners)) GROUP BY owner
            """).all() {
            out[try row.decode(column: "owner", as: String.self)] = (try row.decode(column: "n", as: Int.self), try row.decode(column: "won", as: Int?.self) ?? 0)
        }
        return out
    }
}

extension RoutingStore {
    /// Leads claimed from the pool by a user since a moment.
    public func claims(by userID: String, since: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM lead_assignments WHERE owner_id = \(bind: userID) AND strategy = 'claim' AND at >= \(bind: since)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Leads still new, assigned before a moment, with no activity logged on them since they were assigned (at most 500).
    public func unfollowed(assignedBefore: String, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT id FROM leads WHERE owner IS NOT NULL AND status = 'new' AND assigned_at IS NOT NULL AND assigned_at < \(bind: assignedBefore)
            AND NOT EXISTS (SELECT 1 FROM activities a WHERE a.related_to = leads.id AND a.created_at >= leads.assigned_at)
            ORDER BY assigned_at LIMIT 500
            """).all().map { try $0.decode(column: "id", as: String.self) }
    }
}

extension RoutingStore {
    /// Marks a lead's latest assignment answered (its first answer only) — `at` the answer.
    public func responded(leadID: String, at: String, on db: any SQLDatabase) async throws {
        try await markLatest(leadID: leadID, column: "responded_at", at: at, on: db)
    }

    /// Marks a lead's latest assignment as the one under which it was converted.
    public func converted(leadID: String, at: String, on db: any SQLDatabase) async throws {
        try await markLatest(leadID: leadID, column: "converted_at", at: at, on: db)
    }

    func markLatest(leadID: String, column: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE lead_assignments SET \(unsafeRaw: column) = \(bind: at)
            WHERE id = (SELECT id FROM lead_assignments WHERE lead_id = \(bind: leadID) ORDER BY at DESC, id DESC LIMIT 1)
            AND owner_id IS NOT NULL AND \(unsafeRaw: column) IS NULL
            """).run()
    }

    /// The assignments to these owners made since a moment, with each lead's channel.
    public func responseSamples(owners: [String], since: String, on db: any SQLDatabase) async throws -> [ResponseStats.Sample] {
        guard !owners.isEmpty else { return [] }
        let date = { (text: String?) in text.flatMap(ValueFormats.parseDateTime) }
        return try await db.raw("""
            SELECT a.owner_id, a.at, a.responded_at, a.converted_at, l.channel FROM lead_assignments a JOIN leads l ON l.id = a.lead_id
            WHERE a.at >= \(bind: since) AND a.owner_id IN (\(binds: owners))
            """).all().compactMap { row in
            guard let at = date(try row.decode(column: "at", as: String.self)) else { return nil }
            return ResponseStats.Sample(owner: try row.decode(column: "owner_id", as: String.self), channel: try row.decode(column: "channel", as: String?.self),
                                        assignedAt: at, respondedAt: date(try row.decode(column: "responded_at", as: String?.self)),
                                        convertedAt: date(try row.decode(column: "converted_at", as: String?.self)))
        }
    }
}

extension RoutingStore {
    /// Leads in the pool.
    public func poolSize(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM leads WHERE owner IS NULL AND pooled_at IS NOT NULL").first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
