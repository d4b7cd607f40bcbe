import SQLKit

extension Migration {
    /// Response SLAs: a timer per target and tier of each assignment (pending until it fires, is met or is cancelled
    /// by a new assignment), the last breach on the lead; users' mobile and Feishu id (to @-mention and call them)
    /// and their leave (days they take no leads); the existing customer a new lead is (its account and contact).
    static let m0022ResponseSLA = Migration(name: "0022_response_sla") { _ in
        ["mobile", "feishu_id", "away_from", "away_until"].map { "ALTER TABLE users ADD COLUMN \($0) TEXT" } +
        ["sla_breached_at", "sla_breach", "customer_account", "customer_contact"].map { "ALTER TABLE leads ADD COLUMN \($0) TEXT" } + [
            """
            CREATE TABLE sla_timers (
                id TEXT PRIMARY KEY,
                lead_id TEXT NOT NULL,
                owner_id TEXT NOT NULL,
                assigned_at TEXT NOT NULL,
                event TEXT NOT NULL,
                minutes INTEGER NOT NULL,
                deadline TEXT NOT NULL,
                tier INTEGER NOT NULL,
                robot TEXT,
                due_at TEXT NOT NULL,
                status TEXT NOT NULL,
                closed_at TEXT,
                outcome TEXT
            )
            """,
            "CREATE INDEX sla_timers_due ON sla_timers (status, due_at)",
            "CREATE INDEX sla_timers_lead ON sla_timers (lead_id, status)",
        ]
    }
}
