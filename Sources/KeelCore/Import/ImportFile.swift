import Foundation

/// A file to import, read as a stream of rows whatever its size: CSV in UTF-8 (with or without a byte-order mark),
/// UTF-16 or GB18030 (what Chinese Excel saves as GBK) — told by its mark, by whether it is UTF-8, or chosen — or an
/// Excel workbook's sheet (written out as CSV first). A file that is no table is refused with a reason a person can
/// act on (`KeelError` with the row where that is known).
public struct ImportFile: Sendable {
    public enum Format: String, Sendable { case csv, xlsx }

    public let path: String
    public let format: Format
    public let encoding: TextEncoding
    /// Bytes of byte-order mark to skip.
    let bom: Int
    /// A workbook's sheet, written out as CSV; removed when the last copy of this value goes.
    let converted: TemporaryFile?
    /// The file the rows are read from: the CSV itself, or the workbook's sheet as CSV.
    var readPath: String { converted?.path ?? path }

    /// The header and a few rows, to suggest a mapping and show a preview; and how many data rows the file holds.
    public struct Scan: Sendable {
        public var headers: [String]
        public var samples: [CSVTokenizer.Row]
        public var rows: Int
        /// Per column, its first distinct cells (trimmed, not empty, at most `distinctLimit`): what a value map is made from.
        public var distinct: [[String]] = []
    }

    /// Distinct cells kept per column, and their longest length: enough for a picklist's values, little memory.
    public static let distinctLimit = 50, distinctLength = 100

    static let chunk = 1 << 20

    /// A workbook's sheets, in order (none for a CSV).
    public let sheets: [String]

    /// Opens `path`: refuses an empty file or one that is no table (a PDF, a program, a ZIP that is no workbook), and
    /// tells a CSV's encoding unless `encoding` is given. A workbook (.xlsx) is read from `sheet`, or its first sheet.
    public init(path: String, encoding: TextEncoding? = nil, sheet: String? = nil) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw KeelError(.badRequest, code: "file_unreadable", message: "\(path) cannot be read.")
        }
        defer { try? handle.close() }
        var prefix = [UInt8]((try? handle.read(upToCount: 65_536)) ?? Data())
        self.path = path
        if prefix.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            let converted = TemporaryFile(), workbook = try XLSXWorkbook(path: path)
            try workbook.writeSheet(sheet, to: converted.path)
            sheets = workbook.sheets.map(\.name)
            (self.format, self.encoding, self.bom, self.converted) = (.xlsx, .utf8, 0, converted)
            prefix = [UInt8]((try? FileHandle(forReadingAtPath: converted.path)?.read(upToCount: 65_536)) ?? Data())
        } else {
            let detected = TextEncoding.detect(prefix)
            sheets = []
            self.format = .csv
            self.converted = nil
            self.encoding = encoding ?? detected.encoding
            self.bom = encoding == nil || encoding == detected.encoding ? detected.bom : 0
        }
        if prefix.dropFirst(bom).allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 || $0 == 0x2C }) {
            throw KeelError(.unprocessable, code: "empty_file", message: "The file is empty: it has no header row and no data.")
        }
        if format == .csv, let kind = Self.binaryKind(prefix), self.encoding != .utf16LE, self.encoding != .utf16BE {
            throw KeelError(.unprocessable, code: "not_a_table", message: "This is \(kind), not a table: save the sheet as CSV (UTF-8 or GBK) or .xlsx and import that.",
                            details: ["kind": .string(kind)])
        }
    }

    /// What the first bytes say a file is, when it is no text: a workbook or another archive, a PDF, an image, a program.
    static func binaryKind(_ prefix: [UInt8]) -> String? {
        let signatures: [(String, [UInt8])] = [("an old .xls workbook or another OLE document", [0xD0, 0xCF, 0x11, 0xE0]),
                                               ("a PDF document", Array("%PDF".utf8)), ("a PNG image", [0x89, 0x50, 0x4E, 0x47]),
                                               ("a JPEG image", [0xFF, 0xD8, 0xFF]), ("a program", [0x7F, 0x45, 0x4C, 0x46])]
        if let (kind, _) = signatures.first(where: { prefix.starts(with: $0.1) }) { return kind }
        // Text has no NUL bytes (outside UTF-16).
        return prefix.contains(0) ? "a binary file" : nil
    }

    /// Every row, the header first, to `body` until it returns false. Bytes that are not text in the file's encoding,
    /// a quote never closed, a cell too long: `KeelError` naming the row.
    public func rows(_ body: (CSVTokenizer.Row) throws -> Bool) throws {
        let reader = try Reader(self)
        while let row = try reader.next() {
            if try !body(row) { return }
        }
    }

    /// Reads a file's rows one by one, a chunk of bytes at a time.
    public final class Reader {
        let file: ImportFile
        let handle: FileHandle
        let decoder: TextDecoder
        var tokenizer = CSVTokenizer()
        var ready: [CSVTokenizer.Row] = []
        var index = 0
        var skip: Int
        var ended = false
        /// Bytes of text read so far (after the byte-order mark), as the decoder counts them.
        var consumed = 0

        public init(_ file: ImportFile) throws {
            guard let handle = FileHandle(forReadingAtPath: file.readPath) else {
                throw KeelError(.badRequest, code: "file_unreadable", message: "\(file.path) cannot be read.")
            }
            (self.file, self.handle, self.decoder, self.skip) = (file, handle, TextDecoder(file.encoding), file.bom)
        }

        deinit { try? handle.close() }

        /// The next row, or nil at the end of the file.
        public func next() throws -> CSVTokenizer.Row? {
            while index == ready.count {
                if ended { return nil }
                try fill()
            }
            defer { index += 1 }
            return ready[index]
        }

        private func fill() throws {
            (ready, index) = ([], 0)
            var data = [UInt8]((try handle.read(upToCount: ImportFile.chunk)) ?? Data())
            let final = data.isEmpty
            if skip > 0 {
                data.removeFirst(min(skip, data.count))
                skip = 0
            }
            let start = consumed
            consumed += data.count
            do {
                ready = try tokenizer.feed(try decoder.decode(data, final: final))
                if final {
                    ready += try tokenizer.finish()
                    ended = true
                }
            } catch let failure as TextDecoder.Failure {
                // The row the bad bytes are in: the text before them, read on by a copy of the tokenizer.
                var probe = tokenizer
                let valid = Array(data[..<max(0, min(data.count, failure.offset - start))])
                _ = try? probe.feed(TextDecoder(file.encoding).decode(valid))
                let encoding = file.encoding
                throw KeelError(.unprocessable, code: "invalid_encoding",
                                message: "The bytes at offset \(failure.offset) (row \(probe.row)) are not \(encoding.label) text. Save the file as UTF-8 or GBK (one encoding throughout), or choose its encoding.",
                                details: ["row": JSONValue(probe.row), "offset": JSONValue(failure.offset), "encoding": .string(encoding.rawValue)])
            } catch let problem as CSVTokenizer.Problem {
                throw switch problem {
                case .unclosedQuote(let row):
                    KeelError(.unprocessable, code: "unclosed_quote", message: "The quoted cell that starts in row \(row) is never closed: add the closing quote (\").",
                              details: ["row": JSONValue(row)])
                case .cellTooLong(let row, let limit):
                    KeelError(.unprocessable, code: "cell_too_long", message: "A cell in row \(row) is longer than \(limit / 1024) KB (an unclosed quote?).",
                              details: ["row": JSONValue(row)])
                case .tooManyColumns(let row, let limit):
                    KeelError(.unprocessable, code: "too_many_columns", message: "Row \(row) has more than \(limit) columns.", details: ["row": JSONValue(row)])
                }
            }
        }
    }

    /// Reads the whole file once: its header (checked: present, names unique), the first `samples` rows, and how many
    /// data rows follow — before anything is imported, so a file broken at its end imports nothing.
    public func scan(samples: Int = 20) throws -> Scan {
        var scan = Scan(headers: [], samples: [], rows: 0)
        var first = true
        var seen: [Set<String>] = []
        try rows { row in
            if first {
                first = false
                scan.headers = row.cells.map { $0.trimmingCharacters(in: .whitespaces) }
                seen = Array(repeating: [], count: scan.headers.count)
                scan.distinct = Array(repeating: [], count: scan.headers.count)
            } else {
                scan.rows += 1
                if scan.samples.count < samples { scan.samples.append(row) }
                for (i, cell) in row.cells.prefix(seen.count).enumerated() where seen[i].count < Self.distinctLimit && cell.utf8.count <= Self.distinctLength * 4 {
                    let text = cell.trimmingCharacters(in: .whitespacesAndNewlines)
                    if !text.isEmpty, text.count <= Self.distinctLength, seen[i].insert(text).inserted { scan.distinct[i].append(text) }
                }
            }
            return true
        }
        let named = scan.headers.filter { !$0.isEmpty }
        let repeated = Dictionary(grouping: named, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
        if !repeated.isEmpty {
            throw KeelError(.unprocessable, code: "duplicate_headers", message: "Column names must differ; these appear more than once: \(repeated.joined(separator: ", ")).",
                            details: ["headers": .array(repeated.map(JSONValue.string))])
        }
        if named.isEmpty { throw KeelError(.unprocessable, code: "empty_file", message: "The file has no header row: its first row names no column.") }
        if scan.rows == 0 { throw KeelError(.unprocessable, code: "header_only", message: "The file has a header row but no data rows.") }
        return scan
    }
}

extension TextEncoding {
    /// The encoding's name as people know it.
    public var label: String {
        switch self {
        case .utf8: "UTF-8"
        case .utf16LE: "UTF-16 (little-endian)"
        case .utf16BE: "UTF-16 (big-endian)"
        case .gb18030: "GBK/GB18030"
        }
    }
}

/// A file in the temporary folder, removed when the last reference to it goes.
final class TemporaryFile: Sendable {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("keel-\(UUID().uuidString).csv").path

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
