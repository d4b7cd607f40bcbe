import CSV
import Foundation
import Hummingbird
import KeelCore
import KeelEngine

extension RecordExport {
    /// The export as a download in `format` (`csv`, the default, or `xlsx`), watermarked in a header too.
    func response(format: String?) async throws -> Response {
        switch format ?? "csv" {
        case "csv": return csvResponse()
        case "xlsx": return try await xlsxResponse()
        default:
            throw KeelError.validation([Violation(field: "format", code: "invalid_option", message: "format is csv or xlsx.")])
        }
    }

    func headers(type: String, filename: String) -> HTTPFields {
        [.contentType: type, .cacheControl: "no-store", .contentDisposition: "attachment; filename=\"\(filename)\"", .keelWatermark: watermark]
    }

    /// The field names written as the header, `id` first.
    var names: [String] { ["id"] + object.fields.map(\.name) }

    /// A record's value as a cell: masked fields as `***`, numbers as numbers, everything else as its text.
    func cells(_ record: Record) -> [XLSXWriter.Cell] {
        names.map { name in
            if record.masked.contains(name) { return .text("***") }
            switch name == "id" ? .string(record.id) : record.value(name) {
            case .null: return .text("")
            case .string(let s): return .text(s)
            case .number(let n): return .number(n)
            case .bool(let b): return .text(b ? "true" : "false")
            case let v: return .text(v.canonicalText())
            }
        }
    }

    /// CSV (UTF-8 with BOM, so spreadsheet programs read Chinese right), written as the pages are read: a first line
    /// with the watermark, then a header of field names, then one row per record; masked fields are written as `***`,
    /// and text a spreadsheet would run as a formula is neutralised.
    func csvResponse() -> Response {
        Response(status: .ok, headers: headers(type: "text/csv; charset=utf-8", filename: "\(object.name)-\(id).csv"), body: ResponseBody { writer in
            try await writer.write(ByteBuffer(bytes: [0xEF, 0xBB, 0xBF] + Self.csv([["# " + watermark], names])))
            while let page = try await pages.next() {
                let rows = page.map { record in
                    cells(record).map { cell -> String in
                        switch cell {
                        case .text(let s): SpreadsheetCell.text(s)
                        case .number(let n): n.description
                        }
                    }
                }
                try await writer.write(ByteBuffer(bytes: Self.csv(rows)))
            }
            try await writer.finish(nil)
        })
    }

    /// Rows as CSV lines, each ending in CR LF (CSV.swift writes the break before a row, not after it).
    static func csv(_ rows: [[String]]) -> [UInt8] {
        let stream = OutputStream(toMemory: ())
        stream.open()
        guard let writer = try? CSVWriter(stream: stream, codecType: UTF8.self, delimiter: ",", newline: .crlf) else { return [] }
        for row in rows { try? writer.write(row: row) }
        writer.stream.close()
        return [UInt8](stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()) + (rows.isEmpty ? [] : [0x0D, 0x0A])
    }

    /// An Excel workbook: the watermark in the first row, the field names in the second, a record per row; written to a
    /// temporary file as the pages are read, then sent as it is read back.
    func xlsxResponse() async throws -> Response {
        let writer = try XLSXWriter(sheetName: object.name)
        try writer.add([.text(watermark)])
        try writer.add(names.map(XLSXWriter.Cell.text))
        while let page = try await pages.next() {
            for record in page { try writer.add(cells(record)) }
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-export-\(id).xlsx").path
        try writer.finish(to: path)
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw KeelError(.internalError, code: "export_failed", message: "The workbook could not be read back.")
        }
        try? FileManager.default.removeItem(atPath: path)
        let size = Int((try? handle.seekToEnd()) ?? 0)
        try handle.seek(toOffset: 0)
        return Response(status: .ok, headers: headers(type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", filename: "\(object.name)-\(id).xlsx"),
                        body: ResponseBody(contentLength: size) { body in
            defer { try? handle.close() }
            while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty { try await body.write(ByteBuffer(bytes: data)) }
            try await body.finish(nil)
        })
    }
}
