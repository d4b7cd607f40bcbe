/// A value written into a spreadsheet file (CSV now, XLSX later). Spreadsheet programs run a cell that starts with
/// `=`, `+`, `-` or `@` as a formula, and one starting with a tab or carriage return may be read the same way once
/// those are dropped: a customer named `=HYPERLINK(…)` would run in the reader's Excel. Such text gets a leading apostrophe, which Excel and WPS show as
/// text and do not print. A plain number (`-12.5`) is data, not a formula, and stays as it is.
public enum SpreadsheetCell {
    static let triggers: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    public static func text(_ value: String) -> String {
        guard let first = value.first, triggers.contains(first), !isPlainNumber(value) else { return value }
        return "'" + value
    }

    static func isPlainNumber(_ s: String) -> Bool {
        let body = s.first == "-" ? s.dropFirst() : Substring(s)
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }
    }
}
