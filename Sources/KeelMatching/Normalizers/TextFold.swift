import Foundation
import Synchronization

/// The folds every comparison starts from: NFKC (full-width letters, digits and brackets become half-width),
/// Traditional → Simplified Chinese, lower case, and runs of white space made one space.
/// Chinese characters are converted one at a time through a cache: ICU builds a transliterator on every call, which
/// costs far more than the conversion, and the same few thousand characters come back again and again.
public enum TextFold {
    public static func fold(_ text: String) -> String {
        // Plain ASCII (most Latin data) needs neither NFKC nor Traditional → Simplified.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            return String(decoding: text.utf8.split(whereSeparator: { $0 == 0x20 || (0x09...0x0D).contains($0) }).joined(separator: [0x20])
                .map { (0x41...0x5A).contains($0) ? $0 + 0x20 : $0 }, as: UTF8.self)
        }
        // NFKC changes neither ASCII nor the CJK Unified Ideographs: most Chinese names skip it.
        let plain = text.unicodeScalars.allSatisfy { $0.isASCII || (0x4E00...0x9FFF).contains($0.value) || (0x3400...0x4DBF).contains($0.value) }
        var simplified = String.UnicodeScalarView()
        for scalar in (plain ? text : text.precomposedStringWithCompatibilityMapping).unicodeScalars {
            if scalar.properties.isIdeographic { simplified.append(contentsOf: convert(scalar, simplifiedCache, "Hant-Hans").unicodeScalars) }
            else { simplified.append(scalar) }
        }
        return String(simplified).lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// Pinyin without tones or spaces (`腾讯` → `tengxun`); other letters and digits as they are.
    public static func pinyin(_ text: String) -> String {
        var out = ""
        for scalar in text.unicodeScalars {
            if scalar.properties.isIdeographic { out += convert(scalar, pinyinCache, "Han-Latin; Latin-ASCII") }
            else if CharacterSet.alphanumerics.contains(scalar) { out += String(scalar).lowercased() }
        }
        return out.utf8.allSatisfy({ $0 < 0x80 }) ? out : out.applyingTransform(.stripDiacritics, reverse: false) ?? out
    }

    static let simplifiedCache = Mutex<[UInt32: String]>([:])
    static let pinyinCache = Mutex<[UInt32: String]>([:])

    static func convert(_ scalar: Unicode.Scalar, _ cache: borrowing Mutex<[UInt32: String]>, _ transform: String) -> String {
        if let hit = cache.withLock({ $0[scalar.value] }) { return hit }
        let converted = String(scalar).applyingTransform(StringTransform(transform), reverse: false) ?? String(scalar)
        let value = transform == "Hant-Hans" ? converted : String(converted.lowercased().filter { $0.isLetter || $0.isNumber })
        cache.withLock { $0[scalar.value] = value }
        return value
    }
}
