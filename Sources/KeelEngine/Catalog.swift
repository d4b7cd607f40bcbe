import KeelCore

/// The object definitions in force: standard objects with their custom fields, and custom objects.
public struct Catalog: Sendable {
    public let version: Int
    public let objects: [ObjectDefinition]
    private let byName: [String: ObjectDefinition]

    public init(version: Int, objects: [ObjectDefinition]) {
        self.version = version
        self.objects = objects
        self.byName = Dictionary(objects.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func object(_ name: String) -> ObjectDefinition? { byName[name] }

    public func require(_ name: String) throws(KeelError) -> ObjectDefinition {
        guard let o = byName[name] else {
            throw KeelError(.notFound, code: "unknown_object", message: "There is no object named \(name).")
        }
        return o
    }
}
