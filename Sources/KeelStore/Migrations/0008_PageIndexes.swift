import SQLKit

extension Migration {
    /// Indexes for the pages everybody opens every day: "my records, newest change first", my new leads, my tasks by due
    /// date, the board's stage columns by amount, and "this month" on leads.
    static let m0008PageIndexes = Migration(name: "0008_page_indexes") { _ in
        ["accounts", "contacts", "leads", "opportunities"].map { table -> SQLQueryString in
            "CREATE INDEX \(name: "ix_\(table)_owner_updated") ON \(name: table) (owner, updated_at, id)"
        } + [
            "CREATE INDEX ix_leads_owner_status_created ON leads (owner, status, created_at, id)",
            "CREATE INDEX ix_leads_created ON leads (created_at)",
            "CREATE INDEX ix_opportunities_stage_amount ON opportunities (stage, amount, id)",
            "CREATE INDEX ix_opportunities_owner_stage_amount ON opportunities (owner, stage, amount, id)",
            "CREATE INDEX ix_tasks_assignee_due ON tasks (assignee, due, id)",
        ]
    }
}
