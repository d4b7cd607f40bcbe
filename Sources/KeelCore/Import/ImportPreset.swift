/// Mappings for the exports other CRMs write, so that their files import without mapping each column: Salesforce (Data
/// Loader's API field names and its reports' labels) and 纷享销客 (its exports' Chinese headers). A first and a last name
/// both go to `name` and are joined (`ImportValue.personName`). Picklists whose values differ between the systems (lead
/// status, lead source) are left out rather than failing every row.
public enum ImportPreset: String, Sendable, CaseIterable {
    case salesforce
    case fxiaoke

    /// Header → field for `object`; empty for an object the preset does not cover.
    public func columns(for object: String) -> [String: String] {
        switch (self, object) {
        case (.salesforce, "accounts"):
            ["Name": "name", "Account Name": "name", "Phone": "phone", "Website": "website", "Industry": "industry",
             "BillingStreet": "address", "Billing Street": "address", "BillingCity": "city", "Billing City": "city",
             "BillingState": "province", "Billing State/Province": "province", "OwnerId": "", "Account Owner": "owner", "Id": ""]
        case (.salesforce, "contacts"):
            ["FirstName": "name", "LastName": "name", "First Name": "name", "Last Name": "name", "Title": "title", "Email": "email",
             "Phone": "phone", "MobilePhone": "mobile", "Mobile": "mobile", "Account Name": "account", "AccountId": "", "Contact Owner": "owner",
             "OwnerId": "", "Id": ""]
        case (.salesforce, "leads"):
            ["FirstName": "name", "LastName": "name", "First Name": "name", "Last Name": "name", "Company": "company", "Company / Account": "company",
             "Email": "email", "Phone": "phone", "MobilePhone": "phone", "Mobile": "phone", "City": "city", "State": "province",
             "State/Province": "province", "Country": "country", "Industry": "industry", "Lead Owner": "owner", "Status": "", "Lead Status": "",
             "LeadSource": "", "Lead Source": "", "OwnerId": "", "Id": ""]
        case (.fxiaoke, "accounts"):
            ["客户名称": "name", "统一社会信用代码": "credit_code", "电话": "phone", "网址": "website", "行业": "industry", "省": "province",
             "市": "city", "详细地址": "address", "地址": "address", "负责人": "owner", "客户编号": "", "客户级别": "", "客户来源": ""]
        case (.fxiaoke, "contacts"):
            ["姓名": "name", "客户名称": "account", "手机": "mobile", "电话": "phone", "邮箱": "email", "职务": "title", "负责人": "owner",
             "微信": "wechat_id", "部门": ""]
        case (.fxiaoke, "leads"):
            ["姓名": "name", "公司名称": "company", "公司": "company", "手机": "phone", "电话": "phone", "邮箱": "email", "省": "province",
             "市": "city", "行业": "industry", "负责人": "owner", "线索来源": "", "线索状态": ""]
        default:
            [:]
        }
    }
}
