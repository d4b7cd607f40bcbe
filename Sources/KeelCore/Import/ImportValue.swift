import Foundation
import KeelMatching

/// A cell's text as the value a field takes — what a spreadsheet writes turned into what the record service reads:
/// `1,234.50`, `¥1,234.5` and `1234.5元` are numbers; `是`/`否`, `Y`/`N` are booleans; `2026/1/5` and `2026年1月5日` are
/// dates; `2026-01-05 14:30` is a time in the organisation's zone; a picklist cell is an option or a value the plan
/// maps; a cell Keel's own export protected against formulas (`'=SUM…`) loses its apostrophe. Validation proper
/// (formats, phones, lengths) is the record service's, as for any write.
public enum ImportValue {
    /// The value of `text` for `field` (nil: an empty cell, left out), or why it cannot be one.
    public static func convert(_ text: String, for field: FieldDefinition, values: [String: String]?, zone: TimeZone) -> Result<JSONValue?, Violation> {
        var cell = text.trimmed
        if cell.hasPrefix("'"), let next = cell.dropFirst().first, SpreadsheetCell.triggers.contains(next) { cell.removeFirst() }
        if cell.isEmpty { return .success(nil) }
        if let mapped = values?[cell] { cell = mapped }
        func fail(_ code: String, _ message: String, _ kind: String) -> Result<JSONValue?, Violation> {
            .failure(Violation(field: field.name, code: code, message: message, args: [kind]))
        }
        switch field.type {
        case .number, .money, .percent:
            guard let n = number(cell, percent: field.type == .percent) else { return fail("invalid_type", "\(cell) is not a number.", "number") }
            return .success(.number(n))
        case .boolean:
            guard let b = boolean(cell) else { return fail("invalid_type", "\(cell) is not yes or no (是/否, true/false, 1/0).", "boolean") }
            return .success(.bool(b))
        case .date:
            guard let d = date(cell) ?? excelSerial(cell, zone: zone).map({ ValueFormats.formatLocal($0, in: zone).prefix(10).description }) else { return fail("invalid_format", "\(cell) is not a date (2026-01-31, 2026/1/31 or 2026年1月31日).", "date") }
            return .success(.string(d))
        case .datetime:
            if ValueFormats.parseDateTime(cell) != nil { return .success(.string(cell)) }
            guard let d = dateTime(cell, zone: zone) ?? excelSerial(cell, zone: zone) else { return fail("invalid_format", "\(cell) is not a date and time (2026-01-31 14:30).", "datetime") }
            return .success(.string(ValueFormats.formatDateTime(d)))
        case .picklist:
            return .success(.string(option(cell, of: field) ?? cell))
        case .multiPicklist:
            return .success(.array(items(cell).map { .string(values?[$0] ?? option($0, of: field) ?? $0) }))
        default:
            return .success(.string(cell))
        }
    }

    /// A person's name from the columns of its parts (a first and a last name): 张 + 伟 → 张伟 (family name first, no
    /// space, when every part is Chinese), John + Smith → John Smith.
    public static func personName(_ parts: [(header: String, cell: String)]) -> String {
        let filled = parts.map { ($0.header, $0.cell.trimmingCharacters(in: .whitespaces)) }.filter { !$0.1.isEmpty }
        let familyHeaders: Set<String> = ["lastname", "last name", "姓", "姓氏", "surname", "family name"]
        func family(_ part: (String, String)) -> Bool { familyHeaders.contains(part.0.lowercased()) }
        let chinese = filled.allSatisfy { $0.1.unicodeScalars.allSatisfy { $0.properties.isIdeographic || $0 == "·" } }
        let ordered = chinese ? filled.filter(family) + filled.filter { !family($0) } : filled.filter { !family($0) } + filled.filter(family)
        return ordered.map(\.1).joined(separator: chinese ? "" : " ")
    }

    /// The items of a multi-select cell (`甲;乙`, `甲、乙` …).
    public static func items(_ cell: String) -> [String] {
        cell.split(whereSeparator: { ";；,，、|".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// The option `cell` names, compared without regard to case.
    public static func option(_ cell: String, of field: FieldDefinition) -> String? {
        field.options?.first { $0.caseInsensitiveCompare(cell) == .orderedSame }
    }

    static func number(_ cell: String, percent: Bool) -> Decimal? {
        var s = cell.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "，", with: "").replacingOccurrences(of: " ", with: "")
        for mark in ["¥", "￥", "RMB", "CNY", "元"] { s = s.replacingOccurrences(of: mark, with: "") }
        if percent, s.hasSuffix("%") { s.removeLast() }
        guard !s.isEmpty, s.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.eE".contains($0)) }) else { return nil }
        return Decimal(numberText: s)
    }

    static func boolean(_ cell: String) -> Bool? {
        switch cell.lowercased() {
        case "true", "yes", "y", "1", "是", "对", "有", "√", "✓": true
        case "false", "no", "n", "0", "否", "不", "无", "×": false
        default: nil
        }
    }

    /// `YYYY-MM-DD` from `2026-1-5`, `2026/01/05`, `2026.1.5` or `2026年1月5日`.
    static func date(_ cell: String) -> String? {
        let parts = cell.replacingOccurrences(of: "日", with: "").split(whereSeparator: { "-/.年月".contains($0) })
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        let text = String(format: "%04d-%02d-%02d", y, m, d)
        return ValueFormats.isDate(text) ? text : nil
    }

    /// A number as Excel stores a date in a workbook — days since 1899-12-30, the time of day as the fraction — read in
    /// `zone` (1 is 1900-01-01; up to 9999-12-31).
    static func excelSerial(_ cell: String, zone: TimeZone) -> Date? {
        guard let serial = Double(cell), (1...2_958_465).contains(serial) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let epoch = calendar.date(from: DateComponents(year: 1899, month: 12, day: 30)) else { return nil }
        let days = serial.rounded(.down), seconds = ((serial - days) * 86_400).rounded()
        return calendar.date(byAdding: .day, value: Int(days), to: epoch)?.addingTimeInterval(seconds)
    }

    /// A local date and time (`2026-01-05 14:30[:00]`, any date form above) in `zone`.
    static func dateTime(_ cell: String, zone: TimeZone) -> Date? {
        let halves = cell.split(separator: " ", maxSplits: 1).map(String.init)
        guard halves.count == 2, let day = date(halves[0]) else { return nil }
        let clock = halves[1].split(separator: ":").map { Int($0) }
        guard (2...3).contains(clock.count), let h = clock[0], let mi = clock[1], (0..<24).contains(h), (0..<60).contains(mi) else { return nil }
        let seconds = clock.count == 3 ? clock[2] : 0
        guard let seconds, (0..<60).contains(seconds) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let ymd = day.split(separator: "-").compactMap { Int($0) }
        return calendar.date(from: DateComponents(year: ymd[0], month: ymd[1], day: ymd[2], hour: h, minute: mi, second: seconds))
    }
}
