/// A rule that acts on its own: when its trigger fires on a record of `object` and its condition (a boolean formula,
/// absent means always) holds on the record, its actions run, after the change that fired it has been committed.
/// Stored as data; every published version is kept and never changes.
public struct Automation: Sendable, Hashable {
    public var id: String
    public var label: String
    public var object: String
    public var trigger: AutomationTrigger
    public var condition: String?
    public var actions: [AutomationAction]

    public init(id: String, label: String, object: String, trigger: AutomationTrigger, condition: String? = nil, actions: [AutomationAction]) {
        self.id = id
        self.label = label
        self.object = object
        self.trigger = trigger
        self.condition = condition
        self.actions = actions
    }
}

public enum AutomationTrigger: Sendable, Hashable {
    case created
    case updated
    case deleted
    /// A field changed; with `from`/`to`, only that transition (either may be left out).
    case fieldChanged(field: String, from: JSONValue?, to: JSONValue?)
    /// The record's stage field became `stage`.
    case stageEntered(String)
    /// `days` working days (on the organisation's calendar) after the date in `field`, at `hour` o'clock.
    case afterDate(field: String, days: Int, hour: Int)
    /// On a cron schedule in the organisation's time zone, for every record the condition holds on.
    case schedule(CronSchedule)

    /// Triggers fired by record changes (the others by time).
    public var isEventTrigger: Bool {
        switch self {
        case .afterDate, .schedule: false
        default: true
        }
    }
}

/// Values are formulas evaluated on the record that fired the automation (`"\"Call \" & name"`, `amount * 0.1`).
public enum AutomationAction: Sendable, Hashable {
    case setFields([String: String])
    case createRecord(object: String, values: [String: String])
    /// `message` is a text formula.
    case notify(recipients: [Recipient], message: String)
    /// Sends the record to a webhook endpoint (by id), signed and retried like every webhook.
    case webhook(endpoint: String)
    /// Sets `field` (a user reference) to the next of `users` in turn, or to the one holding fewest open records.
    case assign(field: String, users: [String], strategy: AssignmentStrategy)
    case startApproval(process: String)

    public var kind: String {
        switch self {
        case .setFields: "set_fields"
        case .createRecord: "create_record"
        case .notify: "notify"
        case .webhook: "webhook"
        case .assign: "assign"
        case .startApproval: "start_approval"
        }
    }
}

public enum AssignmentStrategy: String, Sendable, Hashable, CaseIterable {
    case roundRobin = "round_robin"
    case leastLoaded = "least_loaded"
}

/// Who a notification goes to: `owner` (of the record), `user:<id>`, `role:<admin|manager|member>`,
/// `manager` (of the owner's department), or `channel:<webhook endpoint id>` (a WeCom/DingTalk/Feishu robot).
public enum Recipient: Sendable, Hashable {
    case owner
    case manager
    case user(String)
    case role(Role)
    case channel(String)

    /// Exactly `owner` or `manager`, or `user:`, `role:`, `channel:` and something after the colon.
    public init?(_ text: String) {
        if text == "owner" { self = .owner; return }
        if text == "manager" { self = .manager; return }
        guard let (kind, name) = Self.kindAndName(text) else { return nil }
        switch kind {
        case "user": self = .user(name)
        case "role": guard let role = Role(rawValue: name) else { return nil }; self = .role(role)
        case "channel": self = .channel(name)
        default: return nil
        }
    }

    /// `kind:name` with a name after the colon; nil otherwise. Recipients and approvers are written so.
    static func kindAndName(_ text: String) -> (Substring, String)? {
        guard let colon = text.firstIndex(of: ":"), text.index(after: colon) < text.endIndex else { return nil }
        return (text[..<colon], String(text[text.index(after: colon)...]))
    }

    public var text: String {
        switch self {
        case .owner: "owner"
        case .manager: "manager"
        case .user(let id): "user:\(id)"
        case .role(let role): "role:\(role.rawValue)"
        case .channel(let id): "channel:\(id)"
        }
    }
}
