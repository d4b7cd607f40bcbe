import KeelCore
import KeelMatching

/// Word lists and generators behind the demo company. Deterministic for a given seed.
extension DemoData {
    struct Region {
        var province: String, city: String, code: String, areaCode: String, industry: String
    }

    static let regions: [(String, String, String, String)] = [
        ("北京市", "北京", "110105", "010"), ("上海市", "上海", "310115", "021"), ("广东省", "深圳", "440305", "0755"),
        ("广东省", "广州", "440106", "020"), ("浙江省", "杭州", "330106", "0571"), ("江苏省", "苏州", "320505", "0512"),
        ("四川省", "成都", "510107", "028"), ("湖北省", "武汉", "420111", "027"), ("江苏省", "南京", "320106", "025"),
        ("陕西省", "西安", "610113", "029"), ("山东省", "青岛", "370212", "0532"), ("福建省", "厦门", "350206", "0592"),
    ]
    static let tradeSyllables = Array("华科瑞达通信腾远恒泰德鑫盛安明博创新智联海天宏嘉佳晟汇丰源启航云峰")
    static let industries = [("科技", "软件和信息技术"), ("生物科技", "生物医药"), ("医疗器械", "医疗器械"), ("电子", "电子制造"),
                             ("机械", "装备制造"), ("贸易", "批发零售"), ("物流", "交通物流"), ("新材料", "新材料"),
                             ("食品", "食品饮料"), ("建筑工程", "建筑业"), ("环保科技", "节能环保"), ("医院管理", "医院")]
    static let legalForms = ["有限公司", "有限公司", "股份有限公司", "有限责任公司"]
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾")
    static let givenNames = Array("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红")
    static let streets = ["中山路", "人民路", "科技园路", "解放大道", "建设路", "高新大道", "滨江路", "长安街"]
    static let titles = ["总经理", "采购经理", "设备科主任", "信息科负责人", "财务总监", "技术总监", "行政主管", "董事长"]
    static let channels = ["website", "trade_show", "referral", "wechat", "cold_call", "advertising", "shopify"]
    static let taskSubjects = ["回访客户，确认试用反馈", "发送正式报价单", "确认合同条款与付款方式", "安排技术交流会", "催收首付款"]
    static let products = ["ERP 系统", "智能仓储", "医疗影像设备", "数据中台", "工业传感器", "云服务", "安防监控", "办公设备"]
    static let subjects = ["首次电话沟通", "上门拜访", "产品演示", "报价跟进", "合同条款确认", "技术交流会", "微信跟进", "售后回访"]

    static func pick<T>(_ items: [T], _ rng: inout SeededGenerator) -> T { items[Int.random(in: 0..<items.count, using: &rng)] }

    static func companyName(_ rng: inout SeededGenerator) -> (String, Region) {
        let (province, city, code, area) = pick(regions, &rng)
        let trade = String([pick(tradeSyllables, &rng), pick(tradeSyllables, &rng)])
        let (industryWord, industry) = pick(industries, &rng)
        let legal = pick(legalForms, &rng)
        // Sometimes the region stands in parentheses after the trade name: 华瑞科技(深圳)有限公司.
        let name = Int.random(in: 0..<4, using: &rng) == 0 ? "\(trade)\(industryWord)(\(city))\(legal)" : "\(city)\(trade)\(industryWord)\(legal)"
        return (name, Region(province: province, city: city, code: code, areaCode: area, industry: industry))
    }

    static func creditCode(_ rng: inout SeededGenerator, region: String) -> String {
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let org = String((0..<9).map { _ in alphabet[Int.random(in: 0..<alphabet.count, using: &rng)] })
        let body = "91" + region + org
        return body + String(CreditCode.checkCharacter(for: body)!)
    }

    static func personName(_ rng: inout SeededGenerator) -> String {
        String(pick(surnames, &rng)) + String(pick(givenNames, &rng)) + (Int.random(in: 0..<2, using: &rng) == 0 ? String(pick(givenNames, &rng)) : "")
    }

    static func mobile(_ rng: inout SeededGenerator) -> String {
        let prefix = pick(["138", "139", "136", "150", "151", "186", "188", "177", "199", "135"], &rng)
        let rest = String(format: "%08d", Int.random(in: 0..<100_000_000, using: &rng))
        switch Int.random(in: 0..<4, using: &rng) {
        case 0: return "\(prefix) \(rest.prefix(4)) \(rest.suffix(4))"
        case 1: return "+86 \(prefix)\(rest)"
        case 2: return "\(prefix)-\(rest.prefix(4))-\(rest.suffix(4))"
        default: return prefix + rest
        }
    }

    static func phone(_ rng: inout SeededGenerator, areaCode: String) -> String {
        let digits = PhoneNumber.localNumberLengths(areaCode: areaCode)?.upperBound ?? 8
        let number = String(format: "%0\(digits)d", Int.random(in: 2 * Int(pow10(digits - 1))..<Int(pow10(digits)), using: &rng))
        switch Int.random(in: 0..<5, using: &rng) {
        case 0: return "\(areaCode)-\(number)"
        case 1: return "(\(areaCode))\(number)转\(Int.random(in: 100...8999, using: &rng))"
        case 2: return "\(areaCode)-\(number)#\(Int.random(in: 10...999, using: &rng))"
        case 3: return "+86 \(areaCode.dropFirst()) \(number)"
        default: return mobile(&rng)
        }
    }

    static func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }

    static func pinyinDomain(_ rng: inout SeededGenerator) -> String {
        let syllables = ["hua", "ke", "rui", "da", "tong", "xin", "teng", "yuan", "heng", "tai", "de", "sheng", "an", "ming", "bo", "chuang", "zhi", "lian", "hai", "tian"]
        return pick(syllables, &rng) + pick(syllables, &rng) + pick(syllables, &rng)
    }
}
