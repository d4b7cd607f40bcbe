/// Which formula fields read which fields, across objects (through references): a save that would make a formula read
/// itself, directly or through others, is refused.
public enum FormulaGraph {
    /// A cycle among the formula fields of `objects`, as `object.field` names from start back to start; nil if none.
    public static func cycle(in objects: [ObjectDefinition]) -> [String]? {
        var edges: [String: [String]] = [:]
        for object in objects {
            let schema = FormulaSchema(object: object, objects: objects)
            for field in object.fields {
                guard let text = field.formula, let formula = try? Formula(text, schema: schema) else { continue }
                edges["\(object.name).\(field.name)"] = formula.dependencies.compactMap { path in
                    if path.count == 1 { return "\(object.name).\(path[0])" }
                    return object.field(path[0])?.target.map { "\($0).\(path[1])" }
                }
            }
        }
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
}
