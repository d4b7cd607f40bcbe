import SQLKit

extension Migration {
    /// Each assignment remembers when its rep first answered the lead and when the lead was converted while theirs
    /// (the response heatmap and the reps' efficiency are read from them).
    static let m0023LeadResponse = Migration(name: "0023_lead_response") { _ in
        ["responded_at", "converted_at"].map { "ALTER TABLE lead_assignments ADD COLUMN \($0) TEXT" } + [
            "CREATE INDEX lead_assignments_at ON lead_assignments (at)",
        ]
    }
}
