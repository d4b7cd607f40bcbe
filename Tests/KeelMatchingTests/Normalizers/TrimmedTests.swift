import Foundation
import KeelMatching
import Testing

@Suite struct TrimmedTests {
    /// `trimmed` is Foundation's trimming of white space and line breaks, whatever the text.
    @Test func trimsAsFoundationDoes() {
        let texts = ["", " ", "\u{3000}", " 0755-86001234 ", "\t深圳市腾达科技有限公司\r\n", "\u{00A0}张 伟\u{2003}", "\u{0085}x\u{000B}",
                     "a", "  a b  ", "\n\n", "👍🏽 ", " é\u{301} ", "(010)12345678", "\u{FEFF}甲\u{FEFF}"]
        for text in texts {
            #expect(text.trimmed == text.trimmingCharacters(in: .whitespacesAndNewlines), "\(Array(text.unicodeScalars))")
            #expect(text[...].trimmed == text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }
}
