import Foundation
import KeelCore
import KeelStore

extension MetadataService {
    /// Changes a formula field's expression: checked like a new one (and it may not read itself, directly or through
    /// other formulas), then recomputed on every record in the same transaction.
    public func changeFormula(object objectName: String, field fieldName: String, expression: String, as principal: Principal) async throws -> FieldDefinition {
        try await access.require(principal, .manageMetadata)
        let catalog = try await catalog()
        let object = try catalog.require(objectName)
        guard var field = object.field(fieldName) else { throw KeelError.notFound("\(objectName).\(fieldName)") }
        guard field.formula != nil else {
            throw KeelError.validation([Violation(field: "expression", code: "not_a_formula", message: "\(fieldName) is not a formula field.")])
        }
        do throws(FormulaError) {
            let formula = try Formula(expression, schema: FormulaSchema(object: object, objects: catalog.objects))
            if formula.type != FormulaType(field), formula.type != .null {
                throw FormulaError("The formula gives \(formula.type.rawValue), not \(FormulaType(field).rawValue)", at: 1)
            }
        } catch {
            throw KeelError.validation([Violation(field: "expression", code: "invalid_formula", message: error.description)])
        }
        field.formula = expression
        var objects = catalog.objects
        if let i = objects.firstIndex(where: { $0.name == objectName }), let j = objects[i].fields.firstIndex(where: { $0.name == fieldName }) {
            objects[i].fields[j] = field
        }
        if let cycle = FormulaGraph.cycle(in: objects) {
            throw KeelError.validation([Violation(field: "expression", code: "formula_cycle",
                                                  message: "The formulas would read each other in a circle: \(cycle.joined(separator: " → ")) (at position 1)")])
        }
        try await database.write { db in
            try await store.setExpression(expression, object: objectName, field: fieldName, on: db)
            try await backfill(objectName, by: principal, on: db)
        }
        return field
    }
}

extension MetadataService {
    /// Sets the organisation's working calendar (working weekdays, holidays, make-up working days), which
    /// WORKDAYS_BETWEEN, working-day timers and approvals count on. Audited.
    public func setCalendar(_ json: JSONValue, by principal: Principal) async throws -> WorkingCalendar {
        try await access.require(principal, .manageMetadata)
        let calendar = try WorkingCalendar.parse(json)
        try await database.write { db in
            try await store.setCalendar(calendar, by: principal.userID, on: db)
            try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(Date()), actor: principal.userID, action: "calendar_change",
                                                     detail: calendar.json), on: db)
        }
        return calendar
    }
}
