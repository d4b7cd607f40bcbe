import Foundation

/// The folds every comparison starts from: NFKC (full-width letters, digits and brackets become half-width),
/// Traditional → Simplified Chinese, lower case, and runs of white space made one space.
public enum TextFold {
    public static func fold(_ text: String) -> String {
        // Plain ASCII (most Latin data) needs neither NFKC nor Traditional → Simplified.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) }).joined(separator: [0x20])
                .map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        let compatible = text.precomposedStringWithCompatibilityMapping
        let hasHan = compatible.unicodeScalars.contains { $0.properties.isIdeographic }
        let simplified = hasHan ? compatible.applyingTransform(StringTransform("Hant-Hans"), reverse: false) ?? compatible : compatible
        return simplified.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Pinyin without tones or spaces (`腾讯` → `tengxun`); other letters and digits as they are.
    public static func pinyin(_ text: String) -> String {
        let latin = text.applyingTransform(.mandarinToLatin, reverse: false) ?? text
        let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        return String(plain.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}
