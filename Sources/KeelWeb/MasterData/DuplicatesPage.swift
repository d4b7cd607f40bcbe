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

    struct Run {
        var status: String
        var done, total: Int
        var at: String
        var finished: Bool
        var records, clusters: Int
        var rate, error: String
    }

    struct Cluster {
        struct Member {
            var id, inputID: String
            var first, hidden: Bool
            var href, name, details: String
        }

        var score: Int
        var mergeAction, distinctAction: String
        var records: [Member]
        /// Per pair of records: which fields matched how.
        var evidence: [String]
    }

    public struct Context: PageContext {
        public static let template = Template.duplicates

        var title, csrf: String
        var canRun: Bool
        var runAction: String
        var open: Int
        var run: Run?
        var clusters: [Cluster]
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let lang = t.language
        let run = queue["run"] ?? .null
        let base = "/o/\(object.name)/duplicates"
        let stats = run["stats"] ?? .null
        let shown = ["name", "credit_code", "phone", "mobile", "email", "city", "company", "title"].compactMap(object.field)
        func percent(_ score: JSONValue?) -> Int { Int(((score?.doubleValue ?? 0) * 100).rounded(.down)) }
        return Context(
            title: t["duplicate_review"] + " · " + lang.label(object.labels), csrf: csrf, canRun: canRun, runAction: base + "/run",
            open: queue["open"]?.intValue ?? 0,
            run: run.isNull ? nil : Run(
                status: t["run_" + (run["status"]?.stringValue ?? "")], done: run["done"]?.intValue ?? 0, total: run["total"]?.intValue ?? 0,
                at: t.time(run["createdAt"]?.stringValue ?? ""),
                finished: run["status"] == "done", records: stats["records"]?.intValue ?? 0, clusters: stats["clusters"]?.intValue ?? 0,
                rate: String(format: "%.1f%%", (stats["duplicateRate"]?.doubleValue ?? 0) * 100), error: run["error"]?.stringValue ?? ""),
            clusters: (queue["data"]?.arrayValue ?? []).map { cluster in
                let id = cluster["id"]?.stringValue ?? ""
                let records = cluster["records"]?.arrayValue ?? []
                let names = Dictionary(records.compactMap { r in r["id"]?.stringValue.map { ($0, r["name"]?.stringValue ?? $0) } }, uniquingKeysWith: { a, _ in a })
                return Cluster(
                    score: percent(cluster["score"]), mergeAction: "\(base)/\(id)/merge", distinctAction: "\(base)/\(id)/distinct",
                    records: records.enumerated().map { i, r in
                        let rid = r["id"]?.stringValue ?? ""
                        return Cluster.Member(id: rid, inputID: "s-\(id)-\(rid)", first: i == 0, hidden: r["_hidden"] == true,
                                              href: "/o/\(object.name)/\(rid)", name: names[rid] ?? rid,
                                              details: shown.dropFirst().compactMap { r[$0.name]?.stringValue }.joined(separator: " · "))
                    },
                    evidence: (cluster["evidence"]?.arrayValue ?? []).map { pair in
                        let fields = (pair["fields"]?.arrayValue ?? []).map { f in
                            (object.field(f["field"]?.stringValue ?? "").map { lang.label($0.labels) } ?? "") + ": " + t["match_" + (f["match"]?.stringValue ?? "")]
                        }
                        return "\(names[pair["a"]?.stringValue ?? ""] ?? "") ↔ \(names[pair["b"]?.stringValue ?? ""] ?? "") (\(percent(pair["score"]))%): "
                            + fields.joined(separator: "，")
                    })
            })
    }
}
