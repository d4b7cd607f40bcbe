import Foundation
#if canImport(Glibc)
import Glibc
#endif
import KeelCore
import Testing

/// A file to import is read in whatever encoding Chinese offices save, and refused — with a reason and a row — when it
/// is not a readable table.
@Suite struct ImportFileTests {
    /// Text as Chinese Excel saves it, through the C library's converter.
    static func gbk(_ text: String) -> [UInt8] {
        let converter = iconv_open("GB18030", "UTF-8")
        defer { iconv_close(converter) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 2)
        var inLeft = input.count, outLeft = output.count
        input.withUnsafeMutableBufferPointer { i in
            output.withUnsafeMutableBufferPointer { o in
                var ip = i.baseAddress, op = o.baseAddress
                _ = iconv(converter, &ip, &inLeft, &op, &outLeft)
            }
        }
        return output[..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }
    }

    func file(_ bytes: [UInt8]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).csv").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    func refusal(_ bytes: [UInt8]) -> KeelError? {
        do {
            _ = try ImportFile(path: try file(bytes)).scan()
            return nil
        } catch {
            return error as? KeelError
        }
    }

    @Test func gbkUtf16AndUtf8WithMarkAreReadAlike() throws {
        let text = "客户名称,电话\r\n深圳市腾达科技有限公司,0755-86001234\r\n"
        let gbk = Self.gbk(text)
        let utf16 = [0xFF, 0xFE] + Array(text.data(using: .utf16LittleEndian)!)
        let bom = [0xEF, 0xBB, 0xBF] + Array(text.utf8)
        for (bytes, encoding) in [(gbk, TextEncoding.gb18030), (utf16, .utf16LE), (bom, .utf8)] {
            let file = try ImportFile(path: try file(bytes))
            #expect(file.encoding == encoding)
            let scan = try file.scan()
            #expect(scan.headers == ["客户名称", "电话"] && scan.rows == 1 && scan.samples.first?.cells == ["深圳市腾达科技有限公司", "0755-86001234"])
        }
    }

    @Test func filesThatAreNoTableAreRefusedWithTheReason() {
        #expect(refusal([])?.code == "empty_file")
        #expect(refusal(Array(" \r\n".utf8))?.code == "empty_file")
        #expect(refusal(Array("客户名称,电话\r\n".utf8))?.code == "header_only")
        #expect(refusal(Array("名称,电话,名称\n甲,1,乙\n".utf8))?.details["headers"] == ["名称"])
        #expect(refusal([0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])?.code == "not_a_table")
        #expect(refusal(Array("%PDF-1.7\n".utf8))?.code == "not_a_table")
        let unclosed = refusal(Array("名称,备注\n甲,\"没有闭合\n乙,2\n".utf8))
        #expect(unclosed?.code == "unclosed_quote" && unclosed?.details["row"] == 2)
        // A zip bomb posing as a workbook is refused from its first bytes, before anything is unpacked.
        #expect(refusal([0x50, 0x4B, 0x03, 0x04] + Array(repeating: 0, count: 100))?.code == "not_a_table")
    }

    @Test func aFileThatTurnsToAnotherEncodingIsRefusedNearTheRow() throws {
        // 90 KB of UTF-8 (all that detection reads is UTF-8), then a GBK row.
        var bytes = Array("名称,城市\n".utf8)
        for i in 0..<5_000 { bytes += Array("公司\(i),深圳\n".utf8) }
        let gbkRow = Self.gbk("坏行,北京\n")
        let refused = refusal(bytes + gbkRow)
        #expect(refused?.code == "invalid_encoding" && refused?.details["row"] == 5_002, "\(String(describing: refused))")
    }
}
