import Foundation
import KeelCore
import KeelStore

/// What a formula would do to real records, before it is saved.
public struct DryRun: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var name: String
        public var value: JSONValue
    }

    public var formula: Formula
    /// For a validation rule: how many of the sampled records it would refuse.
    public var wouldFail: Int?
    public var rows: [Row]

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "type": .string(formula.type.rawValue), "evaluated": JSONValue(rows.count),
            "results": .array(rows.map { ["id": .string($0.id), "name": .string($0.name), "value": $0.value] }),
        ]
        if let wouldFail { o["wouldFail"] = JSONValue(wouldFail) }
        return .object(o)
    }
}

extension RecordService {
    /// Runs a formula (as a formula field or, with `rule`, as a validation rule) on the newest `sample` records the
    /// caller may read, and reports the results. Writes nothing.
    public func dryRun(_ objectName: String, expression: String, rule: Bool, sample: Int = 100, as principal: Principal) async throws -> DryRun {
        try await access.require(principal, .manageMetadata)
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let formula: Formula
        do {
            formula = try Formula(expression, schema: FormulaSchema(object: object, objects: catalog.objects))
        } catch {
            throw KeelError.validation([Violation(field: "expression", code: "invalid_formula", message: error.description)])
        }
        if rule, formula.type != .boolean, formula.type != .null {
            throw KeelError.validation([Violation(field: "expression", code: "invalid_formula",
                                                  message: "A rule's formula must be true or false, not \(formula.type.rawValue) (at position 1)")])
        }
        let records = try await list(objectName, params: [("sort", "-updated_at"), ("limit", String(min(max(sample, 1), ListQuery.maxLimit)))],
                                     as: principal).records
        let runner = formulas(catalog)
        var rows: [DryRun.Row] = []
        try await database.read { db in
            for record in records {
                let related = try await runner.relatedRecords(object, state: record.values, paths: formula.dependencies, on: db)
                let value = formula.evaluate(runner.context(object, state: record.values, related: related)).json
                rows.append(DryRun.Row(id: record.id, name: record.values["name"]?.stringValue ?? record.values["subject"]?.stringValue ?? record.id, value: value))
            }
        }
        return DryRun(formula: formula, wouldFail: rule ? rows.filter { $0.value == .bool(true) }.count : nil, rows: rows)
    }
}
