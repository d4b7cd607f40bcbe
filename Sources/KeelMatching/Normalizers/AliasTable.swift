import Foundation

/// Names that mean the same trade name (腾讯 ↔ Tencent ↔ tengxun), so that a company written in Chinese, English or
/// pinyin compares equal. Each group's first name is the canonical one. Latin names also match with a typo
/// ("Tecent": one edit, two for names of eight letters or more), since a misspelt English name is far likelier than a different company one letter away.
public struct AliasTable: Sendable {
    public private(set) var groups: [[String]]
    /// Every folded alias → its canonical name, longest aliases first for prefix matching.
    private var lookup: [(alias: String, canonical: String)] = []

    public init(_ groups: [[String]]) {
        self.groups = groups.map { $0.map(TextFold.fold).filter { !$0.isEmpty } }.filter { $0.count >= 2 }
        for group in self.groups {
            for alias in group { lookup.append((alias, group[0])) }
            // Pinyin of a Chinese name is an alias too (tengxun).
            if let chinese = group.first(where: { $0.unicodeScalars.contains { $0.value >= 0x4E00 } }) {
                lookup.append((TextFold.pinyin(chinese), group[0]))
            }
        }
        lookup.sort { $0.alias.count > $1.alias.count }
    }

    /// A few well-known groups; organisations edit their own table in the admin.
    public static let standard = AliasTable([
        ["腾讯", "tencent"], ["阿里巴巴", "alibaba"], ["百度", "baidu"], ["华为", "huawei"], ["小米", "xiaomi"],
        ["京东", "jd", "jingdong"], ["字节跳动", "bytedance"], ["联想", "lenovo"], ["海尔", "haier"], ["美的", "midea"],
        ["比亚迪", "byd"], ["中兴", "zte"], ["网易", "netease"], ["大疆", "dji"], ["迈瑞", "mindray"],
    ])

    /// Industry words written in English, read as the Chinese word a registered name would use.
    static let industryWords: [(String, String)] = [
        ("technology", "科技"), ("technologies", "科技"), ("tech", "科技"), ("information", "信息"), ("network", "网络"),
        ("software", "软件"), ("electronics", "电子"), ("trading", "贸易"), ("medical", "医疗"), ("pharmaceutical", "医药"),
        ("biotech", "生物科技"), ("biotechnology", "生物科技"), ("computer", "计算机"), ("systems", "系统"), ("system", "系统"),
        ("machinery", "机械"), ("logistics", "物流"), ("chemical", "化工"), ("materials", "材料"), ("energy", "能源"), ("food", "食品"),
    ]

    /// A company key with its trade name replaced by the canonical alias and English industry words in Chinese:
    /// "tencent technology" and "tecent technology" → "腾讯科技".
    public func canonical(_ key: String) -> String {
        var words = key.split(separator: " ").map(String.init)
        guard !words.isEmpty else { return key }
        if let hit = lookup.first(where: { key.startsWith($0.alias) && (!isLatin($0.alias.last!) || key.count == $0.alias.count || key.dropFirst($0.alias.count).first == " ") }) {
            words = (hit.canonical + key.dropFirst(hit.alias.count)).split(separator: " ").map(String.init)
        } else if isLatin(words[0].first!), words[0].count >= 5,
                  let hit = lookup.first(where: { isLatin($0.alias.first!) && $0.alias.count >= 5
                    && Similarity.levenshtein(words[0], $0.alias) <= ($0.alias.count >= 8 ? 2 : 1) }) {
            words[0] = hit.canonical
        }
        words = words.map { word in Self.industryWords.first { $0.0 == word }?.1 ?? word }
        // Chinese runs are written without spaces; keep spaces only between Latin words.
        var out = ""
        for word in words {
            if let last = out.last, isLatin(last), isLatin(word.first!) { out += " " }
            out += word
        }
        return out
    }

    private func isLatin(_ c: Character) -> Bool { c.isASCII }
}
