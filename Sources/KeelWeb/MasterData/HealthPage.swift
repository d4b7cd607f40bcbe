import KeelCore

/// The master-data health page: per object its completeness, a bar per field coloured by level, the duplicate rate
/// of the last batch run, what required groups miss, and for accounts the state of their registry data.
public struct HealthPage {
    /// `HealthReports.report`'s result.
    public var report: JSONValue

    /// What an admin may set: thresholds, recipients, schedule; nil for everyone else.
    public var settings: Settings?

    public struct Settings {
        public var current: HealthSettings
        public var users: [User]
        public var channels: [String]
        public var csrf: String
        public var violations: [Violation]
        /// What was typed into a refused form.
        public var input: [(String, String)]?

        public init(current: HealthSettings, users: [User], channels: [String], csrf: String, violations: [Violation] = [], input: [(String, String)]? = nil) {
            (self.current, self.users, self.channels, self.csrf, self.violations, self.input) = (current, users, channels, csrf, violations, input)
        }
    }

    public init(report: JSONValue, settings: Settings? = nil) {
        self.report = report
        self.settings = settings
    }

    static let colors = ["red": "#b42318", "yellow": "#b06a00", "green": "#2e7d6b"]

    struct Object {
        struct Registry {
            var never, stale, closed: Int
        }

        var name: String
        var records: Int
        var completeness, level, levelText: String
        /// A bar per field, coloured by level.
        var svg: String
        /// What required groups miss, one line per group and field.
        var missing: [String]
        var duplicateRate: String?
        var registry: Registry?
    }

    struct SettingsForm {
        struct Recipient {
            var value, text: String
            var checked: Bool
            var id: String
        }

        var csrf: String
        var hasErrors: Bool
        var errors: [String]
        var red, yellow, cron: String
        var recipients: [Recipient]
    }

    public struct Context: PageContext {
        public static let template = Template.health

        var title: String
        var objects: [Object]
        var red, yellow, generatedAt: String
        var settings: SettingsForm?
    }

    public func context(_ t: Strings) -> Context {
        let lang = t.language
        func label(_ json: JSONValue?) -> String { lang == .en ? json?["en"]?.stringValue ?? "" : json?["zh-CN"]?.stringValue ?? "" }
        func percent(_ x: Double?) -> String { "\(Int(((x ?? 0) * 100).rounded()))%" }
        let red = report["thresholds"]?["red"]?.doubleValue ?? 0.6, yellow = report["thresholds"]?["yellow"]?.doubleValue ?? 0.85
        let objects = (report["objects"]?.arrayValue ?? []).filter { ($0["records"]?.doubleValue ?? 0) > 0 }.map { o in
            let name = label(o["labels"])
            let registry = o["registry"] ?? .null
            return Object(
                name: name, records: o["records"]?.intValue ?? 0, completeness: percent(o["completeness"]?.doubleValue),
                level: o["level"]?.stringValue ?? "", levelText: t["level_" + (o["level"]?.stringValue ?? "")],
                svg: Chart.bar(title: t["completeness"] + " · " + name, items: (o["fields"]?.arrayValue ?? []).map { f in
                    let level = f["level"]?.stringValue ?? ""
                    return Chart.Item(label: label(f["labels"]), value: (f["ratio"]?.doubleValue ?? 0) * 100,
                                      caption: percent(f["ratio"]?.doubleValue) + " " + t["level_" + level], color: Self.colors[level])
                }),
                missing: (o["missing"]?.arrayValue ?? []).map { m in
                    "\(label(m["groupLabels"])): \(label(m["labels"])) \(t["missing_in"]) \(m["count"]?.intValue ?? 0)"
                } + (o["invalidPhones"]?.arrayValue ?? []).map { p in "\(label(p["labels"])) \(t["invalid_phones"]) \(p["count"]?.intValue ?? 0)" },
                duplicateRate: o["duplicateRate"]?.doubleValue.map { String(format: "%.1f%%", $0 * 100) },
                registry: registry.isNull ? nil : Object.Registry(never: registry["never"]?.intValue ?? 0, stale: registry["stale"]?.intValue ?? 0,
                                                                  closed: registry["closed"]?.intValue ?? 0))
        }
        return Context(title: t["data_health"], objects: objects, red: percent(red), yellow: percent(yellow),
                       generatedAt: String((report["generatedAt"]?.stringValue ?? "").prefix(16)).replacingOccurrences(of: "T", with: " "),
                       settings: settings.map { settingsForm($0, t) })
    }

    func settingsForm(_ s: Settings, _ t: Strings) -> SettingsForm {
        func value(_ key: String) -> String? { s.input?.last { $0.0 == key }?.1 }
        let chosen = Set(s.input.map { $0.filter { $0.0 == "recipient" }.map(\.1) } ?? s.current.recipients.map(\.text))
        func recipient(_ value: String, _ text: String) -> SettingsForm.Recipient {
            SettingsForm.Recipient(value: value, text: text, checked: chosen.contains(value), id: "hr-" + value.replacingOccurrences(of: ":", with: "-"))
        }
        return SettingsForm(
            csrf: s.csrf, hasErrors: !s.violations.isEmpty, errors: s.violations.map { "\($0.field): \(t.violation($0))" },
            red: value("red") ?? String(Int((s.current.thresholds.red * 100).rounded())),
            yellow: value("yellow") ?? String(Int((s.current.thresholds.yellow * 100).rounded())),
            cron: value("cron") ?? s.current.cron,
            recipients: Role.allCases.map { recipient("role:" + $0.rawValue, t["role_" + $0.rawValue]) }
                + s.users.filter { $0.status == .active }.map { recipient("user:" + $0.id, $0.name) }
                + s.channels.map { recipient("channel:" + $0, t["channel"] + " " + $0) })
    }
}
