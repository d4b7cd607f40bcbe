/// How complete and clean master data is: per object and field, the share of records with a value, graded red,
/// yellow or green; the duplicate rate of the last batch run; records missing what a required group asks for; and
/// for accounts how current their registry data is.
public struct HealthThresholds: Sendable, Equatable {
    /// Below `red` a field is red; below `yellow` yellow; else green.
    public var red: Double
    public var yellow: Double

    public init(red: Double = 0.6, yellow: Double = 0.85) {
        self.red = red
        self.yellow = yellow
    }

    public func level(_ ratio: Double) -> String { ratio < red ? "red" : ratio < yellow ? "yellow" : "green" }

    public var json: JSONValue { ["red": JSONValue(red), "yellow": JSONValue(yellow)] }
}

extension Recipient {
    /// Named users, roles and channels, as opposed to a record's owner or manager.
    var isNamed: Bool {
        switch self {
        case .user, .role, .channel: true
        default: false
        }
    }
}

public struct HealthSettings: Sendable, Equatable {
    public var thresholds = HealthThresholds()
    /// Who receives the scheduled report (`user:ID`, `role:admin` as notifications, `channel:ENDPOINT` as a chat-robot
    /// message); nobody: no scheduled report.
    public var recipients: [Recipient] = []
    /// When it is sent (cron, the organisation's time zone): 09:00 on the 1st of each month unless set.
    public var cron = "0 9 1 * *"

    public init() {}

    /// Reads `{"red", "yellow", "recipients", "cron"}`; every problem at once.
    public static func parse(_ json: JSONValue) throws -> HealthSettings {
        guard let object = json.objectValue, Set(object.keys).isSubset(of: ["red", "yellow", "recipients", "cron"]) else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"red\", \"yellow\", \"recipients\", \"cron\"}.")
        }
        var settings = HealthSettings()
        var violations = object.wrongTypes(["red": "number", "yellow": "number", "recipients": "array", "cron": "string"])
        let red = json["red"]?.doubleValue ?? settings.thresholds.red, yellow = json["yellow"]?.doubleValue ?? settings.thresholds.yellow
        if !(0...1).contains(red) || !(0...1).contains(yellow) || red > yellow {
            violations.append(Violation(field: "red", code: "out_of_range", message: "red and yellow are shares from 0 to 1, red at most yellow."))
        }
        settings.thresholds = HealthThresholds(red: red, yellow: yellow)
        for (i, item) in (json["recipients"]?.arrayValue ?? []).enumerated() {
            // Owner and manager mean nothing without a record.
            guard let recipient = item.stringValue.flatMap(Recipient.init), recipient.isNamed else {
                violations.append(Violation(field: "recipients[\(i)]", code: "invalid_recipient", message: "A recipient is user:ID, role:NAME or channel:ENDPOINT."))
                continue
            }
            settings.recipients.append(recipient)
        }
        if let cron = json["cron"]?.stringValue {
            if (try? CronSchedule(cron)) == nil {
                violations.append(Violation(field: "cron", code: "invalid_cron", message: "\(cron) is not a cron schedule (minute hour day month weekday)."))
            }
            settings.cron = cron
        }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return settings
    }

    public var json: JSONValue {
        ["red": JSONValue(thresholds.red), "yellow": JSONValue(thresholds.yellow), "recipients": .array(recipients.map { .string($0.text) }), "cron": .string(cron)]
    }
}
