import Foundation
import KeelMatching

/// A CSV file of ERP documents (any ERP's export: receivables, receipts, costs), read whole or refused whole: every
/// problem is listed by row and column, and a file with any problem gives no entries. Headers are recognised in Chinese
/// and English (单据编号 / document, 合同编号 / contract_number, 业务日期 / date, 价税合计 / amount, 税额 / tax,
/// 币别 / currency, 单据类型 / kind); the encoding is detected as an import's is (GBK from Chinese Excel included).
public enum ERPEntryFile {
    /// At most this many rows a file (an ERP export of a year's documents fits).
    public static let maxRows = 200_000

    static let headers: [String: [String]] = [
        "document": ["单据编号", "单据号", "凭证号", "document", "document_no", "number"],
        "contract_number": ["合同编号", "合同号", "contract", "contract_number", "contract_no"],
        "day": ["业务日期", "单据日期", "日期", "date", "day"],
        "amount": ["价税合计", "金额", "amount"],
        "tax": ["税额", "tax"],
        "currency": ["币别", "币种", "currency"],
        "kind": ["单据类型", "类型", "kind", "type"],
    ]
    static let kinds: [String: ERPEntry.Kind] = [
        "应收": .receivable, "应收单": .receivable, "receivable": .receivable,
        "收款": .receipt, "收款单": .receipt, "receipt": .receipt,
        "成本": .cost, "成本单": .cost, "cost": .cost,
    ]

    /// The entries of `bytes`, from `source`; `kind` for rows of a file without a kind column. Throws a validation
    /// error listing every problem (`rows[5].amount`, `file`).
    public static func parse(_ bytes: [UInt8], source: String = "csv", kind: ERPEntry.Kind?) throws(KeelError) -> [ERPEntry] {
        func refuse(_ code: String, _ message: String) -> KeelError { .validation([Violation(field: "file", code: code, message: message)]) }
        let (encoding, bom) = TextEncoding.detect(Array(bytes.prefix(4096)))
        let text: String
        do { text = try TextDecoder(encoding).decode(Array(bytes.dropFirst(bom)), final: true) } catch {
            throw refuse("invalid_encoding", "Byte \(error.offset) is not text in \(encoding.rawValue); save the file as UTF-8 or GBK CSV.")
        }
        var tokenizer = CSVTokenizer()
        let rows: [CSVTokenizer.Row]
        do { rows = try tokenizer.feed(text) + tokenizer.finish() } catch {
            throw refuse("unreadable", "The file is not CSV Keel can read (\(error)).")
        }
        guard let header = rows.first else { throw refuse("empty", "The file is empty.") }
        guard rows.count - 1 <= maxRows else { throw refuse("too_many_rows", "A file has at most \(maxRows) rows.") }
        var column: [String: Int] = [:]
        for (i, cell) in header.cells.enumerated() {
            let name = cell.trimmed.lowercased()
            guard let field = headers.first(where: { $0.value.contains(name) })?.key else { continue }
            guard column[field] == nil else { throw refuse("duplicate_header", "Two columns mean \(field) (\(cell.trimmed)).") }
            column[field] = i
        }
        let needed = ["document", "day", "amount"] + (kind == nil ? ["kind"] : [])
        let missing = needed.filter { column[$0] == nil }
        guard missing.isEmpty else {
            throw refuse("missing_columns", "The file needs the columns \(missing.map { headers[$0]!.first! + " / " + $0 }.joined(separator: ", ")).")
        }
        guard rows.count > 1 else { throw refuse("no_rows", "The file has a header and no rows.") }
        var entries: [ERPEntry] = [], violations: [Violation] = [], seen: [String: Int] = [:]
        for row in rows.dropFirst() {
            func cell(_ field: String) -> String { column[field].flatMap { $0 < row.cells.count ? row.cells[$0].trimmed : nil } ?? "" }
            var problems: [Violation] = []
            let rowKind = cell("kind").isEmpty ? kind : kinds[cell("kind").lowercased()]
            if rowKind == nil { problems.append(Violation(field: "kind", code: "invalid_option", message: "\(cell("kind")) is not 应收单, 收款单 or 成本单.")) }
            let amount = money(cell("amount")), tax = cell("tax").isEmpty ? 0 : money(cell("tax"))
            if amount == nil { problems.append(Violation(field: "amount", code: "invalid_amount", message: "\(cell("amount")) is not an amount.")) }
            if tax == nil { problems.append(Violation(field: "tax", code: "invalid_amount", message: "\(cell("tax")) is not an amount.")) }
            let entry = ERPEntry(source: source, kind: rowKind ?? .receivable, document: cell("document"),
                                 contractNumber: cell("contract_number").isEmpty ? nil : cell("contract_number"),
                                 day: day(cell("day")), amount: amount ?? 0, tax: tax ?? 0,
                                 currency: cell("currency").isEmpty ? "CNY" : cell("currency").uppercased())
            problems += entry.violations().filter { v in !problems.contains { $0.field == v.field } }
            let key = "\(entry.kind.rawValue):\(entry.document)"
            if let first = seen[key], problems.isEmpty {
                problems.append(Violation(field: "document", code: "duplicate", message: "\(entry.document) is also in row \(first)."))
            }
            seen[key] = seen[key] ?? row.number
            violations += problems.map { Violation(field: "rows[\(row.number)].\($0.field)", code: $0.code, message: $0.message) }
            entries.append(entry)
        }
        guard violations.isEmpty else { throw KeelError.validation(Array(violations.prefix(1000))) }
        return entries
    }

    /// An amount as an ERP export writes it: `1,234.50`, `¥1234.5`, `-80`.
    static func money(_ text: String) -> Decimal? {
        var t = text.replacingOccurrences(of: ",", with: "")
        if t.hasPrefix("¥") || t.hasPrefix("￥") { t.removeFirst() }
        return Decimal(exactText: t)
    }

    /// A day as 2026-11-30, 2026/11/30 or 2026/1/5 (Chinese Excel), written YYYY-MM-DD; anything else as it is (and refused).
    static func day(_ text: String) -> String {
        let parts = text.split(whereSeparator: { $0 == "/" || $0 == "-" }).map(String.init)
        guard parts.count == 3, parts[0].count == 4, let m = Int(parts[1]), let d = Int(parts[2]), parts[1].count <= 2, parts[2].count <= 2 else { return text }
        let day = "\(parts[0])-\(m < 10 ? "0" : "")\(m)-\(d < 10 ? "0" : "")\(d)"
        return ValueFormats.isDate(day) ? day : text
    }
}
