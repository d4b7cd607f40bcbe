import Foundation
import ZIPFoundation

/// Writes a one-sheet Excel workbook (.xlsx) row by row: the sheet's XML goes to a temporary file as rows come (memory
/// stays bounded), then the parts are zipped into the workbook. Text is written as inline strings and numbers as numbers;
/// text a spreadsheet would take for a formula when edited (`=`, `+`, `-`, `@`, tab, CR first) carries Excel's hidden
/// quote prefix, so it stays text.
public final class XLSXWriter {
    public enum Cell: Sendable {
        case text(String)
        case number(Decimal)
    }

    let sheetName: String
    let sheet = TemporaryFile()
    let handle: FileHandle
    var buffer = "", rows = 0

    /// `sheetName` is cut to Excel's 31 characters, without the characters a sheet name may not hold.
    public init(sheetName: String) throws {
        let cleaned = String(sheetName.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        self.sheetName = cleaned.isEmpty ? "Sheet1" : cleaned
        FileManager.default.createFile(atPath: sheet.path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: sheet.path) else {
            throw KeelError(.internalError, code: "file_not_stored", message: "The workbook could not be written.")
        }
        self.handle = handle
        buffer = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#
    }

    deinit { try? handle.close() }

    public func add(_ cells: [Cell]) throws {
        rows += 1
        buffer += "<row r=\"\(rows)\">"
        for (i, cell) in cells.enumerated() {
            let reference = Self.column(i) + String(rows)
            switch cell {
            case .number(let n) where !n.isNaN:
                buffer += "<c r=\"\(reference)\"><v>\(n)</v></c>"
            case .number:
                break
            case .text(let text) where text.isEmpty:
                break
            case .text(let text):
                let guarded = text.first.map { SpreadsheetCell.triggers.contains($0) } ?? false
                buffer += "<c r=\"\(reference)\" t=\"inlineStr\"\(guarded ? " s=\"1\"" : "")><is><t xml:space=\"preserve\">\(Self.escaped(text))</t></is></c>"
            }
        }
        buffer += "</row>"
        if buffer.utf8.count > 1 << 20 { try flush() }
    }

    /// Zips the workbook into `path`.
    public func finish(to path: String) throws {
        buffer += "</sheetData></worksheet>"
        try flush()
        try handle.close()
        try? FileManager.default.removeItem(atPath: path)
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .create)
        for (name, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: name, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        let sheetURL = URL(fileURLWithPath: sheet.path)
        let size = (try FileManager.default.attributesOfItem(atPath: sheet.path)[.size] as? Int64) ?? 0
        let reader = try FileHandle(forReadingFrom: sheetURL)
        defer { try? reader.close() }
        try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: size, compressionMethod: .deflate) { position, chunk in
            try reader.seek(toOffset: UInt64(position))
            return try reader.read(upToCount: chunk) ?? Data()
        }
    }

    func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer = ""
    }

    var parts: [(String, String)] {
        let xml = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#
        return [
            ("[Content_Types].xml", xml + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>"#),
            ("_rels/.rels", xml + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
            ("xl/workbook.xml", xml + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name=""# + Self.escaped(sheetName) + #"" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
            ("xl/_rels/workbook.xml.rels", xml + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#),
            ("xl/styles.xml", xml + #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#),
        ]
    }

    /// `A` for 0, `AA` for 26.
    static func column(_ index: Int) -> String {
        var n = index + 1, out = ""
        while n > 0 {
            let r = (n - 1) % 26
            out = String(UnicodeScalar(UInt8(65 + r))) + out
            n = (n - 1) / 26
        }
        return out
    }

    /// Text as XML holds it; characters XML 1.0 cannot hold (control characters other than tab and line breaks) are left out.
    static func escaped(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20, scalar.value != 0xFFFE, scalar.value != 0xFFFF { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }
}
