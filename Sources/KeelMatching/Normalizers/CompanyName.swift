import Foundation

/// A company name taken apart the way Chinese company names are built — region + trade name (字号) + industry +
/// legal form, the region perhaps in parentheses after the trade name — so that "深圳市腾讯科技有限公司" and
/// "腾讯科技（深圳）有限公司" (or "騰訊科技(深圳)有限公司") compare equal, while a branch ("…北京分公司") stays a
/// different entity. English names ("Tencent Technology (Shenzhen) Co., Ltd.") are taken apart the same way.
public struct CompanyName: Hashable, Sendable {
    /// Trade name and industry: what identifies the company within its region (`腾讯科技`).
    public var core: String
    /// The most specific region named (`深圳`), in Chinese or pinyin as written.
    public var region: String?
    public var legalForm: String?
    /// The branch part (`北京分公司`): branches are distinct legal entities, never merged with the head office.
    public var branch: String?

    /// What duplicate checks compare: the core, and the branch when there is one.
    public var key: String { branch.map { "\(core)|\($0)" } ?? core }

    public init(_ text: String) {
        // One pass: brackets made round, commas and full stops spaces ("co.,ltd" → "co ltd"), spaces kept in Latin
        // names only; then runs of spaces made one.
        let folded = TextFold.fold(text)
        let latin = Self.isLatinContext(folded)
        var unified = String.UnicodeScalarView()
        for u in folded.unicodeScalars {
            switch u {
            case "【", "〔", "[", "（": unified.append("(")
            case "】", "〕", "]", "）": unified.append(")")
            case ",", ".": unified.append(" ")
            case _ where u.properties.isWhitespace: if latin { unified.append(" ") }
            default: unified.append(u)
            }
        }
        var name = String(unified).split(separator: " ").joined(separator: " ")

        // The branch: whatever follows the legal form and ends in a branch marker.
        if let marker = Self.branchMarkers.first(where: { name.endsWith($0) }) {
            let head = String(name.dropLast(marker.count))
            if let end = Self.legalForms.compactMap({ head.range(of: $0, options: .backwards)?.upperBound }).max() {
                branch = String(head[end...]) + marker
                name = String(head[..<end])
            } else {
                branch = marker
                name = head
            }
        }
        // A department or the head office of the same company: "腾讯-大客户部", "腾讯深圳总部".
        if let dash = name.lastIndex(where: { "-_/".contains($0) }), name[dash...].endsWith("部"), !name.endsWith("分部") {
            name = String(name[..<dash]).trimmingSpaces
        }
        for noise in ["总部", "headquarters", "hq"] where name.endsWith(noise) && name.count > noise.count + 1 {
            name = String(name.dropLast(noise.count)).trimmingSpaces
        }
        // The legal form at the end.
        if let form = Self.legalForms.first(where: { name.endsWith($0) && name.count > $0.count }) {
            legalForm = form
            name = String(name.dropLast(form.count)).trimmingSpaces
        }
        // A region in parentheses anywhere: "腾讯科技(深圳)".
        while let open = name.firstIndex(of: "("), let close = name[open...].firstIndex(of: ")") {
            let inside = String(name[name.index(after: open)..<close]).trimmingSpaces
            if let r = Self.region(inside) { region = region ?? r }
            name = (String(name[..<open]) + " " + String(name[name.index(after: close)...])).split(separator: " ").joined(separator: " ")
        }
        // A legal form before the parentheses: "海天塑机集团(宁波)有限公司".
        if let form = Self.legalForms.first(where: { name.endsWith($0) && name.count > $0.count + 1 }) {
            legalForm = form + (legalForm ?? "")
            name = String(name.dropLast(form.count)).trimmingSpaces
        }
        // Regions in front ("广东省深圳市…": the last, most specific, one counts), then one just before the legal form.
        while let (r, length) = Self.leadingRegion(name), name.count - length >= 2 {
            region = r
            name = String(name.dropFirst(length)).trimmingSpaces
        }
        if region == nil, let r = Self.regions.first(where: { name.endsWith($0.name) && name.count - $0.name.count >= 2 }) {
            region = r.name
            name = String(name.dropLast(r.name.count)).trimmingSpaces
        } else if region == nil, let r = Self.regions.first(where: { name.endsWith(" " + $0.pinyin) }) {
            region = r.pinyin
            name = String(name.dropLast(r.pinyin.count + 1))
        }
        core = name
    }

    /// The trade name (字号): the core without the industry words at its end (`腾讯科技` → `腾讯`).
    public var tradeName: String { Self.tradeName(of: core) }

    public static func tradeName(of core: String) -> String {
        var name = core
        while let word = industryWords.first(where: { name.endsWith($0) && name.count > $0.count + 1 }) {
            name = String(name.dropLast(word.count))
        }
        return name
    }

    static let industryWords = [
        "科技", "技术", "信息", "网络", "软件", "电子", "贸易", "医疗", "医药", "生物", "器械", "计算机", "系统", "发展", "实业", "控股",
        "投资", "咨询", "服务", "工程", "建设", "设备", "制造", "商贸", "文化", "传媒", "智能", "数据", "云计算", "物流", "管理",
        "机械", "机电", "电器", "电气", "仪器", "自动化", "汽车", "化工", "材料", "能源", "环保", "食品", "药业", "通信", "光电",
        "建筑", "装饰", "设计", "广告", "包装", "印刷", "纺织", "服饰", "家具", "五金", "供应链", "房地产", "物业", "餐饮", "教育",
    ].sorted { $0.count > $1.count }

    static func isLatinContext(_ s: String) -> Bool { s.unicodeScalars.contains { $0.isASCII && CharacterSet.letters.contains($0) } }

    static let legalForms: [String] = [
        "集团股份有限公司", "集团有限公司", "股份有限公司", "有限责任公司", "(有限合伙)", "有限合伙", "有限公司", "集团", "公司", "厂", "工作室",
        "company limited", "co ltd", "corporation", "limited", "group", "corp", "ltd", "inc", "llc", "gmbh", "co",
    ].sorted { $0.count > $1.count }

    static let branchMarkers = ["分公司", "分店", "办事处", "营业部", "分部", "分行", "支行", "代表处", "分厂", "branch"]

    /// Provinces, regions and the larger cities, with their pinyin; `中国` too, as in "阿里巴巴（中国）有限公司".
    static let regionNames = [
        "中国", "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽", "福建", "江西", "山东", "河南",
        "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西", "甘肃", "青海", "台湾", "内蒙古", "广西", "西藏", "宁夏", "新疆", "香港",
        "澳门", "深圳", "广州", "杭州", "南京", "苏州", "无锡", "宁波", "温州", "成都", "武汉", "长沙", "西安", "郑州", "济南", "青岛", "大连",
        "沈阳", "长春", "哈尔滨", "合肥", "福州", "厦门", "南昌", "昆明", "贵阳", "南宁", "海口", "三亚", "兰州", "西宁", "银川", "乌鲁木齐",
        "拉萨", "呼和浩特", "石家庄", "太原", "东莞", "佛山", "珠海", "中山", "惠州", "汕头", "常州", "南通", "徐州", "扬州", "绍兴", "嘉兴",
        "金华", "台州", "湖州", "烟台", "潍坊", "泉州", "漳州", "洛阳", "宜昌", "襄阳", "株洲", "绵阳", "柳州", "桂林", "保定", "唐山", "廊坊",
        "包头", "鄂尔多斯", "大庆", "浦东", "滨海", "前海", "南山",
    ]
    static let regions: [(name: String, pinyin: String)] = regionNames.map { ($0, TextFold.pinyin($0)) }.sorted { $0.name.count > $1.name.count }
    static let regionSuffixes = ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "新区", "省", "市", "区", "县"]

    /// A region name, with or without its administrative suffix, in Chinese or pinyin (`深圳市`, `深圳`, `shenzhen`).
    static func region(_ text: String) -> String? {
        guard text.count <= 12 else { return nil }   // longer than any region with its suffix
        let bare = regionSuffixes.first { text.endsWith($0) && text.count > $0.count }.map { String(text.dropLast($0.count)) } ?? text
        if let r = regions.first(where: { $0.name == bare }) { return r.name }
        let joined = bare.filter { $0 != " " }
        return regions.first { $0.pinyin == joined }?.pinyin
    }

    /// A region as `region` gives it (Chinese name or pinyin), in pinyin: from the table, without a transliteration.
    static func pinyin(ofRegion region: String) -> String {
        regions.first { $0.name == region }?.pinyin ?? region
    }

    /// A region at the start of `name` and how many characters it takes with its suffix (`深圳市` → 深圳, 3).
    /// `中国` in front is part of the trade name (中国银行, 中国平安), not a region.
    static func leadingRegion(_ name: String) -> (String, Int)? {
        if let r = regions.first(where: { name.startsWith($0.name) && $0.name != "中国" }) {
            let rest = name.dropFirst(r.name.count)
            let suffix = regionSuffixes.first { rest.startsWith($0) }?.count ?? 0
            return (r.name, r.name.count + suffix)
        }
        if let r = regions.first(where: { name.startsWith($0.pinyin + " ") }) { return (r.pinyin, r.pinyin.count + 1) }
        return nil
    }
}

extension StringProtocol {
    /// `hasPrefix` and `hasSuffix` on the UTF-8 bytes: the same answers for folded (NFKC) text, without the grapheme
    /// breaking that makes the Character-wise tests costly when a name is checked against every region and legal form.
    func startsWith(_ prefix: String) -> Bool { utf8.starts(with: prefix.utf8) }

    func endsWith(_ suffix: String) -> Bool { utf8.count >= suffix.utf8.count && utf8.reversed().starts(with: suffix.utf8.reversed()) }
}

extension String {
    /// Without leading and trailing spaces (the parser's text has no other white space).
    var trimmingSpaces: String {
        var start = startIndex, end = endIndex
        while start < end, utf8[start] == 0x20 { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)] == 0x20 { end = utf8.index(before: end) }
        return String(self[start..<end])
    }
}
