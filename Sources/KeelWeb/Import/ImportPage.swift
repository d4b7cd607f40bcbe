import KeelCore

/// One import: its progress (the page reloads itself while it runs), its counts, the rows that failed with each reason
/// in words, the error report to download, and what may be done next — import for real after a dry run, or take it back.
public struct ImportPage: PageContext {
    public static let template = Template.importJob

    struct Problem {
        var row: Int
        var column, value, reason: String
    }

    /// A duplicate row as the reader reads it: what became of it, what it repeats (`href` links a record they may
    /// see) and the fields it changed.
    public struct Decision {
        public var row: Int
        public var outcome, matched: String
        var href: String?
        public var fields: String
    }

    struct Count {
        var label: String
        var value: Int
    }

    var id, filename, objectLabel, status, progressText: String
    var csrf: String
    var total, done: Int
    var running: Bool
    var runningHint: String
    var counts: [Count]
    var problems: [Problem]
    var hasProblems: Bool
    var moreProblems: String?
    var decisions: [Decision]
    var hasDecisions: Bool
    var moreDecisions: String?
    var fileProblem: String?
    var canRunForReal: Bool
    var canRevert: Bool
    var revertNotAllowed: Bool
    var reverted: String?
    var kept: [String]

    /// `problems`: the first rows that failed; `decisions`: the first duplicate rows (skipped, updated or merged), with
    /// the `names` of the records they matched, as far as the reader may know them, and `earlierRows`, the rows of the
    /// import that created them (a dry run's were never written); `revertible`: the import may still be taken back, `mayDelete`: by the
    /// reader; `upload`: its file is still there (after a dry run).
    public init(job: ImportJob, object: ObjectDefinition, problems: [ImportRowResult], decisions: [ImportRowResult], names: ReferenceNames,
                earlierRows: [String: Int], revertible: Bool, mayDelete: Bool, upload: Bool, csrf: String, _ t: Strings) {
        self.csrf = csrf
        (id, filename, objectLabel) = (job.id, job.filename, t.language.label(object.labels))
        status = ImportsPage.status(job, t)
        (total, done) = (job.totalRows, job.doneRows)
        running = [.pending, .running, .reverting].contains(job.status)
        runningHint = t[job.status == .reverting ? "import_reverting_hint" : "import_running_hint"]
        progressText = t["import_progress"].replacingOccurrences(of: "{1}", with: String(job.doneRows)).replacingOccurrences(of: "{2}", with: String(job.totalRows))
        counts = ImportOutcome.allCases.map { Count(label: t["import_" + $0.rawValue], value: job.counts[$0] ?? 0) }
        self.problems = problems.flatMap { r in
            r.problems.map { p in
                let field = p.field.flatMap(object.field).map { t.language.label($0.labels) }
                let reason = t.violation(p.violation)
                return Problem(row: r.row, column: p.column ?? "—", value: p.value ?? "—", reason: field.map { "\($0)：\(reason)" } ?? reason)
            }
        }
        hasProblems = !self.problems.isEmpty
        let failed = job.counts[.failed] ?? 0
        moreProblems = failed > problems.count ? t["import_more_problems"].replacingOccurrences(of: "{1}", with: String(failed)) : nil
        self.decisions = Self.decisions(decisions, object: object, names: names, earlierRows: earlierRows, t)
        hasDecisions = !decisions.isEmpty
        let repeated = ImportOutcome.duplicates.reduce(0) { $0 + (job.counts[$1] ?? 0) }
        moreDecisions = repeated > decisions.count ? t.format("import_more_decisions", String(repeated)) : nil
        fileProblem = job.problem.map { ImportsPage.fileProblem($0, t) }
        canRunForReal = job.dryRun && job.status == .done && upload
        let wrote = [ImportOutcome.created, .updated, .merged].contains { (job.counts[$0] ?? 0) > 0 }
        let open = !job.dryRun && job.status == .done && revertible && wrote
        canRevert = open && (mayDelete || (job.counts[.created] ?? 0) == 0)
        revertNotAllowed = open && !canRevert
        reverted = job.revertReport.map { r in
            t["import_reverted"].replacingOccurrences(of: "{1}", with: String(r["deleted"]?.intValue ?? 0))
                .replacingOccurrences(of: "{2}", with: String(r["restored"]?.intValue ?? 0))
                .replacingOccurrences(of: "{3}", with: String(r["kept"]?.arrayValue?.count ?? 0))
        }
        kept = (job.revertReport?["kept"]?.arrayValue ?? []).prefix(100).map { k in
            let reason = k["reason"]?.stringValue ?? ""
            return (t.text("import_kept_" + reason) ?? t["import_kept_other"]).replacingOccurrences(of: "{1}", with: String(k["row"]?.intValue ?? 0))
        }
    }

    /// Duplicate rows in words (on the page, and in the download of them all): `names` of the records they matched,
    /// as far as the reader may know them, and `earlierRows`, the rows of the import that created them.
    public static func decisions(_ rows: [ImportRowResult], object: ObjectDefinition, names: ReferenceNames, earlierRows: [String: Int],
                                 _ t: Strings) -> [Decision] {
        rows.map { r in
            let id = JSONValue.string(r.matchedID ?? ""), href = names.href(id)
            let matched = switch (href, r.matchedID.flatMap { earlierRows[$0] }) {
            case let (_?, row?): t.format("import_matched_earlier", names.text(id, t), String(row))
            case let (nil, row?): t.format("import_matched_row", String(row))
            case (_, nil): names.text(id, t)
            }
            let fields = r.changes.keys.compactMap(object.field).map { t.language.label($0.labels) }.sorted()
            return Decision(row: r.row, outcome: t["import_" + r.outcome.rawValue], matched: matched, href: href,
                            fields: fields.isEmpty ? "—" : fields.joined(separator: t.language == .zhCN ? "、" : ", "))
        }
    }
}
