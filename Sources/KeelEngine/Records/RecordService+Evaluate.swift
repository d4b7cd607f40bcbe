import Foundation
import KeelCore
import KeelStore
import SQLKit

extension RecordService {
    /// Who reads a value computed from a record: Keel itself (conditions, field values it writes), a person (what
    /// they may read), or people Keel does not know, such as a chat group (no field of sensitivity 3 and up).
    public enum Reader: Sendable, Hashable {
        case keel
        case person(Principal)
        case anyone
    }

    /// What a reader sees of a field they may not read, inside a computed text.
    public static let maskedText = "••••"

    /// A formula of `object` evaluated on a record (system fields included) and the records it references, as of
    /// `now` on the organisation's working calendar. Automations and approval processes read records this way.
    /// Fields `reader` may not read enter the formula as `••••`, so a message built from them shows the mask.
    func evaluate(_ text: String, on record: Record, object: ObjectDefinition, catalog: Catalog, now: Date,
                  reader: Reader = .keel) async throws -> FormulaValue {
        let formula: Formula
        do {
            formula = try Formula(text, schema: FormulaSchema(object: object, objects: catalog.objects))
        } catch {
            throw KeelError(.unprocessable, code: "invalid_formula", message: "\(text) no longer checks against \(object.name): \(error.description)")
        }
        var state = record.values
        for field in ObjectDefinition.systemFieldDefinitions { state[field.name] = record.value(field.name) }
        let runner = formulas(catalog)
        var related = try await database.read { try await runner.relatedRecords(object, state: state, paths: formula.dependencies, on: $0) }
        for path in try await hidden(formula.dependencies, of: record, related: related, object: object, catalog: catalog, from: reader) {
            if path.count == 1 { state[path[0]] = .string(Self.maskedText) } else { related[path[0]]?.values[path[1]] = .string(Self.maskedText) }
        }
        var context = runner.context(object, state: state, related: related)
        context.now = now
        context.today = FormulaEvaluator.day(of: now, in: access.timeZone)
        return formula.evaluate(context)
    }

    /// The paths (`floor_price`, `account.industry`) `reader` may not read on `record` and the records it references.
    func hidden(_ paths: Set<[String]>, of record: Record, related: [String: Record], object: ObjectDefinition, catalog: Catalog,
                from reader: Reader) async throws -> Set<[String]> {
        let schema = FormulaSchema(object: object, objects: catalog.objects)
        switch reader {
        case .keel: return []
        case .anyone: return paths.filter { path in path.indices.contains { (schema.field(Array(path[...$0]))?.sensitivity ?? 1) >= 3 } }
        case .person(let principal):
            let masked = try await visible(object, id: record.id, to: principal).masked
            var out: Set<[String]> = []
            for path in paths {
                if masked.contains(path[0]) { out.insert(path); continue }
                guard path.count == 2, let target = object.field(path[0])?.target.flatMap(catalog.object), let other = related[path[0]] else { continue }
                if try await visible(target, id: other.id, to: principal).masked.contains(path[1]) { out.insert(path) }
            }
            return out
        }
    }

    /// The record as `principal` may read it, or nil when they may not (or it is gone), and the fields masked for them:
    /// every field when the record is out of their reach, every field that could be masked when it is gone.
    /// Inside a write, pass its connection as `db`: the record may have been changed by a write of the same group
    /// commit, which a reader connection does not see yet.
    func visible(_ object: ObjectDefinition, id: String, to principal: Principal, on db: (any SQLDatabase)? = nil) async throws -> (record: Record?, masked: Set<String>) {
        let scope = try await access.scope(principal, .read, object: object)
        let everything = Set(object.fields.map(\.name))
        guard !scope.plan.deniesAll else { return (nil, everything) }
        func fetch(_ access: AccessScope?) async throws -> Record? {
            if let db { return try await store.fetch(object, id: id, access: access, on: db) }
            return try await database.read { try await store.fetch(object, id: id, access: access, on: $0) }
        }
        if let record = try await fetch(scope) { return (record, record.masked) }
        return (nil, try await fetch(nil) != nil ? everything : Set(scope.plan.fields.keys))
    }
}
