import SQLKit

extension Migration {
    /// Where a lead is (country, province, city), when and why it got its owner; each assignment kept; the turn of
    /// each member in a routing rule.
    static let m0021LeadRouting = Migration(name: "0021_lead_routing") { _ in
        ["province", "city", "country", "assigned_at", "assignment_reason"].map { "ALTER TABLE leads ADD COLUMN \($0) TEXT" } + [
            """
            CREATE TABLE lead_assignments (
                id TEXT PRIMARY KEY,
                lead_id TEXT NOT NULL,
                owner_id TEXT,
                previous_owner TEXT,
                rule_id TEXT,
                strategy TEXT,
                reason_zh TEXT NOT NULL,
                reason_en TEXT NOT NULL,
                actor TEXT,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX lead_assignments_lead ON lead_assignments (lead_id, at)",
            "CREATE INDEX lead_assignments_owner ON lead_assignments (owner_id, at)",
            """
            CREATE TABLE routing_turns (
                rule_id TEXT NOT NULL,
                user_id TEXT NOT NULL,
                current INTEGER NOT NULL,
                PRIMARY KEY (rule_id, user_id)
            )
            """,
        ]
    }
}
