import SQLKit

extension Migration {
    /// When an activity's next step is due (the next-step task it creates falls due that day).
    static let m0026NextStep = Migration(name: "0026_next_step") { _ in
        ["ALTER TABLE activities ADD COLUMN next_step_due TEXT"]
    }
}
