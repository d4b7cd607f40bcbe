#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The text encodings an imported file may be in: what Chinese Excel saves (GBK, read as its superset GB18030), UTF-8 with
/// or without a byte-order mark, and UTF-16 (Excel's "Unicode text").
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case utf16LE = "utf-16le"
    case utf16BE = "utf-16be"
    case gb18030

    /// The encoding of a file that starts with `prefix` (its first few kilobytes): a byte-order mark says it; else text
    /// that is valid UTF-8 is UTF-8 (a character cut off at the end of the prefix counts as valid); else GB18030. Also
    /// how many bytes of mark to skip.
    public static func detect(_ prefix: [UInt8]) -> (encoding: TextEncoding, bom: Int) {
        if prefix.starts(with: [0xEF, 0xBB, 0xBF]) { return (.utf8, 3) }
        if prefix.starts(with: [0xFF, 0xFE]) { return (.utf16LE, 2) }
        if prefix.starts(with: [0xFE, 0xFF]) { return (.utf16BE, 2) }
        return ((try? TextDecoder(.utf8).decode(prefix)) != nil ? .utf8 : .gb18030, 0)
    }
}

/// Turns a file's bytes, chunk by chunk, into text: memory stays bounded whatever the file's size, and a character split
/// between two chunks is carried over. Bytes that are not text in the encoding are an error naming their offset, never
/// replaced silently. GB18030 and UTF-16 go through the C library's iconv.
public final class TextDecoder {
    public struct Failure: Error, Equatable, Sendable {
        /// Where in the file (0-based, bytes) the first byte that is not text lies.
        public var offset: Int
        public var encoding: TextEncoding

        public init(offset: Int, encoding: TextEncoding) {
            (self.offset, self.encoding) = (offset, encoding)
        }
    }

    public let encoding: TextEncoding
    private var pending: [UInt8] = []
    private var consumed = 0
    private let converter: iconv_t?

    public init(_ encoding: TextEncoding) {
        self.encoding = encoding
        if encoding == .utf8 {
            converter = nil
        } else {
            let opened = iconv_open("UTF-8", encoding.rawValue.uppercased())
            converter = opened == iconv_t(bitPattern: -1) ? nil : opened
        }
    }

    deinit {
        if let converter { iconv_close(converter) }
    }

    /// The text of `chunk` (with what the previous chunk left incomplete); `final`: no more bytes follow, so an
    /// incomplete character at the end is an error.
    public func decode(_ chunk: [UInt8], final: Bool = false) throws(Failure) -> String {
        let bytes = pending + chunk
        let start = consumed - pending.count
        let (text, used) = encoding == .utf8 ? try utf8(bytes, at: start) : try convert(bytes, at: start)
        pending = Array(bytes[used...])
        consumed += chunk.count
        if final, !pending.isEmpty { throw Failure(offset: consumed - pending.count, encoding: encoding) }
        return text
    }

    private func utf8(_ bytes: [UInt8], at start: Int) throws(Failure) -> (String, Int) {
        // A sequence cut off at the end (a lead byte and fewer continuation bytes than it announces) waits for the rest.
        var end = bytes.count
        var i = bytes.count - 1, back = 0
        while i >= 0, back < 3, bytes[i] & 0xC0 == 0x80 { i -= 1; back += 1 }
        if i >= 0, bytes[i] >= 0xC0, back + 1 < (bytes[i] >= 0xF0 ? 4 : bytes[i] >= 0xE0 ? 3 : 2) { end = i }
        if let text = String(validating: bytes[..<end], as: UTF8.self) { return (text, end) }
        // Not valid: find where, scalar by scalar.
        var decoder = UTF8(), scalars = String.UnicodeScalarView(), offset = 0
        var iterator = bytes[..<end].makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                offset += String(scalar).utf8.count
            case .emptyInput: return (String(scalars), end)
            case .error: throw Failure(offset: start + offset, encoding: encoding)
            }
        }
    }

    private func convert(_ bytes: [UInt8], at start: Int) throws(Failure) -> (String, Int) {
        guard let converter else { throw Failure(offset: start, encoding: encoding) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 2 + 16)
        var inLeft = input.count, outLeft = output.count
        let stopped: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress, outPointer = outBuffer.baseAddress
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return result == -1 ? Int(errno) : 0
            }
        }
        let used = input.count - inLeft
        // EINVAL: an incomplete character at the end, kept for the next chunk; EILSEQ: bytes that are no character.
        if stopped == EILSEQ { throw Failure(offset: start + used, encoding: encoding) }
        let text = String(decoding: output[..<(output.count - outLeft)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return (text, used)
    }
}
