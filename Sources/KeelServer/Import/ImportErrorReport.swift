import CSV
import Foundation
import KeelCore

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

    public func data() -> Data {
        writer.stream.close()
        return Data([0xEF, 0xBB, 0xBF]) + (stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data())
    }
}
