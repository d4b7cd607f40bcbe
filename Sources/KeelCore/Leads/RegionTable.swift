import Foundation

/// The one table every mapping of places goes through: countries and regions by ISO 3166-1 alpha-2 code with their
/// Chinese and English names (from the system's ICU data) and common aliases ("KSA", "沙特", "UAE", "南韩"), China's
/// provinces (ISO 3166-2) and its main cities. Look-ups ignore case, spaces and punctuation and accept names with or
/// without 省 / 市 / 自治区.
public enum RegionTable {
    /// Every place, countries first.
    public static let places: [Place] = countries + provinces + cities

    /// The place a text names: a code (`SA`, `CN-GD`), a name or an alias in either language. Countries, then
    /// provinces, then cities: 吉林 is the province.
    public static func place(_ text: String) -> Place? {
        let key = key(text)
        guard !key.isEmpty else { return nil }
        for candidate in [key] + stripped(key) {
            if let code = index[candidate] { return byCode[code] }
        }
        return nil
    }

    public static func place(code: String) -> Place? { byCode[code] }

    /// The country a text names (a code or name): nil when none does.
    public static func country(_ text: String) -> Place? {
        place(text).flatMap { $0.kind == .country ? $0 : nil }
    }

    /// The places a lead's country, province and city name, widest first, each with its parents (a city brings its
    /// province and China). `unknown` lists what was given but names no place.
    public static func resolve(country: String?, province: String?, city: String?) -> (places: [Place], unknown: [String]) {
        var found: [Place] = [], unknown: [String] = []
        for text in [country, province, city].compactMap({ $0 }) where !text.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let place = place(text) else {
                unknown.append(text)
                continue
            }
            var chain = [place]
            while let parent = chain.last?.parent.flatMap({ byCode[$0] }) { chain.append(parent) }
            for p in chain.reversed() where !found.contains(p) { found.append(p) }
        }
        return (found, unknown)
    }

    // MARK: - Look-up

    static func key(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { !CharacterSet.whitespacesAndNewlines.contains($0) && !"'’.-·()（）".unicodeScalars.contains($0) })
    }

    /// The text without an administrative suffix: 广东省 → 广东, 深圳市 → 深圳, 广西壮族自治区 → 广西.
    static func stripped(_ key: String) -> [String] {
        for suffix in ["特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "省", "市", "province", "city"] where key.hasSuffix(suffix) {
            return [String(key.dropLast(suffix.count))]
        }
        return []
    }

    static let byCode: [String: Place] = Dictionary(places.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })

    /// Normalised name → code. A name two places share in one kind (Taizhou: 泰州 and 台州) names neither; across kinds
    /// the wider place wins.
    static let index: [String: String] = {
        var out: [String: String] = [:], ambiguous = Set<String>()
        var names: [(String, Place)] = []
        for place in places {
            let own = [place.code, place.zh, place.en] + (aliases[place.code] ?? [])
            names += own.flatMap { [key($0)] + stripped(key($0)) }.map { ($0, place) }
            if place.kind == .city { names.append((key(place.code.split(separator: "/").last.map(String.init) ?? ""), place)) }
        }
        var kindOf: [String: Place.Kind] = [:]
        for (name, place) in names where !name.isEmpty {
            if let code = out[name], code != place.code {
                if kindOf[name] == place.kind { ambiguous.insert(name) }
                continue
            }
            out[name] = place.code
            kindOf[name] = place.kind
        }
        for name in ambiguous { out[name] = nil }
        return out
    }()

    // MARK: - Data

    /// ISO 3166-1 territories (the leaves of ICU's region tree, so no groupings such as EU), named by ICU in both
    /// languages; China and its special administrative regions as Chinese users name them.
    static let countries: [Place] = {
        func leaves(_ r: Locale.Region) -> [Locale.Region] {
            let sub = r.subRegions
            return sub.isEmpty ? [r] : sub.flatMap(leaves)
        }
        let zh = Locale(identifier: "zh_CN"), en = Locale(identifier: "en_US")
        let named: [String: (String, String)] = ["CN": ("中国", "China"), "HK": ("中国香港", "Hong Kong"), "MO": ("中国澳门", "Macao"),
                                                 "TW": ("中国台湾", "Taiwan")]
        return Set(leaves(Locale.Region.world).map(\.identifier)).filter { $0.count == 2 }.sorted().map { code in
            let (zhName, enName) = named[code] ?? (zh.localizedString(forRegionCode: code) ?? code, en.localizedString(forRegionCode: code) ?? code)
            return Place(.country, code: code, zh: zhName, en: enName)
        }
    }()

    static let provinces: [Place] = [
        ("BJ", "北京市", "Beijing"), ("TJ", "天津市", "Tianjin"), ("HE", "河北省", "Hebei"), ("SX", "山西省", "Shanxi"),
        ("NM", "内蒙古自治区", "Inner Mongolia"), ("LN", "辽宁省", "Liaoning"), ("JL", "吉林省", "Jilin"), ("HL", "黑龙江省", "Heilongjiang"),
        ("SH", "上海市", "Shanghai"), ("JS", "江苏省", "Jiangsu"), ("ZJ", "浙江省", "Zhejiang"), ("AH", "安徽省", "Anhui"),
        ("FJ", "福建省", "Fujian"), ("JX", "江西省", "Jiangxi"), ("SD", "山东省", "Shandong"), ("HA", "河南省", "Henan"),
        ("HB", "湖北省", "Hubei"), ("HN", "湖南省", "Hunan"), ("GD", "广东省", "Guangdong"), ("GX", "广西壮族自治区", "Guangxi"),
        ("HI", "海南省", "Hainan"), ("CQ", "重庆市", "Chongqing"), ("SC", "四川省", "Sichuan"), ("GZ", "贵州省", "Guizhou"),
        ("YN", "云南省", "Yunnan"), ("XZ", "西藏自治区", "Xizang"), ("SN", "陕西省", "Shaanxi"), ("GS", "甘肃省", "Gansu"),
        ("QH", "青海省", "Qinghai"), ("NX", "宁夏回族自治区", "Ningxia"), ("XJ", "新疆维吾尔自治区", "Xinjiang"),
    ].map { Place(.province, code: "CN-\($0.0)", zh: $0.1, en: $0.2, parent: "CN") }

    /// Provincial capitals and the main prefecture-level cities (and 义乌); the four municipalities are their own city.
    static let cities: [Place] = [
        ("BJ", "北京", "Beijing"), ("TJ", "天津", "Tianjin"), ("SH", "上海", "Shanghai"), ("CQ", "重庆", "Chongqing"),
        ("HE", "石家庄", "Shijiazhuang"), ("HE", "唐山", "Tangshan"), ("HE", "保定", "Baoding"), ("HE", "邯郸", "Handan"),
        ("HE", "廊坊", "Langfang"), ("HE", "秦皇岛", "Qinhuangdao"), ("HE", "沧州", "Cangzhou"),
        ("SX", "太原", "Taiyuan"), ("SX", "大同", "Datong"),
        ("NM", "呼和浩特", "Hohhot"), ("NM", "包头", "Baotou"), ("NM", "鄂尔多斯", "Ordos"),
        ("LN", "沈阳", "Shenyang"), ("LN", "大连", "Dalian"), ("LN", "鞍山", "Anshan"),
        ("JL", "长春", "Changchun"), ("JL", "吉林", "Jilin City"), ("HL", "哈尔滨", "Harbin"), ("HL", "大庆", "Daqing"),
        ("JS", "南京", "Nanjing"), ("JS", "苏州", "Suzhou"), ("JS", "无锡", "Wuxi"), ("JS", "常州", "Changzhou"), ("JS", "南通", "Nantong"),
        ("JS", "徐州", "Xuzhou"), ("JS", "扬州", "Yangzhou"), ("JS", "镇江", "Zhenjiang"), ("JS", "盐城", "Yancheng"), ("JS", "泰州", "Taizhou"),
        ("JS", "连云港", "Lianyungang"), ("JS", "淮安", "Huai'an"), ("JS", "宿迁", "Suqian"),
        ("ZJ", "杭州", "Hangzhou"), ("ZJ", "宁波", "Ningbo"), ("ZJ", "温州", "Wenzhou"), ("ZJ", "绍兴", "Shaoxing"), ("ZJ", "嘉兴", "Jiaxing"),
        ("ZJ", "金华", "Jinhua"), ("ZJ", "台州", "Taizhou"), ("ZJ", "湖州", "Huzhou"), ("ZJ", "义乌", "Yiwu"), ("ZJ", "舟山", "Zhoushan"),
        ("ZJ", "丽水", "Lishui"), ("ZJ", "衢州", "Quzhou"),
        ("AH", "合肥", "Hefei"), ("AH", "芜湖", "Wuhu"),
        ("FJ", "福州", "Fuzhou"), ("FJ", "厦门", "Xiamen"), ("FJ", "泉州", "Quanzhou"), ("FJ", "漳州", "Zhangzhou"), ("FJ", "莆田", "Putian"),
        ("JX", "南昌", "Nanchang"), ("JX", "赣州", "Ganzhou"),
        ("SD", "济南", "Jinan"), ("SD", "青岛", "Qingdao"), ("SD", "烟台", "Yantai"), ("SD", "潍坊", "Weifang"), ("SD", "临沂", "Linyi"),
        ("SD", "淄博", "Zibo"), ("SD", "济宁", "Jining"), ("SD", "威海", "Weihai"),
        ("HA", "郑州", "Zhengzhou"), ("HA", "洛阳", "Luoyang"),
        ("HB", "武汉", "Wuhan"), ("HB", "宜昌", "Yichang"), ("HB", "襄阳", "Xiangyang"),
        ("HN", "长沙", "Changsha"), ("HN", "株洲", "Zhuzhou"),
        ("GD", "广州", "Guangzhou"), ("GD", "深圳", "Shenzhen"), ("GD", "东莞", "Dongguan"), ("GD", "佛山", "Foshan"), ("GD", "珠海", "Zhuhai"),
        ("GD", "中山", "Zhongshan"), ("GD", "惠州", "Huizhou"), ("GD", "江门", "Jiangmen"), ("GD", "汕头", "Shantou"), ("GD", "湛江", "Zhanjiang"),
        ("GD", "肇庆", "Zhaoqing"),
        ("GX", "南宁", "Nanning"), ("GX", "柳州", "Liuzhou"), ("GX", "桂林", "Guilin"),
        ("HI", "海口", "Haikou"), ("HI", "三亚", "Sanya"),
        ("SC", "成都", "Chengdu"), ("SC", "绵阳", "Mianyang"), ("GZ", "贵阳", "Guiyang"), ("GZ", "遵义", "Zunyi"), ("YN", "昆明", "Kunming"),
        ("XZ", "拉萨", "Lhasa"), ("SN", "西安", "Xi'an"), ("SN", "宝鸡", "Baoji"), ("GS", "兰州", "Lanzhou"), ("QH", "西宁", "Xining"),
        ("NX", "银川", "Yinchuan"), ("XJ", "乌鲁木齐", "Urumqi"),
    ].map { Place(.city, code: "CN-\($0.0)/\($0.1)", zh: $0.1, en: $0.2, parent: "CN-\($0.0)") }

    /// Other names people type. ICU's own names (沙特阿拉伯, 阿拉伯联合酋长国, South Korea…) need no entry.
    static let aliases: [String: [String]] = [
        "CN": ["PRC", "中华人民共和国", "中国大陆", "China mainland", "Mainland China", "People's Republic of China", "CHN"],
        "HK": ["香港", "HKSAR", "Hong Kong SAR", "HKG"], "MO": ["澳门", "Macau", "MAC"], "TW": ["台湾", "TWN"],
        "US": ["USA", "美利坚合众国", "United States of America", "America", "U.S.", "U.S.A."],
        "GB": ["UK", "U.K.", "Great Britain", "Britain", "England", "大不列颠", "GBR"],
        "SA": ["KSA", "Saudi", "沙特", "Kingdom of Saudi Arabia", "SAU"], "AE": ["UAE", "阿联酋", "Emirates", "U.A.E.", "ARE"],
        "KR": ["Korea", "Republic of Korea", "南韩", "大韩民国", "KOR"], "KP": ["North Korea", "DPRK", "朝鲜", "北韩"],
        "RU": ["Russia", "Russian Federation", "俄国", "RUS"], "VN": ["Viet Nam", "VNM"], "NL": ["Holland", "The Netherlands", "NLD"],
        "CZ": ["Czech Republic", "捷克共和国"], "TR": ["Turkey", "TUR"], "CI": ["Ivory Coast", "Cote d'Ivoire"],
        "DE": ["Germany", "德意志", "DEU"], "JP": ["日本国", "JPN"], "SG": ["星加坡", "新加坡共和国", "SGP"], "MY": ["大马", "MYS"],
        "TH": ["泰国", "THA"], "ID": ["印尼", "IDN"], "PH": ["菲律宾", "PHL"], "IN": ["印度", "IND"], "AU": ["澳洲", "AUS"],
        "NZ": ["纽西兰", "NZL"], "CA": ["CAN"], "FR": ["法兰西", "FRA"], "IT": ["ITA"], "ES": ["ESP"], "BR": ["巴西", "BRA"],
        "MX": ["MEX"], "IR": ["Iran", "Persia"], "SY": ["Syria"], "LA": ["Laos"], "BO": ["Bolivia"], "VE": ["Venezuela"],
        "TZ": ["Tanzania"], "MD": ["Moldova"], "BN": ["Brunei"], "PS": ["Palestine"], "MM": ["Burma", "缅甸"],
        "CN-NM": ["Nei Mongol", "内蒙"], "CN-XZ": ["Tibet", "西藏"], "CN-GX": ["广西"], "CN-NX": ["宁夏"], "CN-XJ": ["新疆"],
        "CN-BJ/北京": ["Peking"], "CN-XJ/乌鲁木齐": ["Ürümqi"], "CN-SN/西安": ["Xian"], "CN-GD/广州": ["Canton"],
    ]
}
