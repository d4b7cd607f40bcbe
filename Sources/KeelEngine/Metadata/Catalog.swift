import KeelCore

/// The object definitions in force: standard objects with their custom fields, and custom objects; and the
/// organisation's working calendar, which formulas, timers and schedules count working days on.
public struct Catalog: Sendable {
    public let version: Int
    public let objects: [ObjectDefinition]
    public let calendar: WorkingCalendar
    private let byName: [String: ObjectDefinition]

    public init(version: Int, objects: [ObjectDefinition], calendar: WorkingCalendar = WorkingCalendar()) {
        self.version = version
        self.objects = objects
        self.calendar = calendar
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
