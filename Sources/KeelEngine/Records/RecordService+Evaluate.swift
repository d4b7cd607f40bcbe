import Foundation
import KeelCore
import KeelStore

extension RecordService {
    /// A formula of `object` evaluated on a record (system fields included) and the records it references, as of
    /// `now` on the organisation's working calendar. Automations and approval processes read records this way.
    func evaluate(_ text: String, on record: Record, object: ObjectDefinition, catalog: Catalog, now: Date) async throws -> FormulaValue {
        let formula: Formula
        do {
            formula = try Formula(text, schema: FormulaSchema(object: object, objects: catalog.objects))
        } catch {
            throw KeelError(.unprocessable, code: "invalid_formula", message: "\(text) no longer checks against \(object.name): \(error.description)")
        }
        var state = record.values
        for field in ObjectDefinition.systemFieldDefinitions { state[field.name] = record.value(field.name) }
        let runner = formulas(catalog)
        let related = try await database.read { try await runner.relatedRecords(object, state: state, paths: formula.dependencies, on: $0) }
        var context = runner.context(object, state: state, related: related)
        context.now = now
        context.today = FormulaEvaluator.day(of: now, in: access.timeZone)
        return formula.evaluate(context)
    }
}
