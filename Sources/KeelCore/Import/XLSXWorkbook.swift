import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import ZIPFoundation

/// An Excel workbook (.xlsx) read without Excel: its sheets' names, and one sheet's rows written out as CSV text
/// (UTF-8, a line per spreadsheet row, empty lines for rows the sheet leaves out, so row numbers stay the sheet's), which
/// the import then reads like any CSV. The sheet's XML is parsed as a stream; shared strings are held in memory. A
/// workbook whose parts would unpack to more than `maxUnpacked` bytes, or that squeezes more than `maxRatio` to one
/// (a zip bomb), is refused before anything is unpacked.
struct XLSXWorkbook {
    static let maxUnpacked: UInt64 = 2 << 30
    static let maxRatio: UInt64 = 200

    let archive: Archive
    /// Sheet name → the path of its part in the archive, in the workbook's order.
    let sheets: [(name: String, path: String)]

    init(path: String) throws {
        let archive: Archive
        do {
            archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        } catch {
            throw KeelError(.unprocessable, code: "not_a_table", message: "This is a damaged ZIP archive, not a workbook.", details: ["kind": "a damaged ZIP archive"])
        }
        guard archive["xl/workbook.xml"] != nil else {
            throw KeelError(.unprocessable, code: "not_a_table", message: "This is a ZIP archive, not an Excel workbook.", details: ["kind": "a ZIP archive"])
        }
        var total: UInt64 = 0
        for entry in archive {
            total += entry.uncompressedSize
            if total > Self.maxUnpacked || entry.uncompressedSize > max(entry.compressedSize, 1) * Self.maxRatio && entry.uncompressedSize > 1 << 20 {
                throw KeelError(.unprocessable, code: "not_a_table", message: "This workbook would unpack to far more than it holds (a zip bomb); it is refused.",
                                details: ["kind": "a zip bomb"])
            }
        }
        self.archive = archive
        let workbook = try Self.parse(archive, "xl/workbook.xml", XMLCollector(elements: ["sheet"]))
        let relations = try Self.parse(archive, "xl/_rels/workbook.xml.rels", XMLCollector(elements: ["Relationship"]))
        let targets = Dictionary(relations.found.compactMap { a in a["Id"].flatMap { id in a["Target"].map { (id, $0) } } }) { a, _ in a }
        sheets = workbook.found.compactMap { a in
            guard let name = a["name"], let id = a["r:id"] ?? a.first(where: { $0.key.hasSuffix(":id") })?.value, let target = targets[id] else { return nil }
            return (name, target.hasPrefix("/") ? String(target.dropFirst()) : "xl/" + target)
        }
    }

    /// Writes sheet `name` (the first when nil) as CSV to `out`.
    func writeSheet(_ name: String?, to out: String) throws {
        guard let sheet = name.map({ n in sheets.first { $0.name == n } }) ?? sheets.first else {
            throw KeelError(.unprocessable, code: "unknown_sheet", message: "The workbook has no sheet \(name ?? ""); its sheets: \(sheets.map(\.name).joined(separator: ", ")).",
                            details: ["sheets": .array(sheets.map { .string($0.name) })])
        }
        let strings = archive["xl/sharedStrings.xml"] == nil ? [] : try Self.parse(archive, "xl/sharedStrings.xml", SharedStrings()).strings
        let xml = out + ".xml"
        defer { try? FileManager.default.removeItem(atPath: xml) }
        try Self.unpack(archive, sheet.path, to: xml)
        FileManager.default.createFile(atPath: out, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: out), let stream = InputStream(fileAtPath: xml) else {
            throw KeelError(.internalError, code: "file_unreadable", message: "The workbook's sheet could not be unpacked.")
        }
        defer { try? handle.close() }
        let writer = SheetWriter(strings: strings, handle: handle)
        let parser = XMLParser(stream: stream)
        parser.delegate = writer
        guard parser.parse(), writer.failure == nil else {
            throw writer.failure ?? KeelError(.unprocessable, code: "not_a_table", message: "The workbook's sheet is not readable XML.", details: ["kind": "a damaged workbook"])
        }
        try writer.flush()
    }

    /// Unpacks one part to a file, counting what it unpacks (a part that unpacks to more than it declared is refused).
    static func unpack(_ archive: Archive, _ path: String, to out: String) throws {
        guard let entry = archive[path] else {
            throw KeelError(.unprocessable, code: "not_a_table", message: "The workbook lacks its part \(path).", details: ["kind": "a damaged workbook"])
        }
        FileManager.default.createFile(atPath: out, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: out) else { throw KeelError(.internalError, code: "file_unreadable", message: "\(out) cannot be written.") }
        defer { try? handle.close() }
        var written: UInt64 = 0
        _ = try archive.extract(entry) { data in
            written += UInt64(data.count)
            guard written <= entry.uncompressedSize else {
                throw KeelError(.unprocessable, code: "not_a_table", message: "A part of the workbook unpacks to more than it declares (a zip bomb); it is refused.",
                                details: ["kind": "a zip bomb"])
            }
            try handle.write(contentsOf: data)
        }
    }

    /// Parses a (small) part in memory with `delegate`.
    static func parse<D: XMLParserDelegate>(_ archive: Archive, _ path: String, _ delegate: D) throws -> D {
        guard let entry = archive[path] else {
            throw KeelError(.unprocessable, code: "not_a_table", message: "The workbook lacks its part \(path).", details: ["kind": "a damaged workbook"])
        }
        var data = Data()
        _ = try archive.extract(entry) { chunk in
            data.append(chunk)
            guard UInt64(data.count) <= entry.uncompressedSize else {
                throw KeelError(.unprocessable, code: "not_a_table", message: "A part of the workbook unpacks to more than it declares (a zip bomb).", details: ["kind": "a zip bomb"])
            }
        }
        let parser = XMLParser(data: data)
        parser.delegate = delegate
        guard parser.parse() else {
            throw KeelError(.unprocessable, code: "not_a_table", message: "The workbook's \(path) is not readable XML.", details: ["kind": "a damaged workbook"])
        }
        return delegate
    }

    /// The attributes of every element with one of these names.
    final class XMLCollector: NSObject, XMLParserDelegate {
        let elements: Set<String>
        var found: [[String: String]] = []

        init(elements: Set<String>) { self.elements = elements }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            if elements.contains(name) { found.append(attributes) }
        }
    }

    /// The workbook's shared strings: each `<si>`'s text, its runs joined, phonetic guides left out.
    final class SharedStrings: NSObject, XMLParserDelegate {
        var strings: [String] = []
        var current = "", inText = false, inPhonetic = false

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch name {
            case "si": current = ""
            case "t": inText = !inPhonetic
            case "rPh": inPhonetic = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inText { current += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "si": strings.append(current)
            case "t": inText = false
            case "rPh": inPhonetic = false
            default: break
            }
        }
    }

    /// Writes a sheet's rows as CSV lines as the parser meets them: cells placed by their reference (`C5`), shared
    /// strings looked up, booleans as Excel shows them (TRUE/FALSE).
    final class SheetWriter: NSObject, XMLParserDelegate {
        let strings: [String]
        let handle: FileHandle
        var buffer = ""
        var row: [String] = []
        /// The header's width: Excel leaves a row's empty cells at its end out; they are written, so no row looks ragged.
        var width: Int?
        var rowNumber = 0, written = 0
        var column = 0, type = "", value = "", inValue = false
        var failure: KeelError?

        init(strings: [String], handle: FileHandle) { (self.strings, self.handle) = (strings, handle) }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
            switch name {
            case "row":
                rowNumber = attributes["r"].flatMap(Int.init) ?? rowNumber + 1
                row = []
            case "c":
                column = attributes["r"].map(Self.columnIndex) ?? row.count
                type = attributes["t"] ?? "n"
                value = ""
            case "v", "t":
                inValue = true
            default: break
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            if inValue { value += string }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "v", "t":
                inValue = false
            case "c":
                guard column < CSVTokenizer.columnLimit else {
                    failure = KeelError(.unprocessable, code: "too_many_columns", message: "Row \(rowNumber) has more than \(CSVTokenizer.columnLimit) columns.",
                                        details: ["row": JSONValue(rowNumber)])
                    parser.abortParsing()
                    return
                }
                let text: String
                switch type {
                case "s": text = Int(value).flatMap { $0 < strings.count ? strings[$0] : nil } ?? ""
                case "b": text = value == "1" ? "TRUE" : "FALSE"
                // Excel keeps a number as a double and may write it out to 17 digits (33.33 as 33.329999999999998):
                // a fraction reads as the double's shortest text, the number the sheet shows. Whole numbers stay as
                // written (an 18-digit code must not pass through a double).
                case "n" where value.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }):
                    text = Double(value).flatMap { JSONValue($0).numberValue?.description } ?? value
                default: text = value
                }
                while row.count < column { row.append("") }
                if row.count == column { row.append(text) } else { row[column] = text }
            case "row":
                // Rows the sheet leaves out are blank lines, so the numbers stay the sheet's.
                while written + 1 < rowNumber {
                    buffer += "\r\n"
                    written += 1
                }
                if let width, row.count < width { row += Array(repeating: "", count: width - row.count) }
                if width == nil { width = row.count }
                buffer += row.map(Self.quoted).joined(separator: ",") + "\r\n"
                written += 1
                if buffer.utf8.count > 1 << 20 {
                    do { try flush() } catch { parser.abortParsing() }
                }
            default: break
            }
        }

        func flush() throws {
            try handle.write(contentsOf: Data(buffer.utf8))
            buffer = ""
        }

        /// `C` → 2, `AA` → 26 (from a reference such as `AA17`).
        static func columnIndex(_ reference: String) -> Int {
            var n = 0
            for scalar in reference.unicodeScalars {
                guard ("A"..."Z").contains(scalar) else { break }
                n = n * 26 + Int(scalar.value - 64)
            }
            return max(0, n - 1)
        }

        static func quoted(_ cell: String) -> String {
            cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : cell
        }
    }
}
