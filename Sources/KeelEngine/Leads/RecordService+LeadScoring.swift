import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Lead scoring as data: the card in force scores every lead when it arrives (before routing reads the score) and
/// whenever it changes.
extension RecordService {
    static let scoringKind = "lead_scoring", scoringID = "default"

    /// The card in force, nil until one is saved (then `score` is whatever was written).
    func scoreCard(_ catalog: Catalog, on db: any SQLDatabase) async throws -> ScoreCard? {
        guard let leads = catalog.object(StandardObjects.lead.name) else { return nil }
        // A card the catalog no longer fits (a field it reads was removed) scores nothing.
        return try await scoreCards.value(catalog: catalog.version, on: db) {
            try? ScoreCard.parse($0.definition, schema: FormulaSchema(object: leads, objects: catalog.objects))
        } ?? nil
    }

    /// `score` and `score_breakdown` for a lead's values, when a card is in force and on.
    func leadScore(_ object: ObjectDefinition, state: [String: JSONValue], catalog: Catalog, on db: any SQLDatabase) async throws -> [String: JSONValue] {
        guard object.name == StandardObjects.lead.name, let card = try await scoreCard(catalog, on: db), card.enabled else { return [:] }
        return try await formulas(catalog).score(card, object, state: state, on: db)
    }

    public func leadScoring(as principal: Principal) async throws -> JSONValue {
        guard principal.status == .active else { throw KeelError(.unauthorized, code: "account_frozen", message: "This account is frozen.") }
        let catalog = try await metadata.catalog()
        return try await database.read { db in (try await scoreCard(catalog, on: db) ?? Self.noCard).json }
    }

    /// Checks and saves a card (admins): every problem is a 422 with its path, the card in force stays. Leads are
    /// scored by it from now on; those already there when they next change.
    public func setLeadScoring(_ json: JSONValue, by principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        let catalog = try await metadata.catalog()
        let leads = try catalog.require(StandardObjects.lead.name)
        let card = try ScoreCard.parse(json, schema: FormulaSchema(object: leads, objects: catalog.objects))
        let now = ValueFormats.formatDateTime(Date())
        try await database.write { db in
            _ = try await router.config.publish(kind: Self.scoringKind, id: Self.scoringID, definition: card.json, by: principal.userID, at: now, on: db)
            try await AccessStore().audit(AuditEntry(at: now, actor: principal.userID, action: "lead_scoring_change", detail: card.json), on: db)
        }
        return card.json
    }

    static var noCard: ScoreCard {
        var card = ScoreCard()
        card.enabled = false
        return card
    }
}
