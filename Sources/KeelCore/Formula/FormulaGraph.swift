/// Which formula fields read which fields, across objects (through references): a save that would make a formula read
/// itself, directly or through others, is refused; and what a formula reads, it reveals, so it inherits protection.
public enum FormulaGraph {
    /// A field a formula reads directly: `object.field`, and whether on the same record.
    struct Edge: Hashable {
        var object: String
        var field: String
        var sameRecord: Bool
        var node: String { "\(object).\(field)" }
    }

    /// `object.field` of every formula field → the fields its expression names (a reference it reads through too).
    static func edges(_ objects: [ObjectDefinition]) -> [String: [Edge]] {
        var edges: [String: [Edge]] = [:]
        for object in objects {
            let schema = FormulaSchema(object: object, objects: objects)
            for field in object.fields {
                guard let text = field.formula, let formula = try? Formula(text, schema: schema) else { continue }
                edges["\(object.name).\(field.name)"] = formula.dependencies.sorted { $0.lexicographicallyPrecedes($1) }.flatMap { path -> [Edge] in
                    let first = Edge(object: object.name, field: path[0], sameRecord: true)
                    guard path.count == 2, let target = object.field(path[0])?.target else { return [first] }
                    return [first, Edge(object: target, field: path[1], sameRecord: false)]
                }
            }
        }
        return edges
    }

    /// A cycle among the formula fields of `objects`, as `object.field` names from start back to start; nil if none.
    public static func cycle(in objects: [ObjectDefinition]) -> [String]? {
        let edges = edges(objects).mapValues { $0.map(\.node) }
        var state: [String: Int] = [:]  // 1: on the current path, 2: done
        var path: [String] = []
        func visit(_ node: String) -> [String]? {
            if state[node] == 2 { return nil }
            if state[node] == 1 { return Array(path[path.firstIndex(of: node)!...]) + [node] }
            state[node] = 1
            path.append(node)
            for next in edges[node] ?? [] { if let found = visit(next) { return found } }
            path.removeLast()
            state[node] = 2
            return nil
        }
        for node in edges.keys.sorted() { if let found = visit(node) { return found } }
        return nil
    }

    /// The objects with every formula field's `sources` set (all it reads, through other formulas and references)
    /// and its sensitivity raised to the highest of theirs: a copy of a masked field is as sensitive as the field.
    /// Computed whenever the metadata is loaded, so it follows every change of a formula or of a level.
    public static func derivingSources(_ objects: [ObjectDefinition]) -> [ObjectDefinition] {
        let edges = edges(objects)
        var defined: [String: FieldDefinition] = [:]
        for object in objects { for field in object.fields { defined["\(object.name).\(field.name)"] = field } }
        var memo: [String: [Edge]] = [:]
        func closure(_ node: String, visiting: Set<String>) -> [Edge] {
            if let known = memo[node] { return known }
            var out: [Edge] = []
            var seen: Set<Edge> = []
            for edge in edges[node] ?? [] where !visiting.contains(edge.node) {
                // A field read on another record stays "another record" through everything it reads in turn.
                let further = closure(edge.node, visiting: visiting.union([node])).map {
                    Edge(object: $0.object, field: $0.field, sameRecord: $0.sameRecord && edge.sameRecord)
                }
                for e in [edge] + further where seen.insert(e).inserted { out.append(e) }
            }
            memo[node] = out
            return out
        }
        return objects.map { object in
            var object = object
            for i in object.fields.indices where object.fields[i].formula != nil {
                let sources = closure("\(object.name).\(object.fields[i].name)", visiting: []).compactMap { edge in
                    defined[edge.node].map { FieldSource(object: edge.object, field: $0, sameRecord: edge.sameRecord) }
                }
                object.fields[i].sources = sources
                object.fields[i].sensitivity = ([object.fields[i].sensitivity] + sources.map(\.field.sensitivity)).max()!
            }
            return object
        }
    }
}
