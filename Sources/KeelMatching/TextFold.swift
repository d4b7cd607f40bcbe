import Foundation

/// The folds every comparison starts from: NFKC (full-width letters, digits and brackets become half-width),
/// Traditional → Simplified Chinese, lower case, and runs of white space made one space.
public enum TextFold {
    public static func fold(_ text: String) -> String {
        let compatible = text.precomposedStringWithCompatibilityMapping
        let simplified = compatible.applyingTransform(StringTransform("Hant-Hans"), reverse: false) ?? compatible
        return simplified.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Pinyin without tones or spaces (`腾讯` → `tengxun`); other letters and digits as they are.
    public static func pinyin(_ text: String) -> String {
        let latin = text.applyingTransform(.mandarinToLatin, reverse: false) ?? text
        let plain = latin.applyingTransform(.stripDiacritics, reverse: false) ?? latin
        return String(plain.lowercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }
}
