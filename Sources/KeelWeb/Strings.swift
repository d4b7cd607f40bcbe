import KeelCore

/// Every UI text in both languages. Keys are English phrases in snake case.
public struct Strings: Sendable {
    public let language: Language

    public init(_ language: Language) {
        self.language = language
    }

    public subscript(_ key: String) -> String {
        guard let pair = Self.table[key] else { return key }
        return language == .zhCN ? pair.0 : pair.1
    }

    public static var keys: Dictionary<String, (String, String)>.Keys { table.keys }

    static let table: [String: (String, String)] = [
        "app": ("Keel 客户管理", "Keel CRM"),
        "sign_in": ("登录", "Sign in"),
        "sign_out": ("退出", "Sign out"),
        "email": ("邮箱", "Email"),
        "password": ("密码", "Password"),
        "language": ("语言", "Language"),
        "switch_language": ("English", "中文"),
        "new": ("新建", "New"),
        "edit": ("编辑", "Edit"),
        "save": ("保存", "Save"),
        "cancel": ("取消", "Cancel"),
        "filter": ("筛选", "Filter"),
        "clear": ("清除", "Clear"),
        "next_page": ("下一页", "Next page"),
        "first_page": ("第一页", "First page"),
        "records": ("条记录", "records"),
        "no_records": ("没有记录", "No records"),
        "history": ("变更历史", "History"),
        "field": ("字段", "Field"),
        "value": ("值", "Value"),
        "operator": ("条件", "Condition"),
        "created": ("创建", "created"),
        "updated": ("修改", "updated"),
        "deleted": ("删除", "deleted"),
        "empty": ("（空）", "(empty)"),
        "by": ("操作人", "by"),
        "via": ("来源", "via"),
        "yes": ("是", "Yes"),
        "no": ("否", "No"),
        "not_set": ("未填写", "Not set"),
        "fix_errors": ("请修正标出的字段后再保存。", "Please correct the marked fields and save again."),
        "invalid_credentials": ("邮箱或密码不正确。", "The email or password is wrong."),
        "account_locked": ("登录失败次数过多，账号已暂时锁定。", "Too many failed sign-ins; the account is locked for a while."),
        "account_frozen": ("该账号已被冻结。", "This account is frozen."),
        "session_expired": ("请先登录。", "Please sign in."),
        "csrf_failed": ("表单已过期，请刷新页面后重试。", "The form expired; reload the page and try again."),
        "not_found": ("找不到该页面或记录。", "The page or record was not found."),
        "forbidden": ("没有权限执行此操作。", "You may not do this."),
        "conflict": ("该记录已被他人修改，请刷新后重试。", "Someone else changed this record; reload it and try again."),
        "saved": ("已保存。", "Saved."),
        "invalid_input": ("输入有误。", "The input is not valid."),
        "op_eq": ("等于", "equals"), "op_neq": ("不等于", "is not"), "op_contains": ("包含", "contains"),
        "op_startsWith": ("开头是", "starts with"), "op_gt": ("大于", "greater than"), "op_lt": ("小于", "less than"),
        "op_isNull": ("为空", "is empty"),
        "today": ("今日", "Today"),
        "my_tasks": ("我的待办任务", "My tasks due"),
        "overdue": ("已逾期", "overdue"),
        "nothing_due": ("没有到期的任务。", "Nothing is due."),
        "my_new_leads": ("待联系的新线索", "New leads to contact"),
        "since": ("创建于", "since"),
        "no_waiting_leads": ("没有等待联系的线索。", "No lead is waiting."),
        "my_open_deals": ("我的进行中商机", "My open deals"),
        "stage": ("阶段", "Stage"),
        "deals": ("商机数", "Deals"),
        "amount": ("金额", "Amount"),
        "total": ("合计", "Total"),
        "no_open_deals": ("没有进行中的商机。", "No open deals."),
        "recent_changes": ("我的记录最近变更", "Recent changes on my records"),
        "no_changes": ("暂无变更。", "No changes yet."),
        "section_basic": ("基本信息", "Basics"),
        "section_contact": ("联系方式", "Contact details"),
        "section_address": ("地址", "Address"),
        "section_ownership": ("归属", "Ownership"),
        "section_source": ("来源", "Source"),
        "section_more": ("其他信息", "More"),
        "section_system": ("系统信息", "System"),
        "related": ("相关记录", "Related"),
        "view_all": ("查看全部", "View all"),
        "search": ("搜索", "Search"),
        "search_hint": ("名称、电话、邮箱或信用代码", "Name, phone, email or credit code"),
        "nothing_found": ("没有找到匹配的记录。", "Nothing matches."),
        "board": ("商机看板", "Deal board"),
        "my_deals": ("我的商机", "My deals"),
        "all_deals": ("全部商机", "All deals"),
        "move": ("移动", "Move"),
        "views": ("视图", "Views"),
        "bad_filter": ("筛选条件有误：", "The filter cannot be applied:"),
        "all_records": ("全部", "All"),
        "shared": ("共享", "shared"),
        "delete_view": ("删除视图", "Delete view"),
        "columns": ("显示列", "Columns"),
        "apply": ("应用", "Apply"),
        "save_view": ("保存为视图", "Save as view"),
        "view_name": ("视图名称", "View name"),
        "share_with_everyone": ("共享给所有人", "Share with everyone"),
        "op_gte": ("大于等于", "at least"), "op_lte": ("小于等于", "at most"),
        "dashboard": ("仪表盘", "Dashboard"),
        "pipeline_funnel": ("销售漏斗（进行中商机数）", "Pipeline funnel (open deals)"),
        "pipeline_amount": ("各阶段商机金额", "Pipeline amount by stage"),
        "leads_by_channel": ("本月线索来源渠道", "Leads by channel this month"),
        "leads_heatmap": ("本月线索：渠道 × 状态", "Leads this month: channel × status"),
        "admin": ("管理", "Admin"),
        "admin_users": ("用户", "Users"), "admin_departments": ("部门", "Departments"), "admin_roles": ("角色", "Roles"),
        "admin_fields": ("字段", "Fields"), "admin_objects": ("对象", "Objects"),
        "name": ("名称", "Name"), "role": ("角色", "Role"), "department": ("部门", "Department"), "manager": ("上级", "Manager"),
        "status": ("状态", "Status"), "actions": ("操作", "Actions"), "change": ("修改", "Change"), "freeze": ("冻结", "Freeze"),
        "unfreeze": ("解冻", "Unfreeze"), "new_user": ("新建用户", "New user"), "create": ("创建", "Create"), "members": ("成员", "Members"),
        "new_department": ("新建部门", "New department"), "parent_department": ("上级部门", "Parent department"),
        "role_can": ("权限", "May"), "objects": ("对象", "Objects"), "api_name": ("API 名称", "API name"), "label": ("显示名", "Label"),
        "type": ("类型", "Type"), "required": ("必填", "Required"), "options_or_target": ("选项 / 引用对象", "Options / target"),
        "custom": ("自定义", "custom"), "new_field": ("新建自定义字段", "New custom field"), "label_zh": ("中文名", "Chinese label"),
        "label_en": ("英文名", "English label"), "options_hint": ("选项（每行一个，仅单选/多选）", "Options (one per line; picklists only)"),
        "target_hint": ("引用对象（仅引用类型）", "Target (references only)"), "fields": ("字段数", "Fields"),
        "new_object": ("新建自定义对象", "New custom object"), "api_name_plural": ("API 名称（复数，如 projects）", "API name (plural, e.g. projects)"),
        "created_user": ("用户已创建。", "User created."), "done": ("已完成。", "Done."),
        "role_admin": ("管理员", "Admin"), "role_manager": ("经理", "Manager"), "role_member": ("成员", "Member"),
        "role_admin_can": ("全部数据；用户、部门、角色与配置（字段、对象）", "All data; users, departments, roles and configuration (fields, objects)"),
        "role_manager_can": ("业务数据的读写；共享视图", "Read and write business records; share views"),
        "role_member_can": ("业务数据的读写；个人视图", "Read and write business records; personal views"),
        "status_active": ("正常", "Active"), "status_frozen": ("已冻结", "Frozen"),
        "type_text": ("文本", "Text"), "type_long_text": ("长文本", "Long text"), "type_number": ("数字", "Number"), "type_money": ("金额", "Money"),
        "type_percent": ("百分比", "Percent"), "type_date": ("日期", "Date"), "type_datetime": ("日期时间", "Date and time"),
        "type_boolean": ("是/否", "Yes/No"), "type_picklist": ("单选", "Picklist"), "type_multi_picklist": ("多选", "Multi-picklist"),
        "type_phone": ("电话", "Phone"), "type_email": ("邮箱", "Email"), "type_url": ("网址", "URL"), "type_reference": ("引用", "Reference"),
        // Options of the standard picklists.
        "opt_new": ("新线索", "New"), "opt_contacted": ("已联系", "Contacted"), "opt_qualified": ("已确认", "Qualified"),
        "opt_unqualified": ("无效", "Unqualified"), "opt_converted": ("已转化", "Converted"),
        "opt_prospecting": ("初步接洽", "Prospecting"), "opt_qualification": ("需求确认", "Qualification"),
        "opt_needs_analysis": ("方案分析", "Needs analysis"), "opt_proposal": ("提交方案", "Proposal"),
        "opt_negotiation": ("商务谈判", "Negotiation"), "opt_closed_won": ("赢单", "Closed won"), "opt_closed_lost": ("输单", "Closed lost"),
        "opt_call": ("电话", "Call"), "opt_meeting": ("会议", "Meeting"), "opt_visit": ("拜访", "Visit"), "opt_email": ("邮件", "Email"),
        "opt_chat": ("聊天", "Chat"), "opt_note": ("备注", "Note"),
        "opt_open": ("待办", "Open"), "opt_in_progress": ("进行中", "In progress"), "opt_done": ("已完成", "Done"),
        "opt_cancelled": ("已取消", "Cancelled"),
        // Violation codes.
        "v_required": ("此项必填", "This field is required"),
        "v_invalid_format": ("格式不正确", "The format is invalid"),
        "v_invalid_type": ("类型不正确", "The value has the wrong type"),
        "v_too_long": ("内容过长", "The value is too long"),
        "v_invalid_option": ("不是可选的值", "Not one of the options"),
        "v_invalid_check_digit": ("校验位不正确", "The check character is wrong"),
        "v_reference_not_found": ("引用的记录不存在", "The referenced record does not exist"),
        "v_invalid_reference": ("不是有效的记录编号", "Not a record id"),
        "v_out_of_range": ("数值超出范围", "The number is out of range"),
        "v_unknown_field": ("未知字段", "Unknown field"),
    ]

    /// How a picklist option reads: standard options are translated, options an admin typed are shown as typed.
    public func option(_ value: String, of field: FieldDefinition?) -> String {
        guard field?.isCustom != true, let pair = Self.table["opt_" + value] else { return value }
        return language == .zhCN ? pair.0 : pair.1
    }

    /// A violation in the reader's language; the domain's own message adds the detail in English.
    public func violation(_ v: Violation) -> String {
        let key = "v_" + v.code
        guard Self.table[key] != nil else { return v.message }
        return language == .en ? v.message : self[key]
    }
}
