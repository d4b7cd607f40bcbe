import KeelCore
import Synchronization

/// An object's formula fields and validation rules, parsed once per catalog version and text instead of at every write.
final class ParsedFormulas: Sendable {
    private let cache = Mutex<[String: [Formula?]]>([:])
    /// Entries kept at most (a catalog change leaves old ones behind).
    static let limit = 1_000

    /// Each expression parsed against `object` in `catalog` (nil: it does not parse).
    func parsed(_ expressions: [String], object: ObjectDefinition, catalog: Catalog) -> [Formula?] {
        let key = ([String(catalog.version), object.name] + expressions).joined(separator: "\u{1}")
        if let known = cache.withLock({ $0[key] }) { return known }
        let schema = FormulaSchema(object: object, objects: catalog.objects)
        let formulas = expressions.map { try? Formula($0, schema: schema) }
        cache.withLock { c in
            if c.count >= Self.limit { c.removeAll() }
            c[key] = formulas
        }
        return formulas
    }
}
