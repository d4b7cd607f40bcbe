import Foundation
import KeelMatching

/// Which field each column of an imported file fills, suggested by its header — the field's own name, its zh or en
/// label, or a header Chinese sheets and CRM exports commonly use (客户名称, 手机, 统一社会信用代码 …) — and, where the
/// header says nothing, by what the column holds (phones, credit codes, e-mails). Each field takes one column at most:
/// the first that names it.
public enum ImportMapping {
    public enum Reason: String, Sendable {
        case fieldName = "field_name", label, synonym, content
    }

    public struct Suggestion: Equatable, Sendable {
        public var column: Int
        public var header: String
        /// Nil: no field fits; the column is left out unless mapped by hand.
        public var field: String?
        public var reason: Reason?
    }

    /// Headers that name a field, field by field in the order they are tried: a header names the first of these fields
    /// the object has ("客户名称" is a contact's account, a lead's company, an account's name).
    static let synonyms: [(field: String, headers: [String])] = [
        ("account", ["客户名称", "客户", "所属客户", "公司名称", "公司", "account name", "account", "company"]),
        ("company", ["公司名称", "公司", "客户名称", "企业名称", "单位名称", "company", "company name"]),
        ("name", ["客户名称", "公司名称", "企业名称", "单位名称", "名称", "姓名", "联系人", "联系人姓名", "account name", "full name", "name"]),
        ("credit_code", ["统一社会信用代码", "社会信用代码", "信用代码", "纳税人识别号", "税号", "unified social credit code", "credit code"]),
        ("mobile", ["手机", "手机号", "手机号码", "移动电话", "mobile", "mobile phone"]),
        ("phone", ["电话", "联系电话", "电话号码", "座机", "办公电话", "手机", "手机号", "手机号码", "phone", "business phone"]),
        ("email", ["邮箱", "电子邮箱", "邮件", "email", "e-mail", "email address"]),
        ("industry", ["行业", "所属行业", "industry"]),
        ("province", ["省份", "省", "所在省份", "province", "state", "billing state/province"]),
        ("city", ["城市", "市", "所在城市", "city", "billing city"]),
        ("address", ["地址", "详细地址", "公司地址", "通讯地址", "address", "billing street"]),
        ("title", ["职务", "职位", "title"]),
        ("website", ["网站", "网址", "官网", "website"]),
        ("legal_representative", ["法定代表人", "法人", "法人代表", "legal representative"]),
        ("wechat_id", ["微信", "微信号", "wechat"]),
        ("owner", ["负责人", "客户负责人", "所有人", "销售负责人", "owner", "account owner", "lead owner", "contact owner"]),
    ]

    /// How many of a column's filled sample cells must look like a kind of value for the column to be taken for it.
    static let contentShare = 0.8

    /// A suggestion per header. `samples`: the first rows, cell by cell as in the file (rows may be short).
    public static func suggest(headers: [String], samples: [[String]], object: ObjectDefinition) -> [Suggestion] {
        let writable = object.fields.filter { $0.formula == nil }
        var taken = Set<String>()
        var out = headers.enumerated().map { Suggestion(column: $0.offset, header: $0.element, field: nil, reason: nil) }
        func take(_ column: Int, _ field: String?, _ reason: Reason) {
            guard let field, !taken.contains(field), writable.contains(where: { $0.name == field }) else { return }
            (out[column].field, out[column].reason) = (field, reason)
            taken.insert(field)
        }
        let keys = headers.map(normalize)
        for (i, key) in keys.enumerated() where !key.isEmpty {
            take(i, writable.first { $0.name.lowercased() == key }?.name, .fieldName)
            guard out[i].field == nil else { continue }
            take(i, writable.first { normalize($0.labels.zhCN) == key || normalize($0.labels.en) == key }?.name, .label)
            guard out[i].field == nil else { continue }
            for (field, names) in synonyms where out[i].field == nil && names.contains(key) { take(i, field, .synonym) }
        }
        for i in out.indices where out[i].field == nil {
            let cells = samples.compactMap { i < $0.count ? $0[i].trimmingCharacters(in: .whitespaces) : nil }.filter { !$0.isEmpty }
            guard !cells.isEmpty else { continue }
            func share(_ test: (String) -> Bool) -> Double { Double(cells.filter(test).count) / Double(cells.count) }
            if share(CreditCode.isValid) >= contentShare {
                take(i, "credit_code", .content)
            } else if share(EmailAddress.isValid) >= contentShare {
                take(i, "email", .content)
            } else if share({ let phone = PhoneNumber($0); return phone.kind == .mobile && phone.isValid }) >= contentShare {
                take(i, taken.contains("mobile") || !writable.contains { $0.name == "mobile" } ? "phone" : "mobile", .content)
            } else if share({ PhoneNumber($0).isValid }) >= contentShare {
                take(i, "phone", .content)
            }
        }
        return out
    }

    /// A header as compared: trimmed, without the `*` that marks a required column in templates, lower case.
    static func normalize(_ header: String) -> String {
        header.trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "*＊\u{FEFF}"))).lowercased()
    }
}
