import SQLKit

extension Migration {
    /// Where a lead is (country, province, city), where it came from (referrer, landing page, time on page, form),
    /// when and why it got its owner; each assignment kept; the turn of each member in a routing rule; each web-form
    /// submission accepted (per address, for the rate limit); each inbound event taken (Shopify's, once each).
    static let m0021LeadRouting = Migration(name: "0021_lead_routing") { d in
        ["province", "city", "country", "assigned_at", "assignment_reason", "referrer", "landing_page", "form", "pooled_at", "score_breakdown"].map { "ALTER TABLE leads ADD COLUMN \($0) TEXT" } + [
            "ALTER TABLE leads ADD COLUMN time_on_page \(unsafeRaw: d.columnType(.number))",
            """
            CREATE TABLE form_submissions (
                id TEXT PRIMARY KEY,
                form_id TEXT NOT NULL,
                address TEXT NOT NULL,
                origin TEXT,
                lead_id TEXT NOT NULL,
                outcome TEXT NOT NULL,
                at TEXT NOT NULL
            )
            """,
            "CREATE INDEX form_submissions_address ON form_submissions (form_id, address, at)",
            """
            CREATE TABLE inbound_events (
                source TEXT NOT NULL,
                event_id TEXT NOT NULL,
                topic TEXT NOT NULL,
                lead_id TEXT,
                outcome TEXT NOT NULL,
                at TEXT NOT NULL,
                PRIMARY KEY (source, event_id)
            )
            """,
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
