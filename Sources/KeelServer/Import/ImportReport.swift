import CSV
import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// A part of an import's report as CSV — its problems, or its duplicate rows — UTF-8 with a BOM so spreadsheet programs
/// read Chinese right; cell text a spreadsheet would run as a formula is neutralised.
public struct ImportReport {
    /// The problems' columns: one line per problem.
    static let errorHeader = ["row", "column", "value", "field", "code", "reason"]

    let stream = OutputStream(toMemory: ())
    let writer: CSVWriter

    init(header: [String]) throws {
        stream.open()
        writer = try CSVWriter(stream: stream, codecType: UTF8.self, delimiter: ",", newline: .crlf)
        try writer.write(row: header)
    }

    func add(_ cells: [String]) throws {
        try writer.write(row: cells.map(SpreadsheetCell.text))
    }

    /// Every problem of import `id`, read page by page.
    public static func errors(_ id: String, imports: Imports, as principal: Principal) async throws -> Data {
        let report = try ImportReport(header: errorHeader)
        try await each(of: id, [.failed], imports: imports, as: principal) { rows in
            for row in rows {
                for p in row.problems { try report.add([String(row.row), p.column ?? "", p.value ?? "", p.field ?? "", p.code, p.message]) }
            }
        }
        return report.data()
    }

    /// Import `id`'s rows with these outcomes, a page at a time, in the order of the file.
    static func each(of id: String, _ outcomes: [ImportOutcome], imports: Imports, as principal: Principal,
                     _ body: ([ImportRowResult]) async throws -> Void) async throws {
        var after = 0
        while case let page = try await imports.rows(id, after: after, outcomes: outcomes, as: principal), let last = page.last {
            try await body(page)
            after = last.row
        }
    }

    /// Import `id`'s problems as a download.
    static func errorsResponse(_ id: String, imports: Imports, as principal: Principal) async throws -> Response {
        response(try await errors(id, imports: imports, as: principal), filename: "import-\(id)-errors.csv")
    }

    /// A report as a download.
    static func response(_ data: Data, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                        .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    func data() -> Data {
        writer.stream.close()
        // CSV.swift writes a line break before each row after the first, none after the last.
        return Data([0xEF, 0xBB, 0xBF]) + (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()) + Data("\r\n".utf8)
    }
}
