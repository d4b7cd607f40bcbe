import Foundation

/// Web addresses and domains: `HTTPS://WWW.Tencent.com/zh-cn/` and `tencent.com` are the same site.
public enum WebAddress {
    /// A host name checked label by label (letters, digits, hyphens; at least two labels; a letter-only top level),
    /// folded to lower case; internationalised names are kept in Unicode.
    public static func host(_ text: String) -> String? {
        let host = text.precomposedStringWithCompatibilityMapping.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ". "))
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard host.count <= 253, labels.count >= 2,
              labels.allSatisfy({ label in
                  (1...63).contains(label.count) && !label.hasPrefix("-") && !label.hasSuffix("-")
                      && label.allSatisfy { $0 == "-" || $0.isLetter || $0.isNumber }
              }),
              let top = labels.last, top.count >= 2, top.allSatisfy(\.isLetter) else { return nil }
        return host
    }

    /// The site a URL or bare domain names, without scheme, `www.`, port, path or query; nil when it names none.
    public static func domain(_ text: String) -> String? {
        var rest = text.precomposedStringWithCompatibilityMapping.trimmingCharacters(in: .whitespacesAndNewlines)
        if let scheme = rest.range(of: "://") {
            guard ["http", "https"].contains(rest[..<scheme.lowerBound].lowercased()) else { return nil }
            rest = String(rest[scheme.upperBound...])
        }
        let authority = rest.split(whereSeparator: { "/?#".contains($0) }).first.map(String.init) ?? ""
        let hostPart = authority.split(separator: "@").last.map(String.init) ?? ""
        let withoutPort = hostPart.split(separator: ":").first.map(String.init) ?? ""
        guard let host = host(withoutPort) else { return nil }
        return host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
    }
}
