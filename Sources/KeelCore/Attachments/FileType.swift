import Foundation

/// What a file is, from its first bytes — never from its name or the type the uploader claims: documents, images,
/// audio and plain text are kept; anything a browser or a shell could run (HTML, SVG, scripts, executables) or that
/// cannot be told is refused.
public enum FileType {
    /// The MIME type of `bytes` if Keel keeps files of that type, else nil.
    public static func sniff(_ bytes: some Collection<UInt8>) -> String? {
        let head = Array(bytes.prefix(512))
        func starts(_ magic: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + magic.count && Array(head[offset..<offset + magic.count]) == magic
        }
        if starts(Array("%PDF-".utf8)) { return "application/pdf" }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { return "image/png" }
        if starts([0xFF, 0xD8, 0xFF]) { return "image/jpeg" }
        if starts(Array("GIF87a".utf8)) || starts(Array("GIF89a".utf8)) { return "image/gif" }
        if starts(Array("RIFF".utf8)), starts(Array("WEBP".utf8), at: 8) { return "image/webp" }
        if starts(Array("RIFF".utf8)), starts(Array("WAVE".utf8), at: 8) { return "audio/wav" }
        if starts(Array("ID3".utf8)) || starts([0xFF, 0xFB]) || starts([0xFF, 0xF3]) { return "audio/mpeg" }
        if starts(Array("ftyp".utf8), at: 4) { return starts(Array("M4A".utf8), at: 8) ? "audio/mp4" : "video/mp4" }
        // Office documents (docx, xlsx, pptx) are ZIP archives; they are kept as such, to be downloaded, never opened here.
        if starts([0x50, 0x4B, 0x03, 0x04]) { return "application/zip" }
        if starts([0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) { return "application/x-ole-storage" }
        return isPlainText(head) ? "text/plain; charset=utf-8" : nil
    }

    /// Valid UTF-8 without NULs or other control bytes, that does not open like markup or a script.
    static func isPlainText(_ head: [UInt8]) -> Bool {
        guard !head.isEmpty, !head.contains(where: { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20) || $0 == 0x7F }) else { return false }
        // A cut in the middle of a character at the end of the sample is fine.
        var sample = head
        while let last = sample.last, last & 0xC0 == 0x80 || last >= 0xC0 { sample.removeLast(); if last >= 0xC0 { break } }
        guard String(validating: sample, as: UTF8.self) != nil else { return false }
        let start = String(decoding: head.prefix(64), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        return !["<", "#!", "%!"].contains { start.hasPrefix($0) }
    }
}
