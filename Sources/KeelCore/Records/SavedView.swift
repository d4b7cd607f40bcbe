/// A named list view of one object: which columns, which filters, which order. Personal (its owner sees it)
/// or shared (everyone does). Filters and sort use the list API's spelling, so a view is also an API query.
public struct SavedView: Sendable, Hashable {
    public struct Condition: Sendable, Hashable {
        public var field: String
        public var op: String
        public var value: String

        public init(field: String, op: String, value: String) {
            self.field = field
            self.op = op
            self.value = value
        }

        /// `filter[field][op]=value`.
        public var parameter: (String, String) { ("filter[\(field)][\(op)]", value) }
    }

    public var id: String
    public var object: String
    public var name: String
    public var ownerID: String
    public var shared: Bool
    public var columns: [String]
    public var filters: [Condition]
    public var sort: String?

    public init(id: String, object: String, name: String, ownerID: String, shared: Bool, columns: [String], filters: [Condition], sort: String?) {
        self.id = id
        self.object = object
        self.name = name
        self.ownerID = ownerID
        self.shared = shared
        self.columns = columns
        self.filters = filters
        self.sort = sort
    }

    public static let maxNameLength = 100
    public static let maxColumns = 20

    /// Every problem of a view definition against its object, all at once.
    public static func violations(name: String, columns: [String], filters: [Condition], sort: String?, object: ObjectDefinition) -> [Violation] {
        var violations: [Violation] = []
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { violations.append(Violation(field: "name", code: "required", message: "A view needs a name.")) }
        if trimmed.count > maxNameLength { violations.append(Violation(field: "name", code: "too_long", message: "At most \(maxNameLength) characters.")) }
        if columns.isEmpty { violations.append(Violation(field: "columns", code: "required", message: "Choose at least one column.")) }
        if columns.count > maxColumns { violations.append(Violation(field: "columns", code: "out_of_range", message: "At most \(maxColumns) columns.")) }
        for column in columns where object.queryableField(column) == nil {
            violations.append(Violation(field: "columns", code: "unknown_field", message: "\(object.name) has no field \(column)."))
        }
        var params = filters.map(\.parameter)
        if let sort { params.append(("sort", sort)) }
        do {
            _ = try ListQuery.parse(params, object: object)
        } catch {
            violations += error.violations.isEmpty ? [Violation(field: "filters", code: "invalid_format", message: error.message)] : error.violations
        }
        return violations
    }
}
