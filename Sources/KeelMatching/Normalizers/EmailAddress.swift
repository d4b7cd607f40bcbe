import Foundation

/// E-mail addresses: folded to half-width, trimmed, the domain in lower case (the local part keeps its case, as
/// RFC 5321 allows servers to care), and checked for a plausible shape.
public enum EmailAddress {
    public static func normalize(_ text: String) -> String? {
        let folded = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        let parts = folded.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...64).contains(parts[0].count), folded.count <= 254,
              !parts[0].hasPrefix("."), !parts[0].hasSuffix("."), !parts[0].contains(".."),
              parts[0].allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "!#$%&'*+-/=?^_`{|}~.".contains($0)) }),
              let domain = WebAddress.host(String(parts[1])) else { return nil }
        return "\(parts[0])@\(domain)"
    }

    public static func isValid(_ text: String) -> Bool { normalize(text) != nil }

    /// The domain part, lower case (`Info@Tencent.COM` → `tencent.com`).
    public static func domain(_ text: String) -> String? {
        normalize(text).map { String($0.split(separator: "@")[1]) }
    }
}
