import Foundation
import KeelCore
import Testing

/// Cells as spreadsheets write them become the values fields take.
@Suite struct ImportValueTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    func value(_ cell: String, _ type: FieldType, options: [String]? = nil, values: [String: String]? = nil) -> JSONValue? {
        let field = FieldDefinition("f", type, zh: "字段", en: "Field", options: options)
        return try? ImportValue.convert(cell, for: field, values: values, zone: zone).get()
    }

    @Test func numbersDatesAndYesNoAsPeopleWriteThem() {
        #expect(value("¥1,234.50", .money) == .number(1234.5))
        #expect(value("1234元", .money) == .number(1234))
        #expect(value("15%", .percent) == .number(15))
        #expect(value("12 abc", .number) == nil)
        for cell in ["2026-01-05", "2026/1/5", "2026.1.5", "2026年1月5日"] { #expect(value(cell, .date) == "2026-01-05", "\(cell)") }
        #expect(value("2026/2/30", .date) == nil)
        #expect(value("2026-01-05 14:30", .datetime) == "2026-01-05T06:30:00.000Z")
        #expect(value("2026-01-05T14:30:00+08:00", .datetime) == "2026-01-05T14:30:00+08:00")
        #expect(value("是", .boolean) == .bool(true) && value("N", .boolean) == .bool(false) && value("maybe", .boolean) == nil)
    }

    @Test func picklistsTakeOptionsAnyCaseAndMappedText() {
        #expect(value("Large", .picklist, options: ["small", "large"]) == "large")
        #expect(value("大型", .picklist, options: ["small", "large"], values: ["大型": "large"]) == "large")
        #expect(value("小型、大型", .multiPicklist, options: ["small", "large"], values: ["大型": "large", "小型": "small"]) == ["small", "large"])
    }

    @Test func emptyCellsAreLeftOutAndKeelsFormulaGuardIsUndone() {
        #expect(value("  ", .text) == nil)
        // Keel's export writes =SUM(…) as '=SUM(…); imported back it is the text it was.
        #expect(value("'=SUM(A1)", .text) == "=SUM(A1)")
        #expect(value("'quoted", .text) == "'quoted")
    }

    @Test func aNameInTwoColumnsIsOneName() {
        #expect(ImportValue.personName([("FirstName", "伟"), ("LastName", "张")]) == "张伟")
        #expect(ImportValue.personName([("名", "小明"), ("姓", "欧阳")]) == "欧阳小明")
        #expect(ImportValue.personName([("First Name", "John"), ("Last Name", "Smith")]) == "John Smith")
        #expect(ImportValue.personName([("LastName", "Smith"), ("FirstName", "John")]) == "John Smith")
        #expect(ImportValue.personName([("FirstName", ""), ("LastName", "王")]) == "王")
    }
}
