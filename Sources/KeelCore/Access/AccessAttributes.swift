/// The attributes policies may read, besides `record.<field>` for any field of the objects a policy covers.
public enum AccessAttributes {
    public static let user: Set<String> = ["id", "email", "role", "level", "department", "departments", "subtree", "status"]
    public static let context: Set<String> = ["step_up", "hour", "weekday", "ip", "now", "approval_granted", "export_rows"]
    public static let field: Set<String> = ["name", "sensitivity", "type", "custom"]
    /// Record attributes every object has: its owner (the `owner` field, else `assignee`, else the creator), the owner's
    /// department, its sensitivity (1–4), and the users who logged activities on it.
    public static let record: Set<String> = ["owner", "owner_department", "sensitivity", "served_by"]

    /// Attributes that only support some comparisons (they become sub-queries).
    public static let operators: [String: Set<Comparison>] = [
        "record.owner_department": [.eq, .ne, .in],
        "record.served_by": [.contains],
        "context.approval_granted": [.eq],
        "user.departments": [.contains],
        "user.subtree": [.contains],
    ]

    /// Whether policies may name `a`; with `objects` nil, any record attribute passes.
    static func isKnown(_ a: Attribute, objects: [ObjectDefinition]?) -> Bool {
        switch a.scope {
        case .user: user.contains(a.name)
        case .context: context.contains(a.name)
        case .field: field.contains(a.name)
        case .record: record.contains(a.name) || (objects?.contains { $0.queryableField(a.name) != nil } ?? true)
        }
    }
}
