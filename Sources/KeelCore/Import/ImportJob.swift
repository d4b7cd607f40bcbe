/// One import of a file into an object: its plan, how far it has come (rows are committed in batches; `lastRow` is the
/// spreadsheet row up to which every row is done, so a restart goes on from there and never writes a row twice), its
/// counts, and — when the file itself could not be read — why.
public struct ImportJob: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// Waiting for a worker, or interrupted and waiting to go on.
        case pending
        case running
        /// Every row was tried (some may have failed: see the counts).
        case done
        /// The file could not be read; nothing was written.
        case failed
        /// Being taken back (in the background; interrupted, it goes on at the next start).
        case reverting
        /// Taken back.
        case reverted
    }

    public var id: String
    public var object: String
    public var filename: String
    /// Where the file is read from (a path given to the CLI, or the copy of an upload under the files folder).
    public var path: String
    public var sha256: String
    public var plan: ImportPlan
    public var dryRun: Bool
    public var status: Status
    /// Data rows in the file.
    public var totalRows: Int
    /// Data rows done, and the spreadsheet row number of the last of them.
    public var doneRows: Int
    public var lastRow: Int
    public var counts: [ImportOutcome: Int]
    /// Why the file could not be read (`{"code", "message", "row"?}`).
    public var problem: JSONValue?
    public var createdBy: String
    public var createdAt: String
    public var finishedAt: String?
    public var revertedAt: String?
    public var revertedBy: String?
    /// What taking the import back did: `{"deleted", "restored", "kept": [{row, record, reason}]}`.
    public var revertReport: JSONValue?

    public init(id: String, object: String, filename: String, path: String, sha256: String, plan: ImportPlan, dryRun: Bool, status: Status = .pending,
                totalRows: Int = 0, doneRows: Int = 0, lastRow: Int = 1, counts: [ImportOutcome: Int] = [:], problem: JSONValue? = nil,
                createdBy: String, createdAt: String, finishedAt: String? = nil, revertedAt: String? = nil, revertedBy: String? = nil, revertReport: JSONValue? = nil) {
        (self.id, self.object, self.filename, self.path, self.sha256, self.plan, self.dryRun, self.status) = (id, object, filename, path, sha256, plan, dryRun, status)
        (self.totalRows, self.doneRows, self.lastRow, self.counts, self.problem) = (totalRows, doneRows, lastRow, counts, problem)
        (self.createdBy, self.createdAt, self.finishedAt, self.revertedAt, self.revertedBy) = (createdBy, createdAt, finishedAt, revertedAt, revertedBy)
        self.revertReport = revertReport
    }

    /// `created N, updated N, merged N, skipped N, failed N`.
    public var summary: String {
        ImportOutcome.allCases.map { "\($0.rawValue) \(counts[$0] ?? 0)" }.joined(separator: ", ")
    }

    public var json: JSONValue {
        var out: [String: JSONValue] = [
            "id": .string(id), "object": .string(object), "filename": .string(filename), "sha256": .string(sha256), "plan": plan.json,
            "dryRun": .bool(dryRun), "status": .string(status.rawValue), "totalRows": JSONValue(totalRows), "doneRows": JSONValue(doneRows),
            "counts": .object(Dictionary(uniqueKeysWithValues: ImportOutcome.allCases.map { ($0.rawValue, JSONValue(counts[$0] ?? 0)) })),
            "createdBy": .string(createdBy), "createdAt": .string(createdAt),
        ]
        if let problem { out["problem"] = problem }
        if let finishedAt { out["finishedAt"] = .string(finishedAt) }
        if let revertedAt { out["revertedAt"] = .string(revertedAt) }
        if let revertedBy { out["revertedBy"] = .string(revertedBy) }
        if let revertReport { out["revert"] = revertReport }
        return .object(out)
    }
}

/// What became of a row.
public enum ImportOutcome: String, Sendable, CaseIterable, Hashable {
    case created, updated, merged, skipped, failed

    /// What may become of a row that repeats a record (unless created anyway).
    public static let duplicates: [ImportOutcome] = [.skipped, .updated, .merged]
}

/// One row's result: its outcome, the record it made or matched, the fields it changed (old and new, so the import
/// can be taken back), and its problems — each with the column, the cell and the reason.
public struct ImportRowResult: Sendable, Equatable {
    public struct Problem: Sendable, Equatable {
        public var column: String?
        public var value: String?
        public var field: String?
        public var code: String
        public var message: String
        /// The values a reason's text carries (as a violation's: `invalid_phone` with `mobile_length`, 11, 5).
        public var args: [String]

        public init(column: String?, value: String?, field: String?, code: String, message: String, args: [String] = []) {
            (self.column, self.value, self.field, self.code, self.message, self.args) = (column, value, field, code, message, args)
        }

        /// The problem as a violation, to be put in words for a page.
        public var violation: Violation { Violation(field: field ?? "", code: code, message: message, args: args) }

        public var json: JSONValue {
            var out: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
            if !args.isEmpty { out["args"] = .array(args.map(JSONValue.string)) }
            if let column { out["column"] = .string(column) }
            if let value { out["value"] = .string(value) }
            if let field { out["field"] = .string(field) }
            return .object(out)
        }

        public init?(json: JSONValue) {
            guard let code = json["code"]?.stringValue, let message = json["message"]?.stringValue else { return nil }
            self.init(column: json["column"]?.stringValue, value: json["value"]?.stringValue, field: json["field"]?.stringValue, code: code, message: message,
                      args: json["args"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        }
    }

    public var row: Int
    public var outcome: ImportOutcome
    /// The record created or written (updated, merged), or the duplicate a skipped row matched.
    public var recordID: String?
    /// Why a row went to an existing record: the duplicate's id (for a created-anyway row too).
    public var matchedID: String?
    /// The record's version after this row's write.
    public var version: Int?
    /// Field → [old, new] for each field the row changed on an existing record.
    public var changes: [String: [JSONValue]]
    public var problems: [Problem]

    public init(row: Int, outcome: ImportOutcome, recordID: String? = nil, matchedID: String? = nil, version: Int? = nil,
                changes: [String: [JSONValue]] = [:], problems: [Problem] = []) {
        (self.row, self.outcome, self.recordID, self.matchedID, self.version, self.changes, self.problems) = (row, outcome, recordID, matchedID, version, changes, problems)
    }

    public var json: JSONValue {
        var out: [String: JSONValue] = ["row": JSONValue(row), "outcome": .string(outcome.rawValue)]
        if let recordID { out["record"] = .string(recordID) }
        if let matchedID { out["duplicateOf"] = .string(matchedID) }
        if !problems.isEmpty { out["problems"] = .array(problems.map(\.json)) }
        return .object(out)
    }
}
