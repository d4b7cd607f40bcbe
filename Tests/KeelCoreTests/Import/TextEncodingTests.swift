import Foundation
import KeelCore
import Testing

@Suite struct TextEncodingTests {
    /// "客户名称,电话" as Chinese Excel saves it (GBK), and in UTF-8 and UTF-16 with their marks.
    static let gbk: [UInt8] = [0xBF, 0xCD, 0xBB, 0xA7, 0xC3, 0xFB, 0xB3, 0xC6, 0x2C, 0xB5, 0xE7, 0xBB, 0xB0]
    static let text = "客户名称,电话"

    @Test func aFileSaysItsEncodingByItsMarkOrByWhetherItIsUTF8() {
        #expect(TextEncoding.detect([0xEF, 0xBB, 0xBF] + Array(Self.text.utf8)) == (.utf8, 3))
        #expect(TextEncoding.detect(Array(Self.text.utf8)) == (.utf8, 0))
        #expect(TextEncoding.detect([0xFF, 0xFE, 0xA2, 0x5B]) == (.utf16LE, 2))
        #expect(TextEncoding.detect([0xFE, 0xFF, 0x5B, 0xA2]) == (.utf16BE, 2))
        #expect(TextEncoding.detect(Self.gbk) == (.gb18030, 0))
        // A sample that ends inside a character is still UTF-8.
        #expect(TextEncoding.detect(Array(Array(Self.text.utf8).dropLast())) == (.utf8, 0))
    }

    /// Bytes fed in chunks of any size give the same text, a character split between chunks included.
    @Test(arguments: [1, 2, 3, 5, 64])
    func textDecodesChunkByChunk(_ size: Int) throws {
        let utf16 = Self.text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        for (encoding, bytes) in [(TextEncoding.gb18030, Self.gbk), (.utf8, Array(Self.text.utf8)), (.utf16LE, utf16)] {
            let decoder = TextDecoder(encoding)
            var text = ""
            for start in stride(from: 0, to: bytes.count, by: size) {
                text += try decoder.decode(Array(bytes[start..<min(start + size, bytes.count)]), final: start + size >= bytes.count)
            }
            #expect(text == Self.text, "\(encoding) in chunks of \(size)")
        }
    }

    /// Bytes that are not text in the encoding are an error at their offset, never replaced; so is a file that ends
    /// inside a character.
    @Test func bytesThatAreNoTextAreAnErrorAtTheirOffset() {
        #expect(throws: TextDecoder.Failure(offset: 3, encoding: .utf8)) { try TextDecoder(.utf8).decode(Array("abc".utf8) + [0xFF, 0x41], final: true) }
        #expect(throws: TextDecoder.Failure(offset: 2, encoding: .utf8)) { try TextDecoder(.utf8).decode(Array("ab".utf8) + [0xE5, 0xAE], final: true) }
        #expect(throws: TextDecoder.Failure(offset: 4, encoding: .gb18030)) { try TextDecoder(.gb18030).decode(Array(Self.gbk.prefix(4)) + [0xFF, 0x30], final: true) }
        #expect(throws: TextDecoder.Failure(offset: 2, encoding: .gb18030)) { try TextDecoder(.gb18030).decode(Array(Self.gbk.prefix(3)), final: true) }
    }
}
