import Foundation

/// Who asks, with the attributes policies read: the principal, their place in the department tree, and the request's context.
public struct Subject: Sendable {
    public var principal: Principal
    /// The user's department and every department above it.
    public var departments: [String]
    /// The user's department and every department below it.
    public var subtree: [String]
    public var context: AccessContext

    public init(principal: Principal, departments: [String] = [], subtree: [String] = [], context: AccessContext = AccessContext()) {
        self.principal = principal
        self.departments = departments
        self.subtree = subtree
        self.context = context
    }

    /// Places the principal in the department tree.
    public init(principal: Principal, tree: [Department], context: AccessContext = AccessContext()) {
        var up: [String] = []
        var cursor = principal.departmentID
        while let id = cursor, !up.contains(id) {
            up.append(id)
            cursor = tree.first { $0.id == id }?.parentID
        }
        var down: [String] = principal.departmentID.map { [$0] } ?? []
        var i = 0
        while i < down.count {
            for child in tree where child.parentID == down[i] && !down.contains(child.id) { down.append(child.id) }
            i += 1
        }
        self.init(principal: principal, departments: up, subtree: down, context: context)
    }

    /// The value of a `user.*` or `context.*` attribute; nil for attributes that depend on the record.
    func value(_ a: Attribute) -> JSONValue? {
        let p = principal
        switch (a.scope, a.name) {
        case (.user, "id"): return .string(p.userID)
        case (.user, "email"): return .string(p.email)
        case (.user, "role"): return .string(p.role.rawValue)
        case (.user, "level"): return JSONValue(p.level)
        case (.user, "department"): return p.departmentID.map(JSONValue.string) ?? .null
        case (.user, "departments"): return .array(departments.map(JSONValue.string))
        case (.user, "subtree"): return .array(subtree.map(JSONValue.string))
        case (.user, "status"): return .string(p.status.rawValue)
        case (.context, "step_up"): return .bool(context.stepUp)
        case (.context, "export_rows"): return JSONValue(context.exportRows)
        case (.context, "ip"): return context.ip.map(JSONValue.string) ?? .null
        case (.context, "now"): return .string(ValueFormats.formatDateTime(context.now))
        case (.context, "hour"): return JSONValue(context.hour)
        case (.context, "weekday"): return JSONValue(context.weekday)
        default: return nil
        }
    }
}

/// The circumstances of a request.
public struct AccessContext: Sendable {
    public var now: Date
    public var ip: String?
    /// The user re-entered their password recently.
    public var stepUp: Bool
    /// How many records the export being decided carries (0 for anything but an export).
    public var exportRows = 0
    /// The hour (0–23) and ISO weekday (Monday 1 … Sunday 7) of `now` in the organisation's time zone.
    public let hour: Int
    public let weekday: Int

    public init(now: Date = Date(), ip: String? = nil, stepUp: Bool = false, timeZone: TimeZone = TimeZone(identifier: "Asia/Shanghai")!) {
        self.now = now
        self.ip = ip
        self.stepUp = stepUp
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        hour = calendar.component(.hour, from: now)
        weekday = (calendar.component(.weekday, from: now) + 5) % 7 + 1
    }
}
