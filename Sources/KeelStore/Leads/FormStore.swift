import Foundation
import KeelCore
import SQLKit

/// Web-form submissions accepted: which form, from which address and origin, the lead they made (or matched), when.
public struct FormStore: Sendable {
    public init() {}

    public func record(form: String, address: String, origin: String?, leadID: String, outcome: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO form_submissions (id, form_id, address, origin, lead_id, outcome, at)
            VALUES (\(bind: RecordID.make()), \(bind: form), \(bind: address), \(bind: origin), \(bind: leadID), \(bind: outcome), \(bind: at))
            """).run()
    }

    /// Submissions of a form from one address since a moment.
    public func count(form: String, address: String, since: String, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM form_submissions WHERE form_id = \(bind: form) AND address = \(bind: address) AND at >= \(bind: since)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
