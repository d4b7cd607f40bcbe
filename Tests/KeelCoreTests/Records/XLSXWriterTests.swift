import Foundation
import KeelCore
import Testing
import ZIPFoundation

/// A workbook Keel writes is one Keel (and Excel) reads back: text as text (formula-like text kept from running),
/// numbers as numbers, characters XML cannot hold left out.
@Suite struct XLSXWriterTests {
    @Test func aWrittenWorkbookReadsBackCellForCell() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).xlsx").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try XLSXWriter(sheetName: "客户/导出[1]")
        try writer.add([.text("名称"), .text("金额"), .text("备注")])
        try writer.add([.text("深圳市腾达 & <科技>"), .number(1234.5), .text("=HYPERLINK(\"http://evil\")")])
        try writer.add([.text("两行\n备注\u{0001}"), .number(13800138000), .text("")])
        try writer.finish(to: path)
        var rows: [[String]] = []
        try ImportFile(path: path).rows { rows.append($0.cells); return true }
        #expect(rows == [["名称", "金额", "备注"], ["深圳市腾达 & <科技>", "1234.5", "=HYPERLINK(\"http://evil\")"], ["两行\n备注", "13800138000", ""]])
        // The formula-like text is a string with Excel's hidden quote prefix (style 1), never a formula.
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var sheet = Data()
        _ = try archive.extract(try #require(archive["xl/worksheets/sheet1.xml"])) { sheet.append($0) }
        let xml = String(decoding: sheet, as: UTF8.self)
        #expect(xml.contains(#"<c r="C2" t="inlineStr" s="1"><is><t xml:space="preserve">=HYPERLINK(&quot;http://evil&quot;)</t></is></c>"#))
        #expect(!xml.contains("<f>"))
        var workbook = Data()
        _ = try archive.extract(try #require(archive["xl/workbook.xml"])) { workbook.append($0) }
        #expect(String(decoding: workbook, as: UTF8.self).contains(#"<sheet name="客户导出1""#))
    }
}
