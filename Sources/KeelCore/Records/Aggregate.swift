import Foundation

/// One group of an aggregate query: the group's key values (in the order of the grouping fields),
/// how many records it holds, the sum of the summed field over them (nil when nothing was summed) and the greatest
/// value of the field asked for the latest of (nil when not asked; `.null` when every record leaves it blank).
public struct AggregateRow: Sendable, Hashable {
    public var keys: [JSONValue]
    public var count: Int
    public var sum: Decimal?
    public var latest: JSONValue?

    public init(keys: [JSONValue], count: Int, sum: Decimal?, latest: JSONValue? = nil) {
        self.keys = keys
        self.count = count
        self.sum = sum
        self.latest = latest
    }
}

extension ObjectDefinition {
    /// Fields a report may group by: scalar fields and system columns (not multi-picklists or long text).
    public func groupableField(_ name: String) -> FieldDefinition? {
        guard let f = queryableField(name), f.type.storage != .list, f.type != .longText else { return nil }
        return f
    }
}
