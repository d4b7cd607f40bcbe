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

    public func context(_ t: Strings) -> [String: Any] {
        let lang = t.language
        func label(_ json: JSONValue?) -> String { lang == .en ? json?["en"]?.stringValue ?? "" : json?["zh-CN"]?.stringValue ?? "" }
        func percent(_ x: Double?) -> String { "\(Int(((x ?? 0) * 100).rounded()))%" }
        let red = report["thresholds"]?["red"]?.numberValue ?? 0.6, yellow = report["thresholds"]?["yellow"]?.numberValue ?? 0.85
        let objects = (report["objects"]?.arrayValue ?? []).filter { ($0["records"]?.numberValue ?? 0) > 0 }.map { o -> [String: Any] in
            let name = label(o["labels"])
            let fields = o["fields"]?.arrayValue ?? []
            var item: [String: Any] = [
                "name": name, "records": (o["records"]?.intValue ?? 0), "completeness": percent(o["completeness"]?.numberValue),
                "level": o["level"]?.stringValue ?? "", "levelText": t["level_" + (o["level"]?.stringValue ?? "")],
                "svg": Chart.bar(title: t["completeness"] + " · " + name, items: fields.map { f in
                    let level = f["level"]?.stringValue ?? ""
                    return Chart.Item(label: label(f["labels"]), value: (f["ratio"]?.numberValue ?? 0) * 100,
                                      caption: percent(f["ratio"]?.numberValue) + " " + t["level_" + level], color: Self.colors[level])
                }),
                "missing": (o["missing"]?.arrayValue ?? []).map { m in
                    "\(label(m["groupLabels"])): \(label(m["labels"])) \(t["missing_in"]) \((m["count"]?.intValue ?? 0))"
                },
            ]
            if let rate = o["duplicateRate"]?.numberValue { item["duplicateRate"] = String(format: "%.1f%%", rate * 100) }
            if let registry = o["registry"], !registry.isNull {
                item["registry"] = ["never": (registry["never"]?.intValue ?? 0), "stale": (registry["stale"]?.intValue ?? 0),
                                    "closed": (registry["closed"]?.intValue ?? 0)]
            }
            return item
        }
        var context: [String: Any] = ["title": t["data_health"], "objects": objects, "red": percent(red), "yellow": percent(yellow),
                                      "generatedAt": String((report["generatedAt"]?.stringValue ?? "").prefix(16)).replacingOccurrences(of: "T", with: " ")]
        if let settings { context["settings"] = settingsContext(settings, t) }
        return context
    }

    func settingsContext(_ s: Settings, _ t: Strings) -> [String: Any] {
        func value(_ key: String) -> String? { s.input?.last { $0.0 == key }?.1 }
        let chosen = Set(s.input.map { $0.filter { $0.0 == "recipient" }.map(\.1) } ?? s.current.recipients.map(\.text))
        func option(_ value: String, _ text: String) -> [String: Any] { ["value": value, "text": text, "checked": chosen.contains(value), "id": "hr-" + value.replacingOccurrences(of: ":", with: "-")] }
        return [
            "csrf": s.csrf, "hasErrors": !s.violations.isEmpty, "errors": s.violations.map { "\($0.field): \(t.violation($0))" },
            "red": value("red") ?? String(Int((s.current.thresholds.red * 100).rounded())),
            "yellow": value("yellow") ?? String(Int((s.current.thresholds.yellow * 100).rounded())),
            "cron": value("cron") ?? s.current.cron,
            "recipients": Role.allCases.map { option("role:" + $0.rawValue, t["role_" + $0.rawValue]) }
                + s.users.filter { $0.status == .active }.map { option("user:" + $0.id, $0.name) }
                + s.channels.map { option("channel:" + $0, t["channel"] + " " + $0) },
        ]
    }
}
