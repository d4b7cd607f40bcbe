import Foundation

/// How fast a new lead's owner must respond, and who hears of it when they do not: targets (viewed, status changed,
/// first contact, each within so many minutes of the assignment) counted on the working calendar or around the clock,
/// and three tiers of escalation once a target is missed — the owner in Keel and the browser at the deadline; a
/// group robot @-mentioning the owner (and the manager told) some minutes later; a phone call (SMS if the call cannot
/// be placed) later still.
public struct ResponseSLA: Sendable, Equatable {
    public enum Event: String, Sendable, CaseIterable {
        /// The owner opened the lead.
        case viewed
        /// The lead's status left "new".
        case statusChanged = "status_changed"
        /// An activity was logged on the lead, or its status says it was contacted.
        case contacted

        public var zh: String {
            switch self {
            case .viewed: "查看"
            case .statusChanged: "更新状态"
            case .contacted: "首次联系"
            }
        }

        public var en: String {
            switch self {
            case .viewed: "viewed"
            case .statusChanged: "status changed"
            case .contacted: "first contact"
            }
        }
    }

    public struct Target: Sendable, Equatable {
        public var event: Event
        public var minutes: Int

        public init(_ event: Event, minutes: Int) { (self.event, self.minutes) = (event, minutes) }
    }

    /// The tiers of escalation: 1 in Keel and the browser, 2 a group robot, 3 a phone call.
    public enum Tier: Int, Sendable, CaseIterable { case notify = 1, robot = 2, call = 3 }

    public var targets: [Target]
    /// Counted on the working calendar (working days and hours), or around the clock.
    public var workingHours = true
    /// The robot (an id in the channel settings) tier 2 speaks through; nil: no tier 2.
    public var robot: String?
    /// Minutes after a missed deadline that tier 2 follows.
    public var robotAfter = 10
    /// Minutes after a missed deadline that tier 3 calls the owner; nil: no call.
    public var callAfter: Int?

    public init(targets: [Target]) { self.targets = targets }

    /// The tiers this SLA escalates through, each with its delay in minutes after the missed deadline.
    public var tiers: [(tier: Tier, after: Int)] {
        var out: [(tier: Tier, after: Int)] = [(.notify, 0)]
        if robot != nil { out.append((.robot, robotAfter)) }
        if let callAfter { out.append((.call, callAfter)) }
        return out
    }

    /// What missing a target is called: 「10 分钟内未查看」, 「4 小时内未首次联系」.
    public static func breach(_ target: Target) -> (zh: String, en: String) {
        let hours = target.minutes >= 60 && target.minutes % 60 == 0 ? target.minutes / 60 : nil
        let span = hours.map { ("\($0) 小时", "\($0) h") } ?? ("\(target.minutes) 分钟", "\(target.minutes) min")
        return ("\(span.0)内未\(target.event.zh)", "not \(target.event.en) within \(span.1)")
    }
}

extension ResponseSLA {
    static let keys = ["targets", "calendar", "robot", "robotAfter", "callAfter"]

    /// Reads `{"targets": {"viewed": 2, "status_changed": 5, "contacted": 240}, "calendar": "working"|"24x7", "robot",
    /// "robotAfter", "callAfter"}`,
    /// each problem reported at `path`.
    static func parse(_ json: JSONValue, at path: String, _ fail: (String, String, String) -> Void) -> ResponseSLA? {
        guard let object = json.objectValue else {
            fail(path, "invalid_type", "sla is {\"targets\", \"calendar\", \"robot\", \"robotAfter\", \"callAfter\"}.")
            return nil
        }
        for key in object.keys.sorted() where !keys.contains(key) {
            fail("\(path).\(key)", "unknown_key", "\(key) is not part of an SLA (\(keys.joined(separator: ", "))).")
        }
        var sla = ResponseSLA(targets: [])
        if let targets = object["targets"]?.objectValue, !targets.isEmpty {
            for (name, value) in targets.sorted(by: { $0.key < $1.key }) {
                guard let event = Event(rawValue: name) else {
                    fail("\(path).targets.\(name)", "invalid_option", "A target is one of \(Event.allCases.map(\.rawValue).joined(separator: ", ")).")
                    continue
                }
                guard let minutes = value.intValue, (1...43_200).contains(minutes) else {
                    fail("\(path).targets.\(name)", "out_of_range", "minutes is a whole number from 1 to 43200 (30 days).")
                    continue
                }
                sla.targets.append(Target(event, minutes: minutes))
            }
            // Kept in the order of the events, not of the keys.
            sla.targets.sort { Event.allCases.firstIndex(of: $0.event)! < Event.allCases.firstIndex(of: $1.event)! }
        } else {
            fail("\(path).targets", "required", "targets is {\"viewed\" | \"status_changed\" | \"contacted\": minutes}, at least one.")
        }
        switch object["calendar"] {
        case nil, .null?, "working"?: sla.workingHours = true
        case "24x7"?: sla.workingHours = false
        default: fail("\(path).calendar", "invalid_option", "calendar is working or 24x7.")
        }
        if let robot = object["robot"], !robot.isNull {
            if let id = robot.stringValue, (1...64).contains(id.count) { sla.robot = id } else {
                fail("\(path).robot", "invalid_type", "robot is a robot's id (1 to 64 characters).")
            }
        }
        func minutes(_ key: String) -> Int? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let n = value.intValue, (0...10_080).contains(n) else {
                fail("\(path).\(key)", "out_of_range", "\(key) is a whole number of minutes from 0 to 10080 (7 days).")
                return nil
            }
            return n
        }
        if let n = minutes("robotAfter") { sla.robotAfter = n }
        sla.callAfter = minutes("callAfter")
        return sla
    }

    var json: JSONValue {
        var out: [String: JSONValue] = [
            "targets": .object(Dictionary(uniqueKeysWithValues: targets.map { ($0.event.rawValue, JSONValue($0.minutes)) })),
            "calendar": .string(workingHours ? "working" : "24x7"),
        ]
        if let robot {
            out["robot"] = .string(robot)
            out["robotAfter"] = JSONValue(robotAfter)
        }
        if let callAfter { out["callAfter"] = JSONValue(callAfter) }
        return .object(out)
    }
}
