import Foundation
import KeelMatching
import Testing

/// Company names, resident ID numbers, e-mail addresses and web addresses, as the matching engine will compare them.
@Suite struct NormalizerTests {
    @Test(arguments: ["深圳市腾讯科技有限公司", "腾讯科技（深圳）有限公司", "腾讯科技(深圳)有限公司", "騰訊科技（深圳）有限公司", "腾讯科技 (深圳市) 有限公司",
                      "广东省深圳市腾讯科技有限公司", "腾讯科技深圳有限公司"])
    func oneCompanyWrittenManyWays(_ text: String) {
        let name = CompanyName(text)
        #expect(name.core == "腾讯科技", "\(text)")
        #expect(name.region == "深圳", "\(text)")
        #expect(name.legalForm == "有限公司", "\(text)")
        #expect(name.key == "腾讯科技", "\(text)")
    }

    @Test func branchesAndOtherFormsStayDistinct() {
        let branch = CompanyName("腾讯科技（深圳）有限公司北京分公司")
        #expect(branch.core == "腾讯科技" && branch.branch == "北京分公司")
        #expect(branch.key != CompanyName("深圳市腾讯科技有限公司").key)
        #expect(CompanyName("北京字节跳动科技有限公司").core == "字节跳动科技")
        #expect(CompanyName("阿里巴巴（中国）有限公司") == CompanyName("阿里巴巴(中国)有限公司"))
        #expect(CompanyName("阿里巴巴（中国）有限公司").core == "阿里巴巴")
        #expect(CompanyName("华为技术有限公司").region == nil)
        #expect(CompanyName("中国平安保险(集团)股份有限公司").core == "中国平安保险")
        #expect(CompanyName("中国银行股份有限公司").core == "中国银行")
        // A name that is all region is not emptied.
        #expect(CompanyName("上海市").core.isEmpty == false)
    }

    /// The trade name (字号) is what a brand-only row (`远航`, `远航-大客户部`) is compared with: common industry words
    /// (machinery, chemicals, food…) come off it, two characters of name always stay.
    @Test(arguments: [("苏州市远航机械有限公司", "远航"), ("远航医疗器械(苏州)有限公司", "远航"), ("宁波市海天化工材料有限公司", "海天"),
                      ("北京市天成食品有限公司", "天成"), ("深圳市能源有限公司", "能源")])
    func tradeNamesLoseTheirIndustryWords(_ text: String, _ trade: String) {
        #expect(CompanyName(text).tradeName == trade, "\(text)")
    }

    @Test func englishNamesComeApartTheSameWay() {
        let name = CompanyName("Tencent Technology (Shenzhen) Co., Ltd.")
        #expect(name.core == "tencent technology" && name.region == "shenzhen" && name.legalForm == "co ltd")
        #expect(CompanyName("TENCENT TECHNOLOGY (SHENZHEN) COMPANY LIMITED").core == "tencent technology")
        #expect(CompanyName("Ｔｅｎｃｅｎｔ　Ｔｅｃｈｎｏｌｏｇｙ　Ｌｔｄ").core == "tencent technology")
        #expect(TextFold.pinyin("腾讯") == "tengxun")
    }

    @Test func residentIDsCheckTheirCheckCharacterAndBirthDate() {
        #expect(ResidentID.normalize("11010519491231002x") == "11010519491231002X")
        #expect(ResidentID.normalize("１１０１０５１９４９１２３１００２Ｘ") == "11010519491231002X")
        #expect(!ResidentID.isValid("110105194912310021"))   // wrong check character
        #expect(!ResidentID.isValid("11010519491331002X"))   // month 13
        #expect(!ResidentID.isValid("1101051949123100"))     // too short
        // A valid check character on an impossible date (30 February) is still refused.
        let digits = Array("11010519490230002")
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let check = Array("10X98765432")[zip(digits.compactMap(\.wholeNumberValue), weights).map(*).reduce(0, +) % 11]
        #expect(!ResidentID.isValid(String(digits) + String(check)))
        #expect(ResidentID.birthDate(of: "11010519491231002X") == DateComponents(year: 1949, month: 12, day: 31))
    }

    @Test func emailsAndWebAddresses() {
        #expect(EmailAddress.normalize(" Info@Tencent.COM ") == "Info@tencent.com")
        #expect(EmailAddress.normalize("ｉｎｆｏ＠ｔｅｎｃｅｎｔ．ｃｏｍ") == "info@tencent.com")
        #expect(EmailAddress.domain("sales@QQ.com") == "qq.com")
        for bad in ["info", "info@", "@tencent.com", "a..b@tencent.com", "info@tencent", "info@-tencent.com", "info@tencent.c0m", "a b@qq.com"] {
            #expect(!EmailAddress.isValid(bad), "\(bad)")
        }
        #expect(WebAddress.domain("HTTPS://WWW.Tencent.com/zh-cn/?a=1") == "tencent.com")
        #expect(WebAddress.domain("www.tencent.com") == "tencent.com")
        #expect(WebAddress.domain("tencent.com:8080/x") == "tencent.com")
        #expect(WebAddress.domain("http://user@qq.com") == "qq.com")
        #expect(WebAddress.domain("ftp://tencent.com") == nil)
        #expect(WebAddress.domain("not a site") == nil)
        #expect(WebAddress.domain("腾讯.中国") == "腾讯.中国")
    }
}
