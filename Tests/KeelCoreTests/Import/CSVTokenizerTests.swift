import KeelCore
import Testing

/// CSV read as a spreadsheet writes it, chunk by chunk, refusing what would swallow rows.
@Suite struct CSVTokenizerTests {
    func rows(_ chunks: [String]) throws -> [CSVTokenizer.Row] {
        var tokenizer = CSVTokenizer()
        var out: [CSVTokenizer.Row] = []
        for chunk in chunks { out += try tokenizer.feed(chunk) }
        return out + (try tokenizer.finish())
    }

    @Test func quotedCellsHoldCommasLineBreaksAndQuotes() throws {
        let text = "名称,备注\r\n\"北京\"\"星辰\"\"贸易, 有限公司\",\"两行\r\n备注\"\r\n\r\n杭州云帆,末行"
        let expected = [CSVTokenizer.Row(number: 1, cells: ["名称", "备注"]),
                        .init(number: 2, cells: ["北京\"星辰\"贸易, 有限公司", "两行\r\n备注"]),
                        // The blank line is row 3 of the sheet: not returned, still counted.
                        .init(number: 4, cells: ["杭州云帆", "末行"])]
        #expect(try rows([text]) == expected)
        // Cut anywhere — inside a character, between CR and LF, inside a doubled quote — the rows are the same.
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count where String(validating: bytes[..<cut], as: UTF8.self) != nil {
            let head = String(decoding: bytes[..<cut], as: UTF8.self), tail = String(decoding: bytes[cut...], as: UTF8.self)
            #expect(try rows([head, tail]) == expected, "cut at \(cut)")
        }
    }

    @Test func excelLeniencyKeepsStrayQuotesAsText() throws {
        #expect(try rows(["a,b\"c,\"d\"e\n"]) == [.init(number: 1, cells: ["a", "b\"c", "de"])])
        #expect(try rows(["a,,\n,\n"]) == [.init(number: 1, cells: ["a", "", ""]), .init(number: 2, cells: ["", ""])])
        #expect(try rows(["x\ry\n"]) == [.init(number: 1, cells: ["x"]), .init(number: 2, cells: ["y"])])
    }

    @Test func aQuoteNeverClosedIsAnErrorNamingItsRow() {
        #expect(throws: CSVTokenizer.Problem.unclosedQuote(row: 3)) { try rows(["h1,h2\nok,1\n\"broken,2\nnext,3\n"]) }
    }

    @Test func aCellOverTheLimitIsRefusedBeforeItFillsMemory() {
        var tokenizer = CSVTokenizer(cellLimit: 10)
        #expect(throws: CSVTokenizer.Problem.cellTooLong(row: 2, limit: 10)) {
            _ = try tokenizer.feed("a\n\"" + String(repeating: "x", count: 11))
        }
        var wide = CSVTokenizer()
        #expect(throws: CSVTokenizer.Problem.tooManyColumns(row: 1, limit: CSVTokenizer.columnLimit)) {
            _ = try wide.feed(String(repeating: ",", count: CSVTokenizer.columnLimit + 1))
        }
    }
}
