import Foundation

/// What a column holds, which decides how its values are normalised, compared and used for blocking.
public enum FieldRole: String, CaseIterable, Sendable {
    case name, givenName = "given-name", surname, company, region, phone, email, address, city, state, postcode, date
    case idNumber = "id-number", creditCode = "credit-code", number, text, ignore
    /// Where a person works: the id of their account, or a company's name. Compared whole, never a key on its own.
    case employer

    /// The role a column header suggests (`surname`, `电话`, `date_of_birth`, `统一社会信用代码`…); nil when none does.
    public static func detect(header: String) -> FieldRole? {
        let h = TextFold.fold(header).replacingOccurrences(of: " ", with: "_").replacingOccurrences(of: "-", with: "_")
        if let role = FieldRole(rawValue: h.replacingOccurrences(of: "_", with: "-")) { return role }
        for (role, words) in hints where words.contains(where: { h == $0 || h.contains($0) }) { return role }
        return nil
    }

    /// Header words per role, the more specific roles first (`company_name` is a company, not a name).
    static let hints: [(FieldRole, [String])] = [
        (.creditCode, ["credit_code", "uscc", "信用代码", "社会信用"]),
        (.idNumber, ["soc_sec", "ssn", "id_number", "id_no", "passport", "身份证", "证件"]),
        (.email, ["email", "e_mail", "mail", "邮箱", "邮件"]),
        (.phone, ["phone", "mobile", "tel", "fax", "电话", "手机", "座机", "联系方式"]),
        (.company, ["company", "organisation", "organization", "account", "employer", "公司", "企业", "客户名称", "单位"]),
        (.givenName, ["given_name", "first_name", "firstname", "forename", "名字"]),
        (.surname, ["surname", "last_name", "lastname", "family_name", "姓氏"]),
        (.postcode, ["postcode", "post_code", "zip", "postal", "邮编"]),
        (.date, ["date", "dob", "birth", "日期", "生日"]),
        (.number, ["street_number", "house_number", "number", "门牌"]),
        (.address, ["address", "street", "地址"]),
        (.city, ["suburb", "city", "town", "district", "城市", "区县"]),
        (.state, ["state", "province", "county", "region", "省份", "省"]),
        (.name, ["name", "contact", "姓名", "联系人", "名称"]),
    ]

    /// The value as compared: folded, and reduced to what identifies it for this role. Empty when there is nothing.
    public func normalize(_ raw: String, aliases: AliasTable = .standard, parsed: CompanyName? = nil) -> String {
        let folded = TextFold.fold(raw)
        if folded.isEmpty { return "" }
        switch self {
        case .company:
            return aliases.canonical(CompanyName(raw).key)   // PreparedValue parses once for key, trade name and region
        case .region:
            // A place (`深圳市`, `Shenzhen`), or the region inside a company name, in pinyin so both scripts agree.
            return (CompanyName.region(folded) ?? (parsed ?? CompanyName(raw)).region).map(CompanyName.pinyin(ofRegion:)) ?? ""
        case .phone:
            let phone = PhoneNumber(raw)
            return phone.e164 ?? folded.filter(\.isASCIIDigit)
        case .email:
            return EmailAddress.normalize(raw)?.lowercased() ?? folded
        case .employer:
            // A record id as it is; a company's name by its key (深圳市腾讯计算机系统有限公司 and 腾讯计算机(深圳) agree).
            return raw.unicodeScalars.allSatisfy(\.isASCII) ? folded.lowercased() : aliases.canonical(CompanyName(raw).key)
        case .idNumber, .creditCode, .postcode, .number:
            return folded.uppercased().filter { $0.isLetter || $0.isNumber }
        case .date:
            return folded.filter(\.isASCIIDigit)
        case .name, .givenName, .surname, .city, .state, .address, .text:
            return folded.filter { $0.isLetter || $0.isNumber || $0 == " " }.split(separator: " ").joined(separator: " ")
        case .ignore:
            return ""
        }
    }
}
