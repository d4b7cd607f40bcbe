import Foundation
import KeelCore
import Testing
import ZIPFoundation

/// Excel workbooks are read like CSV: the first or a named sheet, shared and inline strings, numbers, dates as Excel
/// stores them, booleans, cells and rows the sheet leaves out; a ZIP that is no workbook, or a zip bomb, is refused.
@Suite struct XLSXImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    func rows(_ file: ImportFile) throws -> [CSVTokenizer.Row] {
        var out: [CSVTokenizer.Row] = []
        try file.rows { out.append($0); return true }
        return out
    }

    @Test func aWorkbookWrittenByOpenpyxlIsReadCellByCell() throws {
        // accounts.xlsx: written by openpyxl 3.1.5 (inline strings, a number, a date, booleans, a row left out).
        let file = try ImportFile(path: Self.fixtures.appendingPathComponent("accounts.xlsx").path)
        #expect(file.format == .xlsx)
        #expect(try rows(file) == [
            .init(number: 1, cells: ["客户名称", "电话", "成立日期", "重点客户", "备注"]),
            .init(number: 2, cells: ["深圳市腾达科技有限公司", "13800138000", "42072", "TRUE", "展会, \"老\"客户"]),
            // Excel leaves a row's trailing empty cells out; the row is as wide as the header all the same.
            .init(number: 3, cells: ["杭州云帆网络有限公司", "0571-86001234", "", "FALSE", ""]),
            .init(number: 5, cells: ["成都锦程物流有限公司", "", "", "", "两行\n备注"]),
        ])
        // The date column holds Excel's day number; a date field reads it as the day.
        let founded = FieldDefinition("founded", .date, zh: "成立日期", en: "Founded")
        #expect(try ImportValue.convert("42072", for: founded, values: nil, zone: TimeZone(identifier: "Asia/Shanghai")!).get() == "2015-03-09")
        // A named sheet.
        let contacts = try ImportFile(path: Self.fixtures.appendingPathComponent("accounts.xlsx").path, sheet: "联系人").scan()
        #expect(contacts.headers == ["姓名", "手机"] && contacts.samples.first?.cells == ["张伟", "13900139000"])
        let unknown = #expect(throws: KeelError.self) { _ = try ImportFile(path: Self.fixtures.appendingPathComponent("accounts.xlsx").path, sheet: "订单") }
        #expect(unknown?.code == "unknown_sheet" && unknown?.details["sheets"] == ["客户", "联系人"])
    }

    /// Excel writes some numbers to 17 digits (the double, not what the sheet shows): they read as the sheet shows them.
    @Test func numbersReadAsTheSheetShowsThem() throws {
        // excel-doubles.xlsx: written by openpyxl, its amount and discount then spelled out as Excel does (33.329999999999998).
        let file = try ImportFile(path: Self.fixtures.appendingPathComponent("excel-doubles.xlsx").path)
        #expect(try rows(file).last?.cells == ["深圳市腾达科技有限公司", "33.33", "13812345678", "0.1"])
        let amount = FieldDefinition("amount", .money, zh: "金额", en: "Amount")
        #expect(try ImportValue.convert("33.33", for: amount, values: nil, zone: TimeZone(identifier: "Asia/Shanghai")!).get() == .number(Decimal(string: "33.33")!))
    }

    @Test func sharedStringsWithRunsAndPhoneticGuides() throws {
        let file = try ImportFile(path: Self.fixtures.appendingPathComponent("shared-strings.xlsx").path)
        #expect(try rows(file) == [.init(number: 1, cells: ["客户名称", "城市"]), .init(number: 2, cells: ["深圳市腾达科技有限公司", "深圳"])])
    }

    @Test func aZipThatIsNoWorkbookOrABombIsRefused() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        func archive(_ name: String, _ entries: [(String, Int)]) throws -> String {
            let url = folder.appendingPathComponent(name)
            let zip = try Archive(url: url, accessMode: .create)
            for (path, size) in entries {
                try zip.addEntry(with: path, type: .file, uncompressedSize: Int64(size), compressionMethod: .deflate) { position, chunk in
                    Data(repeating: 0x20, count: chunk)
                }
            }
            return url.path
        }
        let plain = #expect(throws: KeelError.self) { _ = try ImportFile(path: try archive("photos.zip", [("a.txt", 10)])) }
        #expect(plain?.code == "not_a_table")
        // 64 MB of spaces squeezed into a few dozen KB, posing as a workbook: refused before anything is unpacked.
        let bomb = #expect(throws: KeelError.self) { _ = try ImportFile(path: try archive("bomb.xlsx", [("xl/workbook.xml", 64 << 20)])) }
        #expect(bomb?.code == "not_a_table" && bomb?.details["kind"] == "a zip bomb")
    }
}
