import Foundation

/// A mapping saved under a name for an object, for the next file of the same kind (the monthly trade-show list, the
/// other CRM's export): which field each column fills, how cell text maps to values, what a duplicate does.
public struct SavedMapping: Sendable, Equatable {
    public var id: String
    public var name: String
    public var plan: ImportPlan
    public var createdBy: String
    public var updatedAt: String

    public init(id: String, name: String, plan: ImportPlan, createdBy: String, updatedAt: String) {
        (self.id, self.name, self.plan, self.createdBy, self.updatedAt) = (id, name, plan, createdBy, updatedAt)
    }

    /// The longest name a mapping takes.
    public static let maxName = 100

    public var json: JSONValue {
        ["id": .string(id), "name": .string(name), "object": .string(plan.object), "mapping": plan.json, "createdBy": .string(createdBy),
         "updatedAt": .string(updatedAt)]
    }
}
