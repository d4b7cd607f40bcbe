import KeelCore

/// 导入数据: the upload form (a CSV into an object) and the newest imports with their counts.
public struct ImportsPage: PageContext {
    public static let template = Template.imports

    struct Row {
        var href, filename, object, status, counts, when: String
    }

    struct Saved {
        var name, object, when, action: String
        var deletable: Bool
    }

    var objects: [Option]
    var presets: [Option]
    /// The saved mappings to start from (the first: match by headers), and as a list to delete from.
    var mappings: [Option]
    var saved: [Saved]
    var hasSaved: Bool
    var csrf: String
    var error: String?
    var rows: [Row]
    var hasRows: Bool

    /// `objects`: those the reader may import into; `error`: why the last upload was refused, in words.
    public init(objects: [ObjectDefinition], chosen: String?, jobs: [ImportJob], mappings saved: [SavedMapping], reader: Principal, error: String?, csrf: String,
                _ t: Strings) {
        self.csrf = csrf
        self.objects = objects.map { Option($0.name, t.language.label($0.labels), selected: $0.name == chosen) }
        presets = [Option("", t["import_preset_none"], selected: true)] + ImportPreset.allCases.map { Option($0.rawValue, t["import_preset_" + $0.rawValue], selected: false) }
        self.error = error
        let labels = Dictionary(objects.map { ($0.name, t.language.label($0.labels)) }) { a, _ in a }
        mappings = [Option("", t["import_mapping_auto"], selected: true)]
            + saved.map { Option($0.id, "\($0.name)（\(labels[$0.plan.object] ?? $0.plan.object)）", selected: false) }
        self.saved = saved.map { m in
            Saved(name: m.name, object: labels[m.plan.object] ?? m.plan.object, when: t.time(m.updatedAt), action: "/imports/mappings/\(m.id)/delete",
                  deletable: m.createdBy == reader.userID || reader.role == .admin)
        }
        hasSaved = !saved.isEmpty
        rows = jobs.map { job in
            Row(href: "/imports/\(job.id)", filename: job.filename, object: labels[job.object] ?? job.object, status: Self.status(job, t),
                counts: Self.counts(job, t), when: t.time(job.createdAt))
        }
        hasRows = !jobs.isEmpty
    }

    /// 进行中, 已完成, 试运行完成 …
    static func status(_ job: ImportJob, _ t: Strings) -> String {
        job.dryRun && job.status == .done ? t["import_status_dry_done"] : t["import_status_" + job.status.rawValue]
    }

    /// 新建 3 · 更新 1 · 失败 2 (outcomes with none left out).
    static func counts(_ job: ImportJob, _ t: Strings) -> String {
        let parts = ImportOutcome.allCases.compactMap { o in (job.counts[o] ?? 0) > 0 ? "\(t["import_" + o.rawValue]) \(job.counts[o]!)" : nil }
        return parts.isEmpty ? "—" : parts.joined(separator: " · ")
    }

    /// Why a file was refused or an import stopped (`{"code", "row"?, "headers"?, "message"}`), in the reader's words.
    public static func fileProblem(_ problem: JSONValue, _ t: Strings) -> String {
        guard let code = problem["code"]?.stringValue, let text = t.text("import_err_" + code) else { return problem["message"]?.stringValue ?? "" }
        let detail = problem["row"]?.intValue.map(String.init) ?? problem["headers"]?.arrayValue?.compactMap(\.stringValue).joined(separator: "、") ?? ""
        return text.replacingOccurrences(of: "{1}", with: detail)
    }
}
