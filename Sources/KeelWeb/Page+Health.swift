import KeelCore

/// The master-data health page: per object its completeness, a bar per field coloured by level, the duplicate rate
/// of the last batch run, what required groups miss, and for accounts the state of their registry data.
public struct HealthPage {
    /// `HealthReports.report`'s result.
    public var report: JSONValue

    public init(report: JSONValue) {
        self.report = report
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
                "name": name, "records": Int(o["records"]?.numberValue ?? 0), "completeness": percent(o["completeness"]?.numberValue),
                "level": o["level"]?.stringValue ?? "", "levelText": t["level_" + (o["level"]?.stringValue ?? "")],
                "svg": Chart.bar(title: t["completeness"] + " · " + name, items: fields.map { f in
                    let level = f["level"]?.stringValue ?? ""
                    return Chart.Item(label: label(f["labels"]), value: (f["ratio"]?.numberValue ?? 0) * 100,
                                      caption: percent(f["ratio"]?.numberValue) + " " + t["level_" + level], color: Self.colors[level])
                }),
                "missing": (o["missing"]?.arrayValue ?? []).map { m in
                    "\(label(m["groupLabels"])): \(label(m["labels"])) \(t["missing_in"]) \(Int(m["count"]?.numberValue ?? 0))"
                },
            ]
            if let rate = o["duplicateRate"]?.numberValue { item["duplicateRate"] = String(format: "%.1f%%", rate * 100) }
            if let registry = o["registry"], !registry.isNull {
                item["registry"] = ["never": Int(registry["never"]?.numberValue ?? 0), "stale": Int(registry["stale"]?.numberValue ?? 0),
                                    "closed": Int(registry["closed"]?.numberValue ?? 0)]
            }
            return item
        }
        return ["title": t["data_health"], "objects": objects, "red": percent(red), "yellow": percent(yellow),
                "generatedAt": String((report["generatedAt"]?.stringValue ?? "").prefix(16)).replacingOccurrences(of: "T", with: " ")]
    }
}
