import KeelCore

/// The review queue of duplicate clusters a batch run found: each with its records, its score and the evidence
/// (which fields matched how), to merge into a chosen record or mark "not duplicates".
public struct DuplicatesPage {
    public var object: ObjectDefinition
    /// The newest run (`DedupService.queue`'s `run`), and the open clusters with their records.
    public var queue: JSONValue
    public var canRun: Bool

    public init(object: ObjectDefinition, queue: JSONValue, canRun: Bool) {
        self.object = object
        self.queue = queue
        self.canRun = canRun
    }

    public func context(_ t: Strings, csrf: String) -> [String: Any] {
        let lang = t.language
        let run = queue["run"] ?? .null
        let base = "/o/\(object.name)/duplicates"
        var context: [String: Any] = ["title": t["duplicate_review"] + " · " + lang.label(object.labels), "csrf": csrf, "canRun": canRun,
                                      "runAction": base + "/run", "open": (queue["open"]?.intValue ?? 0)]
        if !run.isNull {
            let stats = run["stats"] ?? .null
            context["run"] = [
                "status": t["run_" + (run["status"]?.stringValue ?? "")], "done": (run["done"]?.intValue ?? 0), "total": (run["total"]?.intValue ?? 0),
                "at": String((run["createdAt"]?.stringValue ?? "").prefix(16)).replacingOccurrences(of: "T", with: " "),
                "finished": run["status"] == "done", "records": (stats["records"]?.intValue ?? 0),
                "clusters": (stats["clusters"]?.intValue ?? 0),
                "rate": String(format: "%.1f%%", (stats["duplicateRate"]?.numberValue ?? 0) * 100), "error": run["error"]?.stringValue ?? "",
            ] as [String: Any]
        }
        let shown = ["name", "credit_code", "phone", "mobile", "email", "city", "company", "title"].compactMap(object.field)
        context["clusters"] = (queue["data"]?.arrayValue ?? []).map { cluster -> [String: Any] in
            let id = cluster["id"]?.stringValue ?? ""
            let records = cluster["records"]?.arrayValue ?? []
            let names = Dictionary(records.compactMap { r in r["id"]?.stringValue.map { ($0, r["name"]?.stringValue ?? $0) } }, uniquingKeysWith: { a, _ in a })
            return [
                "score": Int(((cluster["score"]?.numberValue ?? 0) * 100).rounded(.down)),
                "mergeAction": "\(base)/\(id)/merge", "distinctAction": "\(base)/\(id)/distinct",
                "records": records.enumerated().map { i, r -> [String: Any] in
                    let rid = r["id"]?.stringValue ?? ""
                    return ["id": rid, "inputID": "s-\(id)-\(rid)", "first": i == 0, "hidden": r["_hidden"] == true,
                            "href": "/o/\(object.name)/\(rid)", "name": names[rid] ?? rid,
                            "details": shown.dropFirst().compactMap { r[$0.name]?.stringValue }.joined(separator: " · ")]
                },
                "evidence": (cluster["evidence"]?.arrayValue ?? []).map { pair -> String in
                    let fields = (pair["fields"]?.arrayValue ?? []).map { f in
                        (object.field(f["field"]?.stringValue ?? "").map { lang.label($0.labels) } ?? "") + ": " + t["match_" + (f["match"]?.stringValue ?? "")]
                    }
                    return "\(names[pair["a"]?.stringValue ?? ""] ?? "") ↔ \(names[pair["b"]?.stringValue ?? ""] ?? "") (\(Int(((pair["score"]?.numberValue ?? 0) * 100).rounded(.down)))%): "
                        + fields.joined(separator: "，")
                },
            ]
        }
        return context
    }
}
