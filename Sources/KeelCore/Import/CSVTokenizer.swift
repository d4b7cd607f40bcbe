/// Splits CSV text into rows, fed chunk by chunk so memory stays bounded: cells as RFC 4180 writes them (a quoted cell
/// may hold commas, line breaks and doubled quotes), rows ending in CR LF, LF or CR. It forgives what Excel forgives (a
/// quote inside an unquoted cell is text; text after a closing quote joins the cell) and refuses what would silently
/// swallow data: a quote never closed (every later row would become one cell), a cell over `cellLimit` bytes, a row
/// of more columns than a spreadsheet has. Rows are numbered as a spreadsheet numbers them (the header is row 1), so
/// a report points at the row a person sees; blank rows are counted but not returned.
///
/// CSV.swift (used for export) reads on past an unclosed quote to the end of the file and keeps any cell whole in
/// memory, so the import reads with this.
public struct CSVTokenizer: Sendable {
    public struct Row: Equatable, Sendable {
        /// The spreadsheet row number: 1 for the header.
        public var number: Int
        public var cells: [String]

        public init(number: Int, cells: [String]) {
            self.number = number
            self.cells = cells
        }
    }

    public enum Problem: Error, Equatable, Sendable {
        /// A quoted cell that starts in row `row` is never closed.
        case unclosedQuote(row: Int)
        /// A cell in row `row` is longer than `limit` bytes.
        case cellTooLong(row: Int, limit: Int)
        /// Row `row` has more than `limit` columns.
        case tooManyColumns(row: Int, limit: Int)
    }

    /// A cell may be 1 MiB: more than any field holds, little enough to keep memory bounded.
    public static let defaultCellLimit = 1 << 20
    /// As many columns as Excel has.
    public static let columnLimit = 16_384

    private enum State { case cellStart, unquoted, quoted, quoteInQuoted }

    private static let quote = UInt8(ascii: "\""), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
    private let delimiter: UInt8
    private let cellLimit: Int
    private var state = State.cellStart
    private var cell: [UInt8] = []
    private var cells: [String] = []
    private var number = 1
    /// The previous byte ended a row with CR: an LF right after it belongs to the same line break.
    private var afterCR = false
    private var rows: [Row] = []

    /// The number of the row being read.
    public var row: Int { number }

    public init(delimiter: Character = ",", cellLimit: Int = CSVTokenizer.defaultCellLimit) {
        self.delimiter = delimiter.asciiValue ?? UInt8(ascii: ",")
        self.cellLimit = cellLimit
    }

    /// The rows completed by `text`.
    public mutating func feed(_ text: String) throws(Problem) -> [Row] {
        var text = text
        var result: Result<[Row], Problem> = .success([])
        text.withUTF8 { bytes in
            do throws(Problem) { result = .success(try feed(bytes)) } catch { result = .failure(error) }
        }
        return try result.get()
    }

    /// The rows completed by these bytes of UTF-8 text.
    public mutating func feed(_ bytes: UnsafeBufferPointer<UInt8>) throws(Problem) -> [Row] {
        for byte in bytes {
            if afterCR {
                afterCR = false
                if byte == Self.lf { continue }
            }
            switch state {
            case .cellStart:
                if byte == Self.quote { state = .quoted } else { try take(byte) }
            case .unquoted:
                try take(byte)
            case .quoted:
                if byte == Self.quote { state = .quoteInQuoted } else { try append(byte) }
            case .quoteInQuoted:
                if byte == Self.quote {
                    try append(byte)
                    state = .quoted
                } else {
                    try take(byte)
                }
            }
        }
        defer { rows.removeAll(keepingCapacity: true) }
        return rows
    }

    /// The last row, when the text does not end with a line break. A quote still open is an error.
    public mutating func finish() throws(Problem) -> [Row] {
        if state == .quoted { throw .unclosedQuote(row: number) }
        if state != .cellStart || !cells.isEmpty { endRow() }
        defer { rows.removeAll() }
        return rows
    }

    /// A byte outside quotes: it ends the cell or the row, or is text.
    private mutating func take(_ byte: UInt8) throws(Problem) {
        switch byte {
        case delimiter:
            try endCell()
        case Self.lf, Self.cr:
            afterCR = byte == Self.cr
            endRow()
        default:
            try append(byte)
            state = .unquoted
        }
    }

    private mutating func append(_ byte: UInt8) throws(Problem) {
        guard cell.count < cellLimit else { throw .cellTooLong(row: number, limit: cellLimit) }
        cell.append(byte)
    }

    private mutating func endCell() throws(Problem) {
        guard cells.count < Self.columnLimit else { throw .tooManyColumns(row: number, limit: Self.columnLimit) }
        cells.append(String(decoding: cell, as: UTF8.self))
        cell.removeAll(keepingCapacity: true)
        state = .cellStart
    }

    private mutating func endRow() {
        // A blank line is no row (but keeps its number, as in a spreadsheet).
        if !(cells.isEmpty && cell.isEmpty && state == .cellStart) {
            cells.append(String(decoding: cell, as: UTF8.self))
            rows.append(Row(number: number, cells: cells))
        }
        cells.removeAll(keepingCapacity: true)
        cell.removeAll(keepingCapacity: true)
        state = .cellStart
        number += 1
    }
}
