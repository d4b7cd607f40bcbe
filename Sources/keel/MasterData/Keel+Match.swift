import ArgumentParser
import CSV
import Foundation
import KeelCore
import KeelMatching

/// `keel match`: the matching engine on any CSV, to clean a spreadsheet before importing it.
struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find duplicate rows in a CSV file: writes id,cluster_id,score,review for every row.",
        discussion: """
        Column roles are read from the headers (name, given-name, surname, company, phone, email, address, city, state, \
        postcode, date, id-number, credit-code, number, text); give or correct them with --field column:role, or \
        --field column:ignore. Rows in one cluster are the same entity; cluster_id is the id of the cluster's first row; \
        score is the highest match probability linking the row to its cluster (0 for a row that stands alone); review is \
        1 for a row with little evidence (no credit code, ID number or region) that matched two entities and was put \
        with the closer one. Rows with different credit codes, ID numbers or regions are never put together.
        """)

    @Argument(help: "The CSV file (UTF-8, first line the headers).") var file: String
    @Option(help: "The column holding each row's id.") var id: String
    @Option(help: "Where to write id,cluster_id,score,review.") var out: String
    @Option(name: .customLong("field"), help: "column:role, repeatable.") var fields: [String] = []
    @Option(help: "Match probability from which rows are put together (0–1).") var threshold = MatchThresholds.standard.review

    func validate() throws {
        guard (0.0...1.0).contains(threshold), threshold > 0 else { throw ValidationError("--threshold must be above 0 and at most 1.") }
    }

    /// Bad input (an unreadable, empty or ragged file, an unknown column or role) is said in one line on stderr, and the
    /// command exits with status 2, nothing written.
    func run() throws {
        do {
            try match()
        } catch let error as ValidationError {
            FileHandle.standardError.write("keel match: \(error.message)\n")
            throw ExitCode(2)
        }
    }

    func match() throws {
        let table = try CSVTable(path: file)
        guard let idColumn = table.header.firstIndex(of: id) else {
            throw ValidationError("\(file) has no column \"\(id)\"; its columns are: \(table.header.joined(separator: ", ")).")
        }
        let roles = try roles(for: table.header, idColumn: idColumn)
        var described: [String] = []
        for (column, role) in zip(table.header, roles) where role != .ignore { described.append("\(column)=\(role.rawValue)") }
        guard !described.isEmpty else {
            throw ValidationError("No column of \(file) has a role to match on; give them with --field column:role.")
        }
        guard described.count <= Deduplicator.maxFields else {
            throw ValidationError("At most \(Deduplicator.maxFields) columns can be matched on; mark the others --field column:ignore.")
        }
        FileHandle.standardError.write("keel match: \(table.rows.count) rows; \(described.joined(separator: ", "))\n")
        let result = Deduplicator(roles: roles, thresholds: MatchThresholds(autoMerge: max(threshold, MatchThresholds.standard.autoMerge), review: threshold))
            .run(table.rows) { stage in FileHandle.standardError.write("keel match: \(stage.description)\n") }
        let ids = table.rows.map { $0[idColumn] }
        try CSVTable.write(to: out, header: ["id", "cluster_id", "score", "review"], rows: ids.indices.map { i in
            [ids[i], ids[result.cluster[i]], String(format: "%.4f", result.score[i]), result.review[i] ? "1" : "0"]
        })
        let clustered = result.cluster.indices.filter { result.score[$0] > 0 }.count
        FileHandle.standardError.write("keel match: \(clustered) of \(ids.count) rows have a duplicate; wrote \(out)\n")
    }

    /// Roles from the headers, overridden by --field; the id column is never matched on.
    func roles(for header: [String], idColumn: Int) throws -> [FieldRole] {
        var roles = header.map { FieldRole.detect(header: $0) ?? .ignore }
        for given in fields {
            let parts = given.split(separator: ":", maxSplits: 1).map(String.init)
            guard parts.count == 2, let column = header.firstIndex(of: parts[0]) else {
                throw ValidationError("--field \(given): expected column:role with a column of the file (\(header.joined(separator: ", "))).")
            }
            guard let role = FieldRole(rawValue: parts[1]) else {
                throw ValidationError("--field \(given): unknown role \"\(parts[1])\"; roles are \(FieldRole.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            roles[column] = role
        }
        roles[idColumn] = .ignore
        return roles
    }
}

/// A CSV file read whole: the header and the rows, every one as wide as the header (a ragged file is refused: a
/// missing or extra comma shifts every value after it into the wrong column).
struct CSVTable {
    var header: [String]
    var rows: [[String]]

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("Cannot read \(path).") }
        guard var text = String(data: data, encoding: .utf8) else { throw ValidationError("\(path) is not UTF-8 text; save it as CSV UTF-8.") }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ValidationError("\(path) is empty: the first line must hold the column names.")
        }
        do {
            let reader = try CSVReader(string: text, hasHeaderRow: true)
            header = reader.headerRow ?? []
            guard header.contains(where: { !$0.isEmpty }) else { throw ValidationError("\(path) is empty: the first line must hold the column names.") }
            var rows: [[String]] = []
            var ragged: [String] = []
            while let row = reader.next() {
                if row.count != header.count { ragged.append("line \(rows.count + 2) has \(row.count)") }
                rows.append(row)
            }
            if let error = reader.error { throw ValidationError("\(path) is not valid CSV: \(error).") }
            guard ragged.isEmpty else {
                throw ValidationError("\(path) has rows of another width than its header (\(header.count) columns): "
                                      + ragged.prefix(5).joined(separator: ", ") + (ragged.count > 5 ? " and \(ragged.count - 5) more" : "") + ".")
            }
            guard !rows.isEmpty else { throw ValidationError("\(path) has a header but no rows.") }
            self.rows = rows
        } catch let error as CSVError {
            throw ValidationError("\(path) is not valid CSV: \(error).")
        }
    }

    /// Writes the whole file at once (atomically: a failed run never leaves half a file).
    static func write(to path: String, header: [String], rows: [[String]]) throws {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream)
        try writer.write(row: header)
        for row in rows { try writer.write(row: row.map(SpreadsheetCell.text)) }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ValidationError("Cannot write \(path): \(error.localizedDescription)")
        }
    }
}

extension Deduplicator.Stage: CustomStringConvertible {
    public var description: String {
        switch self {
        case .prepared(let rows): "normalised \(rows) rows"
        case .blocked(let pairs): "\(pairs) candidate pairs"
        case .compared(let done, let total): "compared \(done) of \(total) pairs"
        case .trained: "learned match weights (EM)"
        case .clustered(let clusters): "\(clusters) clusters"
        }
    }
}

extension FileHandle {
    func write(_ text: String) { write(Data(text.utf8)) }
}
