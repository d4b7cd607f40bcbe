import CSV
import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// An import's problems as CSV, one line per problem — row, column, value, field, code, reason — UTF-8 with a BOM so
/// spreadsheet programs read Chinese right; cell text a spreadsheet would run as a formula is neutralised.
public struct ImportErrorReport {
    public static let header = ["row", "column", "value", "field", "code", "reason"]

    let stream = OutputStream(toMemory: ())
    let writer: CSVWriter

    public init() throws {
        stream.open()
        writer = try CSVWriter(stream: stream, codecType: UTF8.self, delimiter: ",", newline: .crlf)
        try writer.write(row: Self.header)
    }

    public func add(_ rows: [ImportRowResult]) throws {
        for row in rows {
            for p in row.problems {
                try writer.write(row: [String(row.row), p.column ?? "", p.value ?? "", p.field ?? "", p.code, p.message].map(SpreadsheetCell.text))
            }
        }
    }

    /// Every problem of import `id`, read page by page.
    public static func build(_ id: String, imports: Imports, as principal: Principal) async throws -> Data {
        let report = try ImportErrorReport()
        var after = 0
        while case let page = try await imports.rows(id, after: after, outcomes: [.failed], as: principal), let last = page.last {
            try report.add(page)
            after = last.row
        }
        return report.data()
    }

    /// Import `id`'s report as a download.
    static func response(_ id: String, imports: Imports, as principal: Principal) async throws -> Response {
        let data = try await build(id, imports: imports, as: principal)
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
                                               .contentDisposition: "attachment; filename=\"import-\(id)-errors.csv\""],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    public func data() -> Data {
        writer.stream.close()
        // CSV.swift writes a line break before each row after the first, none after the last.
        return Data([0xEF, 0xBB, 0xBF]) + (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()) + Data("\r\n".utf8)
    }
}
