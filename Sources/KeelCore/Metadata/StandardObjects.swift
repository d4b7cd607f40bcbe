/// The objects every Keel install has. Each has a table with one typed column per field
/// (see the store's migrations); custom fields added later live in the table's JSON column.
public enum StandardObjects {
    public static let leadStatuses = ["new", "contacted", "qualified", "unqualified", "converted"]
    /// Fields Keel keeps itself (when a lead was assigned or pooled, its score's breakdown): shown, never on a form.
    public static let keptByKeel: [String: Set<String>] = ["leads": ["assigned_at", "pooled_at", "score_breakdown", "sla_breached_at", "sla_breach", "customer_account",
                                                                    "customer_contact"]]
    /// Where a lead came from.
    public static let leadChannels = ["website", "web_form", "trade_show", "referral", "wechat", "cold_call", "advertising", "shopify", "api", "other"]
    public static let opportunityStages = [
        "prospecting", "qualification", "needs_analysis", "proposal", "negotiation", "closed_won", "closed_lost",
    ]
    /// What an owner expects of an open deal this period (closed is what was won): empty follows its probability.
    public static let forecastCategories = ["pipeline", "best_case", "commit", "omitted"]
    /// Stages of deals still being worked on.
    public static let openStages = opportunityStages.filter { !$0.hasPrefix("closed_") }
    public static let activityTypes = ["call", "meeting", "visit", "email", "chat", "note"]
    public static let taskStatuses = ["open", "in_progress", "done", "cancelled"]
    public static let companySizes = ["1-20", "21-100", "101-500", "501-1000", "1000+"]

    private static func owner() -> FieldDefinition {
        FieldDefinition("owner", .reference, zh: "负责人", en: "Owner", target: "users")
    }

    /// Phones and e-mails beyond the record's own fields, one per line: what merged records brought along.
    public static let otherPhones = FieldDefinition("other_phones", .longText, zh: "其他电话", en: "Other phones", validator: .phoneList)
    public static let otherEmails = FieldDefinition("other_emails", .longText, zh: "其他邮箱", en: "Other e-mails", validator: .emailList)

    public static let account = ObjectDefinition(
        name: "accounts", labels: Labels(zhCN: "客户", en: "Accounts"),
        fields: [
            FieldDefinition("name", .text, zh: "公司名称", en: "Company name", required: true),
            FieldDefinition("credit_code", .text, zh: "统一社会信用代码", en: "Unified social credit code",
                            maxLength: 18, validator: .creditCode),
            FieldDefinition("industry", .text, zh: "行业", en: "Industry", maxLength: 100),
            FieldDefinition("province", .text, zh: "省份", en: "Province", maxLength: 50),
            FieldDefinition("city", .text, zh: "城市", en: "City", maxLength: 50),
            FieldDefinition("address", .text, zh: "地址", en: "Address", maxLength: 500),
            FieldDefinition("legal_representative", .text, zh: "法定代表人", en: "Legal representative", maxLength: 100),
            FieldDefinition("registry_status", .text, zh: "工商状态", en: "Registry status", maxLength: 50),
            FieldDefinition("registered_capital", .text, zh: "注册资本", en: "Registered capital", maxLength: 100),
            FieldDefinition("registry_checked_at", .datetime, zh: "工商核验时间", en: "Registry checked at"),
            FieldDefinition("size", .picklist, zh: "规模", en: "Company size", options: companySizes),
            FieldDefinition("website", .url, zh: "网站", en: "Website"),
            FieldDefinition("phone", .phone, zh: "电话", en: "Phone"),
            FieldDefinition("email", .email, zh: "邮箱", en: "Email"),
            otherPhones, otherEmails,
            owner(),
            FieldDefinition("department", .reference, zh: "所属部门", en: "Department", target: "departments"),
        ],
        isCustom: false, table: "accounts")

    public static let contact = ObjectDefinition(
        name: "contacts", labels: Labels(zhCN: "联系人", en: "Contacts"),
        fields: [
            FieldDefinition("name", .text, zh: "姓名", en: "Name", required: true, maxLength: 100),
            FieldDefinition("title", .text, zh: "职务", en: "Title", maxLength: 100),
            FieldDefinition("role", .text, zh: "角色", en: "Role", maxLength: 100),
            FieldDefinition("phone", .phone, zh: "电话", en: "Phone"),
            FieldDefinition("mobile", .phone, zh: "手机", en: "Mobile"),
            FieldDefinition("email", .email, zh: "邮箱", en: "Email"),
            FieldDefinition("account", .reference, zh: "所属客户", en: "Account", target: "accounts"),
            FieldDefinition("wechat_id", .text, zh: "微信号", en: "WeChat ID", maxLength: 64),
            otherPhones, otherEmails,
            owner(),
        ],
        isCustom: false, table: "contacts")

    public static let lead = ObjectDefinition(
        name: "leads", labels: Labels(zhCN: "线索", en: "Leads"),
        fields: [
            FieldDefinition("name", .text, zh: "姓名", en: "Name", required: true, maxLength: 100),
            FieldDefinition("company", .text, zh: "公司", en: "Company"),
            FieldDefinition("phone", .phone, zh: "电话", en: "Phone"),
            FieldDefinition("email", .email, zh: "邮箱", en: "Email"),
            otherPhones, otherEmails,
            FieldDefinition("channel", .picklist, zh: "来源渠道", en: "Channel", options: leadChannels),
            FieldDefinition("utm_source", .text, zh: "UTM 来源", en: "UTM source"),
            FieldDefinition("utm_medium", .text, zh: "UTM 媒介", en: "UTM medium"),
            FieldDefinition("utm_campaign", .text, zh: "UTM 活动", en: "UTM campaign"),
            FieldDefinition("utm_term", .text, zh: "UTM 关键词", en: "UTM term"),
            FieldDefinition("utm_content", .text, zh: "UTM 内容", en: "UTM content"),
            FieldDefinition("referrer", .text, zh: "来源页面", en: "Referrer", maxLength: 2000),
            FieldDefinition("landing_page", .text, zh: "落地页", en: "Landing page", maxLength: 2000),
            FieldDefinition("time_on_page", .number, zh: "页面停留（秒）", en: "Time on page (s)"),
            FieldDefinition("form", .text, zh: "提交表单", en: "Form", maxLength: 64),
            FieldDefinition("region", .text, zh: "地区", en: "Region", maxLength: 100),
            FieldDefinition("country", .text, zh: "国家/地区", en: "Country", maxLength: 100),
            FieldDefinition("province", .text, zh: "省份", en: "Province", maxLength: 50),
            FieldDefinition("city", .text, zh: "城市", en: "City", maxLength: 50),
            FieldDefinition("industry", .text, zh: "行业", en: "Industry", maxLength: 100),
            FieldDefinition("status", .picklist, zh: "状态", en: "Status", options: leadStatuses, defaultValue: "new"),
            owner(),
            FieldDefinition("assigned_at", .datetime, zh: "分配时间", en: "Assigned at"),
            FieldDefinition("assignment_reason", .text, zh: "分配原因", en: "Assignment reason", maxLength: 500),
            FieldDefinition("pooled_at", .datetime, zh: "进入公海时间", en: "In the pool since"),
            FieldDefinition("sla_breached_at", .datetime, zh: "响应超时时间", en: "Response SLA missed at"),
            FieldDefinition("sla_breach", .text, zh: "响应超时", en: "Response SLA missed", maxLength: 200),
            FieldDefinition("customer_account", .reference, zh: "已是客户", en: "Existing account", target: "accounts"),
            FieldDefinition("customer_contact", .reference, zh: "已是联系人", en: "Existing contact", target: "contacts"),
            FieldDefinition("score", .number, zh: "评分", en: "Score"),
            FieldDefinition("score_breakdown", .longText, zh: "评分明细", en: "Score breakdown"),
            FieldDefinition("disqualify_reason", .text, zh: "无效原因", en: "Disqualified because", maxLength: 500),
            FieldDefinition("converted_account", .reference, zh: "转化的客户", en: "Converted to account", target: "accounts"),
            FieldDefinition("converted_contact", .reference, zh: "转化的联系人", en: "Converted to contact", target: "contacts"),
            FieldDefinition("converted_opportunity", .reference, zh: "转化的商机", en: "Converted to deal", target: "opportunities"),
        ],
        isCustom: false, table: "leads")

    public static let opportunity = ObjectDefinition(
        name: "opportunities", labels: Labels(zhCN: "商机", en: "Opportunities"),
        fields: [
            FieldDefinition("name", .text, zh: "商机名称", en: "Name", required: true),
            FieldDefinition("account", .reference, zh: "客户", en: "Account", target: "accounts"),
            FieldDefinition("amount", .money, zh: "金额", en: "Amount"),
            FieldDefinition("currency", .text, zh: "币种", en: "Currency", maxLength: 3, defaultValue: "CNY"),
            FieldDefinition("stage", .picklist, zh: "阶段", en: "Stage", options: opportunityStages,
                            defaultValue: "prospecting"),
            FieldDefinition("expected_close_date", .date, zh: "预计成交日期", en: "Expected close date"),
            FieldDefinition("probability", .percent, zh: "赢率", en: "Probability"),
            FieldDefinition("forecast_category", .picklist, zh: "预测类别", en: "Forecast category", options: forecastCategories),
            owner(),
        ],
        isCustom: false, table: "opportunities")

    public static let activity = ObjectDefinition(
        name: "activities", labels: Labels(zhCN: "活动", en: "Activities"),
        fields: [
            FieldDefinition("type", .picklist, zh: "类型", en: "Type", required: true, options: activityTypes),
            FieldDefinition("subject", .text, zh: "主题", en: "Subject", required: true),
            FieldDefinition("body", .longText, zh: "内容", en: "Body"),
            FieldDefinition("related_to", .reference, zh: "相关记录", en: "Related to", target: anyObject),
            FieldDefinition("occurred_at", .datetime, zh: "发生时间", en: "Occurred at"),
            FieldDefinition("next_step", .text, zh: "下一步", en: "Next step", maxLength: 500),
            FieldDefinition("next_step_due", .datetime, zh: "下一步时间", en: "Next step due"),
            FieldDefinition("call_record_id", .text, zh: "通话记录编号", en: "Call record id", maxLength: 100),
            FieldDefinition("location", .text, zh: "地点", en: "Location", maxLength: 200),
            FieldDefinition("customer_confirmed", .boolean, zh: "客户已确认", en: "Customer confirmed"),
            owner(),
        ],
        isCustom: false, table: "activities")

    public static let task = ObjectDefinition(
        name: "tasks", labels: Labels(zhCN: "任务", en: "Tasks"),
        fields: [
            FieldDefinition("subject", .text, zh: "主题", en: "Subject", required: true),
            FieldDefinition("due", .date, zh: "截止日期", en: "Due"),
            FieldDefinition("assignee", .reference, zh: "执行人", en: "Assignee", target: "users"),
            FieldDefinition("status", .picklist, zh: "状态", en: "Status", options: taskStatuses, defaultValue: "open"),
            FieldDefinition("related_to", .reference, zh: "相关记录", en: "Related to", target: anyObject),
            FieldDefinition("description", .longText, zh: "描述", en: "Description"),
        ],
        isCustom: false, table: "tasks")

    /// The `target` of a reference that may point at a record of any object.
    public static let anyObject = "*"

    public static let all: [ObjectDefinition] = [account, contact, lead, opportunity, activity, task, product, priceBook, priceBookEntry, quote, quoteLine,
                                                  contract, contractLine, paymentPlanLine, payment]

    /// Objects that are not records but may be referenced: users and departments.
    public static let directoryTargets: Set<String> = ["users", "departments"]

    /// API path segments that can never name a custom object.
    public static let reservedObjectNames: Set<String> =
        Set(all.map(\.name)).union(directoryTargets).union(["metadata", "auth", "openapi.json", "records", "custom_records", "access", "audit", "exports", "me", "access_requests"])
}
