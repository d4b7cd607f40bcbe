import KeelCore

/// The languages the UI speaks.
public enum Language: String, Sendable, CaseIterable {
    case zhCN = "zh-CN"
    case en

    /// The best match for an `Accept-Language` header; Chinese when nothing matches.
    public static func preferred(acceptLanguage: String?) -> Language {
        guard let header = acceptLanguage?.lowercased() else { return .zhCN }
        let ranked = header.split(separator: ",").map { part -> (String, Double) in
            let pieces = part.split(separator: ";")
            let tag = pieces.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            let q = pieces.dropFirst().first { $0.trimmingCharacters(in: .whitespaces).hasPrefix("q=") }
                .flatMap { Double($0.trimmingCharacters(in: .whitespaces).dropFirst(2)) } ?? 1
            return (tag, q)
        }.sorted { $0.1 > $1.1 }
        for (tag, _) in ranked {
            if tag.hasPrefix("zh") { return .zhCN }
            if tag.hasPrefix("en") { return .en }
        }
        return .zhCN
    }

    public func label(_ labels: Labels) -> String { self == .zhCN ? labels.zhCN : labels.en }
}
