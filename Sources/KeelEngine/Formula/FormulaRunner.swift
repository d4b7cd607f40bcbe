import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Runs an object's formulas on a record's values: validation rules, and formula fields. Related records that
/// formulas read through references are fetched once each, without the writer's access rules: a formula sees what
/// its definition names.
struct FormulaRunner {
    let store: RecordStore
    let catalog: Catalog
    let timeZone: TimeZone
    /// Where parsed formulas are kept (the record service's, across writes).
    var parsed = ParsedFormulas()

    /// The violations of the object's validation rules: a rule whose formula is true fails; one that is null does not.
    func ruleViolations(_ object: ObjectDefinition, state: [String: JSONValue], on db: any SQLDatabase) async throws -> [Violation] {
        let enabled = object.validationRules.filter { $0.disabledReason == nil }
        let rules = zip(enabled, parsed.parsed(enabled.map(\.expression), object: object, catalog: catalog)).compactMap { rule, f in f.map { (rule, $0) } }
        let related = try await relatedRecords(object, state: state, paths: rules.reduce(into: Set()) { $0.formUnion($1.1.dependencies) }, on: db)
        let context = self.context(object, state: state, related: related)
        return rules.compactMap { rule, formula in
            formula.evaluate(context) == .boolean(true) ? Violation(field: rule.name, code: "validation_rule", message: rule.message) : nil
        }
    }

    /// The values of the object's formula fields for a record's values, in field order (a formula may read an earlier one).
    func formulaValues(_ object: ObjectDefinition, state: [String: JSONValue], on db: any SQLDatabase) async throws -> [String: JSONValue] {
        let fields = object.fields.filter { $0.disabledReason == nil && $0.formula != nil }
        let formulas = zip(fields, parsed.parsed(fields.compactMap(\.formula), object: object, catalog: catalog)).compactMap { f, formula in formula.map { (f, $0) } }
        guard !formulas.isEmpty else { return [:] }
        let related = try await relatedRecords(object, state: state, paths: formulas.reduce(into: Set()) { $0.formUnion($1.1.dependencies) }, on: db)
        var state = state
        var out: [String: JSONValue] = [:]
        for (field, formula) in formulas {
            let value = formula.evaluate(context(object, state: state, related: related)).json
            // A value the field cannot hold (text too long for its type…) is stored as null rather than failing the write.
            let stored = (try? RecordValidator.normalize(value, for: field).get()) ?? .null
            state[field.name] = stored
            out[field.name] = stored
        }
        return out
    }

    /// A lead's score by a card: each dimension's points and their sum, as `score` and `score_breakdown` hold them.
    func score(_ card: ScoreCard, _ object: ObjectDefinition, state: [String: JSONValue], on db: any SQLDatabase) async throws -> [String: JSONValue] {
        let related = try await relatedRecords(object, state: state, paths: card.dependencies, on: db)
        let (total, parts) = card.score(context(object, state: state, related: related))
        return ["score": JSONValue(total), ScoreCard.breakdownField: .string(card.breakdown(parts))]
    }

    func relatedRecords(_ object: ObjectDefinition, state: [String: JSONValue], paths: Set<[String]>, on db: any SQLDatabase) async throws -> [String: Record] {
        var related: [String: Record] = [:]
        for path in paths where path.count == 2 && related[path[0]] == nil {
            guard let target = object.field(path[0])?.target.flatMap(catalog.object), let id = state[path[0]]?.stringValue,
                  let record = try await store.fetch(target, id: id, on: db) else { continue }
            related[path[0]] = record
        }
        return related
    }

    func context(_ object: ObjectDefinition, state: [String: JSONValue], related: [String: Record]) -> FormulaContext {
        let schema = FormulaSchema(object: object, objects: catalog.objects)
        return FormulaContext(now: Date(), timeZone: timeZone, calendar: catalog.calendar) { path in
            guard let field = schema.field(path) else { return .null }
            if path.count == 1 { return FormulaValue(state[path[0]] ?? .null, type: field.type) }
            guard let record = related[path[0]] else { return .null }
            return FormulaValue(record.value(path[1]), type: field.type)
        }
    }

    /// Every record of `object` (those whose `field` is `value`, when given) whose formula fields would change, with
    /// the new values: pages through them without access rules.
    func stale(_ object: ObjectDefinition, where field: FieldDefinition? = nil, is value: String? = nil,
               on db: any SQLDatabase) async throws -> [(record: Record, values: [String: JSONValue])] {
        var query = ListQuery(object: object)
        query.limit = ListQuery.maxLimit
        if let field, let value { query.filters = [Filter(field: field, op: .eq, values: [.string(value)])] }
        let everything = AccessScope(plan: AccessPlan(rows: .always), object: object, userID: "", now: "")
        var out: [(Record, [String: JSONValue])] = []
        repeat {
            let page = try await store.list(object, query: query, access: everything, on: db)
            for record in page.records {
                let values = try await formulaValues(object, state: record.values, on: db).filter { record.value($0.key) != $0.value }
                if !values.isEmpty { out.append((record, values)) }
            }
            query.cursor = page.nextCursor.flatMap(Cursor.decode)
        } while query.cursor != nil
        return out
    }
}
