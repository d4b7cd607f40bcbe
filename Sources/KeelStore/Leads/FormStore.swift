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

/// Events received from other systems (Shopify's webhooks), each taken once: a retry of one already taken is answered
/// without being processed again.
public struct InboundEventStore: Sendable {
    public init() {}

    /// The outcome of an event already taken, if it was.
    public func outcome(source: String, eventID: String, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT outcome FROM inbound_events WHERE source = \(bind: source) AND event_id = \(bind: eventID)").first()?
            .decode(column: "outcome", as: String.self)
    }

    public func record(source: String, eventID: String, topic: String, leadID: String?, outcome: String, at: String, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO inbound_events (source, event_id, topic, lead_id, outcome, at)
            VALUES (\(bind: source), \(bind: eventID), \(bind: topic), \(bind: leadID), \(bind: outcome), \(bind: at))
            """).run()
    }
}
