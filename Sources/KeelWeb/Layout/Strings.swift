import Foundation
import KeelCore

/// Every UI text in both languages. Keys are English phrases in snake case.
public struct Strings: Sendable {
    public let language: Language
    /// The zone times are shown in: the organisation's.
    public let timeZone: TimeZone

    public init(_ language: Language, timeZone: TimeZone = ValueFormats.organisationTimeZone()) {
        self.language = language
        self.timeZone = timeZone
    }

    /// A stored instant (`2026-11-30T02:30:00.000Z`) as people read it: `2026-11-30 10:30` in the organisation's zone.
    public func time(_ stored: String) -> String {
        ValueFormats.parseDateTime(stored).map { ValueFormats.formatLocal($0, in: timeZone) } ?? stored
    }

    /// A day (`YYYY-MM-DD`) as people say it next to today: 今天, 明天, 昨天, 逾期 3 天 (a plain date when it is not
    /// `due`: a day something happened), 周三 12-02 within the week ahead, else 12-15 (the year too when it is not this year's).
    public func day(_ date: String, today: String, due: Bool = true) -> String {
        guard ValueFormats.isDate(date), ValueFormats.isDate(today) else { return date.isEmpty ? "—" : date }
        let calendar = Calendar(identifier: .gregorian)
        func parse(_ s: String) -> Date {
            let p = s.split(separator: "-").compactMap { Int($0) }
            return calendar.date(from: DateComponents(timeZone: .gmt, year: p[0], month: p[1], day: p[2]))!
        }
        let (d, t0) = (parse(date), parse(today))
        let days = Int((d.timeIntervalSince(t0) / 86_400).rounded())
        switch days {
        case 0: return self["day_today"]
        case 1: return self["day_tomorrow"]
        case -1: return self["day_yesterday"]
        case ..<(-1) where due: return self["days_overdue"].replacingOccurrences(of: "{1}", with: String(-days))
        case 2...6:
            var gmt = calendar
            gmt.timeZone = .gmt
            return self["weekday_\(gmt.component(.weekday, from: d))"] + " " + date.dropFirst(5)
        default: return date.prefix(4) == today.prefix(4) ? String(date.dropFirst(5)) : date
        }
    }

    /// How long ago a stored instant was: 刚刚, 5 分钟前, 3 小时前, 2 天前; a week or more ago, its date.
    public func ago(_ stored: String, now: Date) -> String {
        guard let then = ValueFormats.parseDateTime(stored) else { return stored }
        let minutes = Int(now.timeIntervalSince(then) / 60)
        let (n, key) = minutes < 1 ? (0, "just_now") : minutes < 60 ? (minutes, "minutes_ago") : minutes < 1_440 ? (minutes / 60, "hours_ago")
            : minutes < 10_080 ? (minutes / 1_440, "days_ago") : (0, "")
        return key.isEmpty ? String(time(stored).prefix(10)) : self[key].replacingOccurrences(of: "{1}", with: String(n))
    }

    /// An amount short enough for a chart: `¥3,451.2万`, `¥1.2亿` in Chinese; `¥34.5M`, `¥120.0K` in English.
    public func shortMoney(_ amount: Double) -> String {
        let (scale, unit): (Double, String) = language == .zhCN
            ? (abs(amount) >= 1e8 ? (1e8, "亿") : abs(amount) >= 1e4 ? (1e4, "万") : (1, ""))
            : (abs(amount) >= 1e6 ? (1e6, "M") : abs(amount) >= 1e3 ? (1e3, "K") : (1, ""))
        let digits = scale == 1 ? 0 : 1
        return (amount < 0 ? "-" : "") + "¥" + (abs(amount) / scale).formatted(.number.precision(.fractionLength(digits)).locale(Locale(identifier: "en_US"))) + unit
    }

    /// Where a change came from, in words; nil for what people do by hand (the web app, the API, the demo's loading),
    /// which needs no mention.
    public func source(_ source: String) -> String? {
        ["web", "api", "demo"].contains(source) ? nil : text("source_" + source) ?? source
    }

    public subscript(_ key: String) -> String {
        text(key) ?? key
    }

    /// The text for `key` in this language; nil for an unknown key.
    public func text(_ key: String) -> String? {
        Self.table[key].map { language == .zhCN ? $0.0 : $0.1 }
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
        "save": ("保存", "Save"), "list_separator": ("、", ", "),
        "cancel": ("取消", "Cancel"),
        "filter": ("筛选", "Filter"),
        "clear": ("清除", "Clear"),
        "next_page": ("下一页", "Next page"),
        "first_page": ("第一页", "First page"),
        "records": ("条记录", "records"),
        "no_records": ("没有记录", "No records"),
        "history": ("变更历史", "History"), "approval_trail": ("审批记录", "Decisions"),
        "field": ("字段", "Field"),
        "value": ("值", "Value"),
        "operator": ("条件", "Condition"),
        "created": ("创建", "created"),
        "updated": ("修改", "updated"),
        "deleted": ("删除", "deleted"),
        "edit_created": ("创建了记录", "created the record"), "edit_updated": ("修改了", "changed"), "edit_deleted": ("删除了记录", "deleted the record"),
        "empty": ("（空）", "(empty)"),
        "by": ("操作人", "by"),
        "via": ("来源", "via"),
        "source_import": ("导入", "import"), "source_automation": ("自动化", "automation"), "source_formula": ("公式计算", "formula"),
        "source_approval": ("审批", "approval"), "source_merge": ("合并", "merge"), "source_webhook": ("外部系统", "integration"),
        "source_cli": ("命令行", "command line"), "source_form": ("网页表单", "web form"),
        "yes": ("是", "Yes"),
        "no": ("否", "No"),
        "not_set": ("未填写", "Not set"),
        "fix_errors": ("请修正标出的字段后再保存。", "Please correct the marked fields and save again."),
        "invalid_credentials": ("邮箱或密码不正确。", "The email or password is wrong."),
        "explain": ("权限解释", "Explain"), "masked_fields": ("隐藏字段", "Masked fields"), "policy": ("策略", "Policy"),
        "effect": ("效果", "Effect"), "matches": ("是否命中", "Matches"), "condition": ("剩余条件", "Remaining condition"),
        "admin_automations": ("自动化", "Automations"), "automations": ("自动化规则", "Automations"), "no_automations": ("还没有自动化规则。", "No automations yet."),
        "trigger": ("触发", "Trigger"), "version": ("版本", "Version"), "runs": ("运行", "Runs"), "success_rate": ("成功率", "Success rate"),
        "run_log": ("运行记录", "Run log"), "no_runs": ("还没有运行记录。", "No runs yet."), "attempts": ("尝试次数", "Attempts"),
        "enable": ("启用", "Enable"), "disable": ("停用", "Disable"), "publish": ("发布", "Publish"), "dry_run": ("试运行", "Dry run"),
        "publish_automation": ("发布自动化", "Publish an automation"), "would_run": ("会触发的记录", "Records it would act on"),
        "automation_definition": ("自动化定义（JSON）", "Automation definition (JSON)"),
        "automation_hint": ("先试运行：在最新的记录上演算条件与动作，不写入任何数据。发布后成为新版本，已触发的运行仍按原版本执行。",
                            "Dry-run first: the condition and actions are worked out on the newest records and nothing is written. Publishing makes a new version; runs already fired finish on the version they started with."),
        "approval_processes": ("审批流程", "Approval processes"), "process_definition": ("审批流程定义（JSON）", "Approval process (JSON)"), "steps": ("步骤", "Steps"),
        "webhooks": ("Webhook 推送", "Webhooks"), "events": ("事件", "Events"), "deliveries": ("投递", "Deliveries"), "endpoint": ("端点", "Endpoint"),
        "allow_private": ("允许内网 / 本机地址（仅限可信的接收方）", "Allow loopback / private addresses (trusted receivers only)"),
        "webhook_secret_once": ("签名密钥（只显示这一次，请妥善保存）", "Signing secret (shown this once; keep it safe)"),
        "dead_letters": ("死信（重试用尽的投递）", "Dead letters (deliveries out of retries)"), "no_dead_letters": ("没有死信。", "No dead letters."), "replay": ("重新投递", "Replay"),
        "config_active": ("运行中", "Active"), "config_disabled": ("已停用", "Disabled"), "config_halted": ("已熔断", "Halted"),
        "job_pending": ("等待中", "Pending"), "job_running": ("运行中", "Running"), "job_done": ("成功", "Done"), "job_skipped": ("跳过", "Skipped"),
        "job_failed": ("失败", "Failed"), "job_dead": ("死信", "Dead"),
        "approvals": ("审批", "Approvals"), "no_approvals": ("没有审批。", "No approvals."), "process": ("流程", "Process"), "step": ("当前步骤", "Step"),
        "submitted_by": ("提交人", "Submitted by"), "approve": ("同意", "Approve"), "comment": ("意见", "Comment"),
        "approval_pending": ("审批中", "Pending"), "approval_approved": ("已同意", "Approved"), "approval_rejected": ("已驳回", "Rejected"),
        "approval_skipped": ("不适用", "Skipped"), "submit_for_approval": ("提交审批", "Submit for approval"),
        "record_locked": ("此记录正在审批中，审批结束前不能修改或删除。", "This record is waiting for approval; it cannot be changed or deleted until it is decided."),
        "working_calendar": ("工作日历", "Working calendar"),
        "working_calendar_hint": ("工作日（1 周一 … 7 周日）、节假日与调休上班日。WORKDAYS_BETWEEN、“N 个工作日后”触发都按它计算。",
                                  "Working weekdays (1 Monday … 7 Sunday), holidays and make-up working days. WORKDAYS_BETWEEN and \"N working days after\" triggers count on it."),
        "notifications": ("通知", "Notifications"), "no_notifications": ("没有通知。", "No notifications."), "mark_all_read": ("全部标为已读", "Mark all read"),
        "admin_access": ("访问策略", "Access"), "sensitivity": ("敏感级别", "Sensitivity"), "health_scan": ("权限体检", "Permission health"), "finding": ("问题", "Finding"),
        "user": ("用户", "User"), "problem": ("说明", "Problem"), "suggested_fix": ("建议", "Suggested fix"), "no_findings": ("未发现问题。", "No findings."),
        "policies": ("策略", "Policies"), "policy_document": ("策略文档（JSON）", "Policy document (JSON)"),
        "policies_hint": ("默认拒绝，任一禁止（forbid）优先于所有允许（permit）。保存前会校验；无效的文档或会让所有管理员失去权限的文档不会生效。",
                          "Default deny; any matching forbid beats every permit. Checked before it is saved: an invalid document, or one that would lock every admin out, is refused."),
        "audit_log": ("审计日志", "Audit log"), "time": ("时间", "Time"), "action": ("操作", "Action"), "object": ("对象", "Object"), "detail": ("详情", "Detail"),
        "finding_over_authorised": ("权限过大", "Over-authorised"), "finding_island": ("权限不足", "Island"), "finding_zombie": ("僵尸账号", "Zombie account"),
        "finding_unused_policy": ("无人使用的策略", "Unused policy"),
        "audit_policy_change": ("修改策略", "Policy change"), "audit_user_change": ("修改用户权限", "User change"), "audit_export": ("导出", "Export"),
        "audit_sensitive_read": ("查看敏感数据", "Sensitive read"), "audit_step_up": ("再次验证", "Step-up"), "audit_access_request": ("申请访问", "Access request"),
        "audit_access_decision": ("审批访问", "Access decision"), "audit_sensitivity_change": ("修改敏感级别", "Sensitivity change"),
        "audit_department_change": ("修改部门", "Department change"),
        "access_requests": ("访问申请", "Access requests"), "request_access": ("申请访问", "Request access"),
        "not_found_or_hidden": ("该记录不存在，或您无权查看。如需查看，可向有权审批的人申请。", "This record does not exist, or you may not see it. You can ask someone who may approve access."),
        "approver": ("审批人", "Approver"), "reason": ("理由", "Reason"), "send_request": ("提交申请", "Send request"), "requester": ("申请人", "Requester"),
        "record": ("记录", "Record"), "no_requests": ("暂无访问申请。", "No access requests."), "until": ("至", "until"), "hours": ("时长", "Hours"),
        "grant": ("批准", "Grant"), "reject": ("拒绝", "Reject"),
        "request_pending": ("待审批", "Pending"), "request_granted": ("已批准", "Granted"), "request_rejected": ("已拒绝", "Rejected"),
        "export_csv": ("导出 CSV", "Export CSV"),
        "step_up": ("再次验证身份", "Confirm it is you"),
        "step_up_hint": ("权限策略要求：导出敏感数据或大量记录前，请再次输入密码。验证在 15 分钟内有效。", "The access policies ask for your password again before exporting sensitive data or many records. It counts for 15 minutes."),
        "confirm": ("确认", "Confirm"),
        "masked": ("•••• 无权查看", "•••• hidden"),
        "too_many_attempts": ("密码错误次数过多，请几分钟后再试。", "Too many wrong passwords; try again in a few minutes."),
        "account_frozen": ("该账号已被冻结。", "This account is frozen."),
        "session_expired": ("请先登录。", "Please sign in."),
        "csrf_failed": ("表单已过期，请刷新页面后重试。", "The form expired; reload the page and try again."),
        "not_found": ("找不到该页面或记录。", "The page or record was not found."),
        "not_found_detail": ("地址可能有误，或该记录已被删除。", "The address may be wrong, or the record was deleted."),
        "forbidden_detail": ("如需此权限，请联系管理员。", "Ask an administrator if you need this."),
        "internal_error": ("出错了，请稍后再试。", "Something went wrong; try again in a moment."),
        "internal_error_detail": ("问题已记录，管理员可在日志中查看。", "The problem was logged for the administrators."),
        "too_many_requests": ("操作过于频繁，请稍后再试。", "Too many attempts; wait a moment and try again."),
        "back_home": ("返回今日", "Back to Today"), "go_back": ("返回", "Go back"),
        "forbidden": ("没有权限执行此操作。", "You may not do this."),
        "conflict": ("该记录已被他人修改，请刷新后重试。", "Someone else changed this record; reload it and try again."),
        "saved": ("已保存。", "Saved."), "undone": ("已撤销，字段已恢复为修改前的值。", "Undone: the fields are back to what they were."),
        "not_undone": ("未能撤销：记录在此之后又被修改过。", "Not undone: the record has changed since."),
        "possible_duplicate": ("疑似已有", "Possible duplicate in "), "match_score": ("匹配度", "match"),
        "possible_duplicates": ("疑似重复", "Possible duplicates"), "merge": ("合并", "Merge"),
        "former_identities": ("曾用身份", "Former identities"), "merged_on": ("合并于", "Merged on"), "merge_undone": ("已撤销于", "undone on"),
        "undo_merge": ("撤销合并", "Undo merge"), "merge_title": ("合并重复记录", "Merge duplicates"),
        "merge_explain": ("为每个字段选择要保留的值。所有电话和邮箱都会保留，关联记录会转到保留的记录；合并可以撤销。",
                          "Choose the value to keep for each field. Every phone and e-mail is kept, related records move to the record kept, and the merge can be undone."),
        "merge_survivor": ("保留", "kept"), "merge_into_existing": ("合并到已有记录", "Merge into the existing record"),
        "duplicate_review": ("查重", "Duplicates"), "last_run": ("最近一次查重", "Last run"), "records_checked": ("检查记录", "records"),
        "clusters_found": ("重复组", "clusters"), "duplicate_rate": ("重复率", "duplicate rate"), "start_dedup": ("开始查重", "Find duplicates now"),
        "open_clusters": ("待处理的重复组", "Clusters to review"), "no_clusters": ("没有待处理的重复组。", "No clusters to review."),
        "keep_record": ("保留哪条记录", "Record to keep"), "not_duplicates": ("不是重复", "Not duplicates"),
        "run_queued": ("排队中", "queued"), "run_running": ("进行中", "running"), "run_done": ("已完成", "done"), "run_failed": ("失败", "failed"),
        "match_same": ("相同", "same"), "match_similar": ("相似", "similar"), "match_different": ("不同", "different"), "match_missing": ("缺失", "missing"),
        "relationships": ("关联关系", "Relationships"), "account": ("客户", "Account"), "ties": ("关联方式", "Ties"),
        "relationships_explain": ("与此客户共用法定代表人、注册地址、电话、邮箱域名或董事的客户。仅供参考，不会合并。",
                                  "Accounts sharing a legal representative, registered address, phone, e-mail domain or director with this one. Shown, never merged."),
        "hierarchy_suggestion": ("层级建议", "Hierarchy suggestion"), "no_relationships": ("没有发现关联客户。", "No related accounts found."),
        "tie_legal_representative": ("法定代表人", "Legal representative"), "tie_address": ("注册地址", "Address"), "tie_phone": ("电话", "Phone"),
        "tie_email_domain": ("邮箱域名", "E-mail domain"), "tie_director": ("董事", "Director"),
        "suggest_parent": ("可能是其上级公司", "May be its parent"), "suggest_branch": ("可能是其分支机构", "May be its branch"),
        "section_registry": ("工商信息", "Registry"), "check_registry": ("核验工商信息", "Check the registry"),
        "registry_closed": ("工商状态为", "The registry lists this company as"),
        "data_health": ("数据健康", "Data health"), "completeness": ("完整度", "Completeness"),
        "health_settings": ("报告设置", "Report settings"), "health_red_below": ("低于此完整度为红（%）", "Red below (%)"),
        "health_yellow_below": ("低于此完整度为黄（%）", "Yellow below (%)"),
        "health_recipients": ("定期报告发送给（不选则不定期发送）", "Scheduled report goes to (none: no scheduled report)"),
        "health_cron": ("发送时间（cron，组织时区）", "When (cron, the organisation's time zone)"), "channel": ("群机器人", "Chat robot"),
        "health_explain": ("每个字段有值的记录占比。", "The share of records with a value in each field."),
        "level_red": ("红", "red"), "level_yellow": ("黄", "yellow"), "level_green": ("绿", "green"), "missing_in": ("缺失记录数", "missing in"),
        "invalid_phones": ("号码无效的记录数", "numbers that cannot be read in"),
        "registry_never": ("从未核验工商信息", "Never checked against the registry"), "registry_stale": ("超过 180 天未核验", "Checked over 180 days ago"),
        "registry_closed_count": ("已注销或吊销", "Closed"),
        "merged": ("已合并。", "Merged."), "unmerged": ("已撤销合并。", "Merge undone."),
        "open_existing": ("查看已有记录", "Open the existing record"), "hidden_record": ("您无权查看的记录", "a record you cannot see"),
        "another_user": ("其他用户", "another user"),
        "timeline": ("时间线", "Timeline"), "timeline_all": ("全部", "All"), "timeline_activities": ("活动", "Activities"), "timeline_tasks": ("任务", "Tasks"),
        "timeline_approvals": ("审批", "Approvals"), "timeline_submitted": ("提交了审批", "submitted for approval"),
        "timeline_edits": ("字段变更", "Field changes"), "timeline_task": ("任务", "task"), "timeline_empty": ("还没有记录。", "Nothing yet."),
        "next_step_label": ("下一步：", "Next: "), "due_label": ("截止 ", "due "),
        "moved_to": ("已将商机「{1}」移至 {2}。", "Moved the deal “{1}” to {2}."), "undo": ("撤销", "Undo"),
        "close_date": ("预计成交", "Closes"), "more_cards": ("还有 {1} 个，在列表中查看", "{1} more, in the list"),
        "last_activity": ("最近活动 {1}", "Last activity {1}"), "no_activity": ("尚无活动", "No activity yet"),
        "days_in_stage": ("本阶段 {1} 天", "{1} days in this stage"),
        "conversion_funnel": ("线索转化漏斗", "Lead conversion"), "leads_all": ("新增线索", "New leads"), "deals_won": ("赢单商机", "Deals won"),
        "won_and_lost": ("赢单与输单金额", "Won and lost"), "channel_label": ("渠道", "Channel"), "count": ("数量", "Count"), "funnel_step": ("环节", "Step"),
        "period": ("期间", "Period"), "owner_label": ("负责人", "Owner"), "everyone_i_see": ("全部（我能看到的）", "Everyone I can see"),
        "as_table": ("以表格查看", "Show as a table"), "period_this_month": ("本月", "This month"), "period_last_month": ("上月", "Last month"),
        "period_this_quarter": ("本季度", "This quarter"), "period_this_year": ("今年", "This year"),
        "approvals_waiting": ("待处理", "Waiting"), "approvals_history": ("已处理", "Decided"), "no_decided_approvals": ("还没有处理过的审批。", "No approval has been decided yet."),
        "menu": ("菜单", "Menu"), "more": ("更多", "More"),
        "convert_lead": ("转化线索", "Convert lead"), "link_existing": ("关联已有：", "Link the existing"), "create_new": ("新建", "Create a new one"),
        "create_deal_too": ("同时创建商机", "Create a deal too"), "disqualify": ("标记无效", "Disqualify"),
        "disqualify_reason_label": ("无效原因", "Why it is not a lead"), "converted_notice": ("线索已转化。", "The lead was converted."),
        "disqualified_notice": ("线索已标记为无效。", "The lead was disqualified."), "lead_done_converted": ("此线索已转化为：", "This lead became:"),
        "pick_placeholder": ("输入名称、电话或信用代码查找", "Type a name, phone or credit code"), "choose_one": ("请选择一条", "Choose one"),
        "v_reference_not_found.typed": ("找不到“{1}”，请换个名称、电话或信用代码试试", "Nothing found for “{1}”; try another name, phone or credit code"),
        "v_ambiguous_reference.several": ("有多条记录与“{1}”匹配，请选择一条", "Several records match “{1}”; choose one"),
        "day_today": ("今天", "today"), "day_tomorrow": ("明天", "tomorrow"), "day_yesterday": ("昨天", "yesterday"),
        "days_overdue": ("逾期 {1} 天", "{1} days overdue"), "just_now": ("刚刚", "just now"), "minutes_ago": ("{1} 分钟前", "{1} min ago"),
        "hours_ago": ("{1} 小时前", "{1} h ago"), "days_ago": ("{1} 天前", "{1} days ago"),
        "weekday_1": ("周日", "Sun"), "weekday_2": ("周一", "Mon"), "weekday_3": ("周二", "Tue"), "weekday_4": ("周三", "Wed"),
        "weekday_5": ("周四", "Thu"), "weekday_6": ("周五", "Fri"), "weekday_7": ("周六", "Sat"),
        "quick_log": ("快速记录", "Quick log"), "activity_type": ("活动类型", "Activity type"), "what_happened": ("发生了什么", "What happened"),
        "quick_log_placeholder": ("如：电话沟通报价，下周二回复", "e.g. called about the quote, answer by Tuesday"), "log_it": ("记一笔", "Log it"),
        "logged": ("已记录。", "Logged."), "deals_closing": ("本月预计成交", "Closing this month"),
        "no_deals_closing": ("本月没有预计成交的商机。", "No deal is expected to close this month."),
        "datetime_placeholder": ("如 2026-11-30 10:30 或 明天 10:30", "e.g. 2026-11-30 10:30 or tomorrow 10:30"),
        "invalid_input": ("输入有误。", "The input is not valid."),
        "op_eq": ("等于", "equals"), "op_neq": ("不等于", "is not"), "op_contains": ("包含", "contains"),
        "op_startsWith": ("开头是", "starts with"), "op_gt": ("大于", "greater than"), "op_lt": ("小于", "less than"),
        "op_isNull": ("为空", "is empty"),
        "today": ("今日", "Today"),
        "my_tasks": ("我的本周任务", "My tasks this week"),
        "overdue": ("已逾期", "overdue"),
        "nothing_due": ("本周没有待办任务。", "Nothing is due this week."),
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
        "pipeline_amount": ("各阶段商机金额", "Pipeline amount by stage"),
        "leads_by_channel": ("线索来源渠道", "Leads by channel"),
        "leads_heatmap": ("线索：渠道 × 状态", "Leads: channel × status"),
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
        "role_admin_can": ("全部数据；用户、部门、角色、配置与访问策略", "All data; users, departments, roles, configuration and access policies"),
        "role_manager_can": ("本部门及下级部门成员负责的数据：查看、修改、删除、导出；审批敏感数据访问；共享视图（默认策略）",
                             "Records owned in their department and below: read, change, delete, export; approve access to secret records; share views (default policies)"),
        "role_member_can": ("自己负责的数据：查看、修改（3 级及以上敏感字段隐藏）；个人视图（默认策略）",
                            "Records they own: read and change (fields of sensitivity 3+ hidden); personal views (default policies)"),
        "status_active": ("正常", "Active"), "status_frozen": ("已冻结", "Frozen"),
        "type_formula": ("公式", "Formula"), "formula_expression": ("公式（类型为公式时）", "Expression (formula fields)"),
        "result_type": ("结果类型（公式）", "Result type (formula)"), "validation_rules": ("校验规则", "Validation rules"),
        "new_rule": ("新建校验规则", "New validation rule"), "rule_expression": ("条件（为真时拒绝保存）", "Condition (saving is refused when true)"),
        "rule_message": ("提示信息", "Message"), "no_rules": ("暂无校验规则。", "No validation rules."),
        "required_groups": ("必填字段组", "Required field groups"), "group_label": ("名称", "Label"),
        "group_when": ("何时必填", "Required when"), "group_when_values": ("取值（逗号或顿号分隔）", "Values (separated by commas)"),
        "suggested_roles": ("建议角色", "Suggested roles"), "no_groups": ("暂无必填字段组。", "No required field groups."),
        "apply_template": ("应用行业模板", "Apply industry template"), "new_group": ("新建必填字段组", "New required field group"),
        "always": ("始终", "Always"), "add_contact": ("添加联系人", "Add contact"), "role_vacant": ("空缺", "Vacant"),
        "identity_rules": ("查重规则", "Duplicate check"), "identity_default": ("Keel 默认规则", "Keel's defaults"), "identity_custom": ("自定义规则", "Custom rules"),
        "identity_rules_hint": ("选择用来识别同一条记录的字段及其含义；新建或修改时匹配度达到“拦截”的记录将被拒绝，达到“提示”的会列出疑似重复。保存后立即按新规则重建索引。",
                                "Choose the fields that identify a record and what each holds; a create or change matching an existing record at the block score is refused, at the warn score its candidates are shown. Saving re-indexes the records at once."),
        "identity_block": ("拦截阈值（匹配度 %）", "Block at (match %)"), "identity_warn": ("提示阈值（匹配度 %）", "Warn at (match %)"),
        "identity_reset": ("恢复默认规则", "Back to the defaults"), "match_role": ("识别方式", "Identifies as"),
        "match_role_name": ("姓名", "Name"), "match_role_given-name": ("名", "Given name"), "match_role_surname": ("姓", "Surname"),
        "match_role_company": ("公司全称", "Company name"), "match_role_region": ("地区（取自公司名）", "Region (from the company name)"),
        "match_role_phone": ("电话", "Phone"), "match_role_email": ("邮箱", "E-mail"), "match_role_address": ("地址", "Address"),
        "match_role_city": ("城市", "City"), "match_role_state": ("省份", "State"), "match_role_postcode": ("邮编", "Postcode"),
        "match_role_date": ("日期", "Date"), "match_role_id-number": ("证件号", "ID number"), "match_role_credit-code": ("统一社会信用代码", "Credit code"),
        "match_role_number": ("编号", "Number"), "match_role_text": ("文本", "Text"),
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
        "opt_pipeline": ("普通", "Pipeline"), "opt_best_case": ("最佳情况", "Best case"), "opt_commit": ("承诺", "Commit"), "opt_omitted": ("排除", "Omitted"),
        "opt_call": ("电话", "Call"), "opt_meeting": ("会议", "Meeting"), "opt_visit": ("拜访", "Visit"), "opt_email": ("邮件", "Email"),
        "opt_chat": ("聊天", "Chat"), "opt_note": ("备注", "Note"),
        "opt_open": ("待办", "Open"), "opt_in_progress": ("进行中", "In progress"), "opt_done": ("已完成", "Done"),
        "opt_cancelled": ("已取消", "Cancelled"),
        "opt_website": ("官网", "Website"), "opt_web_form": ("网页表单", "Web form"), "opt_trade_show": ("展会", "Trade show"),
        "opt_referral": ("转介绍", "Referral"), "opt_wechat": ("微信", "WeChat"), "opt_cold_call": ("电话开发", "Cold call"),
        "opt_advertising": ("广告投放", "Advertising"), "opt_shopify": ("Shopify 店铺", "Shopify store"), "opt_api": ("系统对接", "API"),
        "opt_other": ("其他", "Other"),
        // Violation codes.
        "v_required": ("此项必填", "This field is required"),
        "v_field_forbidden": ("无权修改此字段", "You may not change this field"),
        "v_invalid_format": ("格式不正确", "The format is invalid"),
        "v_invalid_format.date": ("请填写日期，如 2026-11-30", "Enter a date, e.g. 2026-11-30"),
        "v_invalid_format.datetime": ("请填写日期和时间，如 2026-11-30 10:30 或 明天 10:30", "Enter a date and time, e.g. 2026-11-30 10:30 or tomorrow 10:30"),
        "v_control_character": ("含有不可见的控制字符，请删除后再保存", "Contains an invisible control character; remove it and save again"),
        "v_invalid_type": ("类型不正确", "The value has the wrong type"),
        "v_too_long": ("内容过长", "The value is too long"),
        "v_invalid_option": ("不是可选的值", "Not one of the options"),
        "v_invalid_check_digit": ("校验位不正确", "The check character is wrong"),
        "v_reference_not_found": ("引用的记录不存在", "The referenced record does not exist"),
        "v_invalid_reference": ("不是有效的记录编号", "Not a record id"),
        "v_out_of_range": ("数值超出范围", "The number is out of range"),
        "v_unknown_field": ("未知字段", "Unknown field"),
        "v_name_taken": ("名称已被占用", "The name is taken"),
        "v_reserved_name": ("该名称为系统保留", "The name is reserved"),
        "v_invalid_name": ("名称须以小写字母开头，只含 a-z、0-9 和 _", "Start with a lowercase letter; use only a-z, 0-9 and _"),
        "v_invalid_options": ("请填写不重复、非空的选项", "Give distinct, non-empty options"),
        "v_unknown_target": ("请选择引用的对象", "Choose the object it refers to"),
        "v_invalid_value": ("取值无效", "The value is not allowed"),
        "v_invalid_length": ("密码须为 8 到 64 个字符", "A password has 8 to 64 characters"),
        "v_invalid_phone.masked": ("号码中有被隐藏的数字（*），请填写完整号码", "Some digits are hidden (*); enter the whole number"),
        "v_invalid_phone.not_a_number": ("这不是电话号码", "This is not a phone number"),
        "v_invalid_phone.not_international": ("国际号码应为 + 后接 8–15 位数字", "An international number is + and 8–15 digits"),
        "v_invalid_phone.mobile_length": ("手机号应为 11 位（现为 {1} 位）", "A mobile number has 11 digits (this one has {1})"),
        "v_invalid_phone.mobile_segment": ("{1} 号段不用于手机通话", "{1} is not a mobile segment in use"),
        "v_invalid_phone.unknown_area": ("区号 {1} 不存在", "Area code {1} is not in use"),
        "v_invalid_phone.local_length": ("区号 {1} 后应为 {2} 位号码（现为 {3} 位）", "Behind area code {1} come {2} digits (this one has {3})"),
        "v_invalid_phone.too_short": ("号码只有 {1} 位；固定电话请带区号，如 0755-86013388", "Only {1} digits; write a landline with its area code, e.g. 0755-86013388"),
        "v_invalid_phone.not_in_plan": ("不是有效的中国电话号码", "Not a valid Chinese phone number"),
        "v_control_characters": ("密码不能含有控制字符（如换行、制表符）", "A password cannot hold control characters (line breaks, tabs)"),
        "v_common_password": ("这是攻击者最先尝试的常见密码，请换一个自己的长句", "This password is among the first attackers try; choose a longer phrase of your own"),
        "v_personal_password": ("密码不能是自己的邮箱或姓名", "A password cannot be your own e-mail address or name"),
        "v_invalid_field": ("该字段不能用于此处", "This field cannot be used here"),
        "v_invalid_filter": ("筛选条件无效", "The filter is not valid"),
        "v_invalid_query": ("查询参数无效", "The query is not valid"),
        "v_email_taken": ("该邮箱已有用户", "A user with this email exists"),
        "v_object_exists": ("同名对象已存在", "An object with this name exists"),
        "v_cannot_freeze_self": ("不能冻结自己的账号", "You cannot freeze your own account"),
        "v_cannot_demote_self": ("不能取消自己的管理员角色", "You cannot take away your own admin role"),
        "v_forbidden": ("没有权限执行此操作", "You may not do this"),
        "v_unknown_region": ("不是已知的国家、省份或城市", "Not a country, province or city Keel knows"),
        "v_unknown_user": ("没有这个用户（请填用户编号或邮箱）", "No such user (give a user's id or e-mail)"),
        "v_unknown_key": ("不是分配规则的一部分", "Not part of a routing document"),
        "v_invalid_id": ("规则编号须唯一，1 到 64 个字符", "Each rule needs its own id of 1 to 64 characters"),
        "v_invalid_member": ("成员应为用户编号、邮箱，或 {\"user\", \"weight\"}", "A member is a user's id or e-mail, or {\"user\", \"weight\"}"),
        "v_no_active_member.rule": ("规则「{1}」没有在职成员：它的线索将转给后备成员，或不分配", "Rule “{1}” has no active member: its leads go to the fallback, or stay unassigned"),
        "v_unknown_robot.robot": ("群机器人「{1}」尚未设置（渠道设置）：它的升级消息会发送失败并提醒管理员", "Robot “{1}” is not set up (channel settings): its escalations fail and alert the admins"),
        "routing_sla": ("响应时限", "Response SLA"), "routing_no_sla": ("无", "None"), "sla_working": ("按工作时间", "working hours"),
        "sla_always": ("全天候", "24×7"), "sla_robot_after": ("{2} 分钟后群机器人 {1}", "robot {1} after {2} min"), "sla_call_after": ("{1} 分钟后电话", "call after {1} min"),
        "v_uncovered_region.place": ("近 90 天有 {2} 条线索来自{1}，没有规则覆盖，新线索将不被分配", "{2} leads over 90 days came from {1}, which no rule covers: new ones stay unassigned"),
        "admin_lead-routing": ("线索分配", "Lead routing"),
        "lead_inbox": ("线索工作台", "Lead inbox"), "inbox_mine": ("我的线索", "Mine"), "inbox_team": ("团队线索", "Team"),
        "inbox_unassigned": ("未分配", "Unassigned"), "inbox_pool": ("公海", "Pool"), "inbox_all_leads": ("全部线索", "All leads"),
        "inbox_empty_mine": ("您没有待跟进的线索。", "You have no leads to follow up."),
        "inbox_empty_team": ("团队没有待跟进的线索。", "Your team has no leads to follow up."),
        "inbox_empty_unassigned": ("没有未分配的线索。", "No lead is unassigned."), "inbox_empty_pool": ("公海里没有线索。", "The pool is empty."),
        "inbox_lead": ("线索", "Lead"), "inbox_place": ("地区", "Region"), "inbox_channel": ("来源渠道", "Channel"), "inbox_score": ("评分", "Score"),
        "inbox_assigned": ("分配于", "Assigned"), "inbox_pooled": ("进入公海", "In the pool since"), "inbox_reason": ("分配原因", "Why"),
        "inbox_claim": ("领取", "Claim"), "inbox_release": ("退回公海", "Release"), "inbox_release_reason": ("退回原因", "Why release it"),
        "inbox_assign": ("分配", "Assign"), "inbox_assign_to": ("分配给", "Assign to"), "inbox_assign_reason": ("分配说明（可选）", "Note (optional)"),
        "inbox_claimed": ("已领取，线索已在「我的线索」中。", "Claimed: the lead is in Mine now."), "inbox_released": ("已退回公海。", "Released to the pool."),
        "inbox_assigned_done": ("已分配。", "Assigned."),
        "lead_response": ("线索响应", "Lead response"), "response_all_channels": ("全部渠道", "All channels"),
        "response_efficiency": ("分配效率：近 14 天与前 14 天", "Assignment efficiency: the last 14 days against the 14 before"),
        "response_rep": ("销售", "Rep"), "response_received": ("收到线索", "Received"), "response_median": ("首次响应中位", "Median first response"),
        "response_followed": ("72 小时跟进率", "Followed up in 72 h"), "response_converted": ("30 天转化率", "Converted in 30 days"),
        "response_before": ("前 14 天", "14 days before:"), "response_former_user": ("已删除的用户", "Removed user"),
        "response_empty": ("近 28 天没有线索分配给您可查看的销售。", "No lead was given to the reps you can see in the last 28 days."),
        "response_notes": ("首次响应：分配后第一次记录跟进活动，或线索状态离开“新线索”。72 小时跟进率只计分配已满 72 小时或已跟进的线索；30 天转化率计算分配后 30 天内转化的线索（近期分配的计至今）。",
                           "First response: the first activity logged on the lead after it was given, or its status leaving “new”. The 72-hour rate counts leads given at least 72 hours ago or answered sooner; the 30-day conversion counts leads converted within 30 days of being given (so far, for recent ones)."),
        "response_heatmap": ("响应热力图：首次响应中位时间，按销售与线索到达时段 · 近 28 天", "Response heatmap: median first response by rep and hour of arrival · last 28 days"),
        "response_heatmap_hint": ("颜色越深，响应越慢；空格表示该时段没有已响应的线索。", "The darker the cell, the slower the answer; an empty cell: no answered lead arrived in that hour."),
        "digest_nothing": ("今天没有需要提醒的线索事项。", "Nothing about leads needs your attention today."),
        "digest_when": ("每个工作日上班时发送到您的通知中。", "Sent to your notifications as each working day begins."),
        "browser_alerts_on": ("在浏览器中提醒我", "Alert me in the browser"),
        "browser_alerts_hint": ("线索超时等提醒会在浏览器中弹出，即使 Keel 不在前台。", "Overdue leads and other alerts pop up even when Keel is in the background."),
                "inbox_sla": ("响应时限", "Response"), "sla_missed": ("已超时：", "Missed: "), "sla_met": ("已按时响应", "Answered in time"),
        "sla_due_now": ("已到期", "due now"), "sla_minutes_left": ("还剩 {1} 分钟", "{1} min left"), "sla_hours_left": ("还剩 {1} 小时", "{1} h left"),
        "sla_due_at": ("截止 {1}", "due {1}"), "sla_card": ("响应时限", "Response SLA"), "sla_target": ("目标", "Target"), "sla_deadline": ("截止时间", "Deadline"),
        "sla_state": ("状态", "State"), "sla_escalations": ("升级记录", "Escalations"),
        "sla_target_met": ("已达成（{1}）", "Met ({1})"), "sla_target_missed": ("已超时", "Missed"), "sla_target_cancelled": ("已改派，计时取消", "Reassigned: stopped"),
        "sla_tier_1": ("第 1 级 站内与浏览器提醒", "Tier 1 in-app and browser"), "sla_tier_2": ("第 2 级 群机器人", "Tier 2 group robot"),
        "sla_tier_3": ("第 3 级 电话", "Tier 3 phone call"),
        "sla_outcome_notified": ("已提醒 {1}", "{1} notified"), "sla_outcome_queued_robot": ("正在发送群消息", "Sending the group message"),
        "sla_outcome_queued_call": ("正在拨打 {1}", "Calling {1}"), "sla_outcome_no_mobile": ("未拨打：{1} 没有手机号", "No call: {1} has no mobile"),
        "sla_outcome_lead_deleted": ("线索已删除", "The lead was deleted"), "sla_outcome_sent": ("已发送到群机器人 {1}", "Sent to robot {1}"),
        "sla_outcome_called": ("已拨打 {1}", "Called {1}"), "sla_outcome_sms": ("电话未能拨出（{2}），已发短信到 {1}", "The call failed ({2}); texted {1}"),
        "sla_outcome_retrying": ("发送失败，稍后重试（{1}）", "Failed, retrying ({1})"), "sla_outcome_failed": ("发送失败，已通知管理员（{1}）", "Failed; admins alerted ({1})"),
        "claim_failed.not_in_pool": ("这条线索已不在公海（可能已被他人领取）。", "This lead is no longer in the pool (someone may have claimed it)."),
        "claim_failed.claim_cooldown": ("这条线索刚从您这里退回，冷却期内不能再次领取。", "This lead left you recently: you cannot claim it again during the cooldown."),
        "claim_failed.claim_limit": ("今天的领取次数已用完。", "You have claimed as many leads as allowed today."),
        "routing_on": ("自动分配已开启", "Auto-assignment is on"), "routing_off": ("自动分配已关闭：新线索归创建人或填写的负责人", "Auto-assignment is off: new leads belong to their creator or the owner given"),
        "routing_turn_on": ("开启自动分配", "Turn auto-assignment on"), "routing_turn_off": ("关闭自动分配", "Turn auto-assignment off"),
        "routing_rules": ("分配规则（按顺序，第一条匹配的规则生效）", "Rules (in order: the first a lead meets decides)"),
        "routing_no_rules": ("还没有分配规则。", "No rules yet."),
        "routing_rule": ("规则", "Rule"), "routing_conditions": ("条件", "Conditions"), "routing_strategy": ("分配方式", "Strategy"),
        "routing_members": ("成员", "Members"), "routing_capacity": ("每人上限", "Limit per member"),
        "routing_capacity_n": ("{1} 条待联系", "{1} uncontacted"), "routing_regions": ("地区", "Region"), "routing_score": ("评分", "Score"),
        "routing_any_lead": ("所有线索", "Every lead"), "routing_fallback": ("后备成员（规则成员都不可用时）", "Fallback (when no member of a rule is available)"),
        "routing_no_fallback": ("未设置：线索将不分配并提醒管理员", "None: leads stay unassigned and admins are alerted"),
        "routing_round_robin": ("轮流分配", "In turn"), "routing_weighted": ("按权重轮流", "In turn by weight"),
        "routing_least_loaded": ("分给待联系线索最少的人", "To whoever has the fewest uncontacted leads"),
        "routing_best_performer": ("行业专长优先", "Industry expertise first"), "routing_top": ("（近 90 天成交率前 {1} 名）", " (top {1} by 90-day conversion)"),
        "routing_pool": ("进入公海待培育", "To the pool for nurturing"),
        "routing_warnings": ("需要注意", "Needs attention"), "routing_version": ("当前版本", "Version in force"), "routing_not_set": ("未设置", "not set"),
        "routing_document": ("分配规则（JSON）", "Routing document (JSON)"),
        "routing_document_hint": ("regions 可写省份、城市或国家（中文、英文或代码）；成员写用户邮箱；strategy 可为 round_robin、weighted、least_loaded、best_performer、pool。保存前会逐项检查，有误时原规则保持不变。",
                                  "regions take provinces, cities or countries (Chinese, English or codes); members are users' e-mails; strategy is round_robin, weighted, least_loaded, best_performer or pool. Every problem is listed before saving; the rules in force stay until a valid document replaces them."),
    ]

    /// How a picklist option reads: standard options are translated, options an admin typed are shown as typed.
    public func option(_ value: String, of field: FieldDefinition?) -> String {
        guard field?.isCustom != true, let pair = Self.table["opt_" + value] else { return value }
        return language == .zhCN ? pair.0 : pair.1
    }

    /// A violation in the reader's language; the domain's own message adds the detail in English.
    /// A violation in the reader's language: the text of its reason (`v_<code>.<reason>` when it names one, else
    /// `v_<code>`) with the values it carries put in for `{1}`, `{2}`…; the API's message when there is no such text.
    public func violation(_ v: Violation) -> String {
        let key = v.args.first.map { "v_\(v.code).\($0)" } ?? "v_" + v.code
        guard Self.table[key] != nil, language != .en || !v.args.isEmpty else { return v.message }
        return v.args.dropFirst().enumerated().reduce(self[key]) { text, arg in text.replacingOccurrences(of: "{\(arg.offset + 1)}", with: arg.element) }
    }
}
