import CSV
import Foundation
import Hummingbird
import KeelCore
import KeelEngine

extension RecordExport {
    /// The CSV as a download, watermarked in a header too.
    func response() throws -> Response {
        Response(status: .ok, headers: [
            .contentType: "text/csv; charset=utf-8", .cacheControl: "no-store",
            .contentDisposition: "attachment; filename=\"\(object.name)-\(id).csv\"", .keelWatermark: watermark,
        ], body: .init(byteBuffer: ByteBuffer(bytes: try csv())))
    }

    /// CSV (UTF-8 with BOM, so spreadsheet programs read Chinese right): a first line with the watermark, then a header
    /// of field names, then one row per record; masked fields are written as `***`, and text a spreadsheet would run
    /// as a formula is neutralised.
    func csv() throws -> Data {
        let stream = OutputStream(toMemory: ())
        stream.open()
        let writer = try CSVWriter(stream: stream, codecType: UTF8.self, delimiter: ",", newline: .crlf)
        let names = ["id"] + object.fields.map(\.name)
        try writer.write(row: ["# " + watermark])
        try writer.write(row: names)
        for record in records {
            try writer.write(row: names.map { name in
                if record.masked.contains(name) { return "***" }
                switch record.value(name) {
                case .null: return ""
                case .string(let s): return SpreadsheetCell.text(s)
                case .number(let n): return n.rounded() == n && abs(n) < 1e15 ? String(Int64(n)) : String(n)
                case .bool(let b): return b ? "true" : "false"
                case let v: return SpreadsheetCell.text(v.canonicalText())
                }
            })
        }
        writer.stream.close()
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        return Data([0xEF, 0xBB, 0xBF]) + data
    }
}
