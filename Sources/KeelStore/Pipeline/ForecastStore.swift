import Foundation
import KeelCore
import SQLKit

/// Managers' forecast adjustments, and what the stage history holds (to know when a learned model is stale).
public struct ForecastStore: Sendable {
    public init() {}

    /// One manager's figure for one person's category in one period, beside the rep's own.
    public struct Adjustment: Sendable, Hashable {
        public var period: String
        public var userID: String
        public var category: String
        public var amount: Double
        public var note: String?
        public var actor: String
        public var at: String

        public init(period: String, userID: String, category: String, amount: Double, note: String?, actor: String, at: String) {
            (self.period, self.userID, self.category, self.amount, self.note, self.actor, self.at) = (period, userID, category, amount, note, actor, at)
        }
    }

    public func set(_ a: Adjustment, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO forecast_adjustments (period, user_id, category, amount, note, actor, at)
            VALUES (\(bind: a.period), \(bind: a.userID), \(bind: a.category), \(bind: a.amount), \(bind: a.note), \(bind: a.actor), \(bind: a.at))
            ON CONFLICT (period, user_id, category) DO UPDATE SET amount = excluded.amount, note = excluded.note, actor = excluded.actor, at = excluded.at
            """).run()
    }

    public func adjustments(period: String, users: [String], on db: any SQLDatabase) async throws -> [Adjustment] {
        guard !users.isEmpty else { return [] }
        return try await db.raw("""
            SELECT period, user_id, category, amount, note, actor, at FROM forecast_adjustments
            WHERE period = \(bind: period) AND user_id IN (\(binds: users)) ORDER BY user_id, category
            """).all().map { row in
            Adjustment(period: try row.decode(column: "period", as: String.self), userID: try row.decode(column: "user_id", as: String.self),
                       category: try row.decode(column: "category", as: String.self), amount: try row.decode(column: "amount", as: Double.self),
                       note: try row.decode(column: "note", as: String?.self), actor: try row.decode(column: "actor", as: String.self),
                       at: try row.decode(column: "at", as: String.self))
        }
    }

    /// How many transitions an object has and the latest one's time: a learned model is current while both stay.
    public func historyMark(object: String, on db: any SQLDatabase) async throws -> String {
        guard let row = try await db.raw("SELECT COUNT(*) AS n, MAX(at) AS latest FROM stage_transitions WHERE object = \(bind: object)").first() else { return "" }
        return "\(try row.decode(column: "n", as: Int.self))/\(try row.decode(column: "latest", as: String?.self) ?? "")"
    }
}
