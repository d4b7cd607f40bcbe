import SQLKit

extension Migration {
    /// What backs an activity up: the call record's id in the phone system, where it happened, the customer's confirmation.
    static let m0028Evidence = Migration(name: "0028_evidence") { d in
        ["ALTER TABLE activities ADD COLUMN call_record_id TEXT", "ALTER TABLE activities ADD COLUMN location TEXT",
         "ALTER TABLE activities ADD COLUMN customer_confirmed \(unsafeRaw: d.booleanType)"]
    }
}
