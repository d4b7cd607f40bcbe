import Foundation
import KeelCore
import KeelStore

/// A deterministic, realistic Chinese SME: six departments (a sales centre over two sales teams), thirteen users, 1,200 accounts with valid credit
/// codes and phones in mixed formats, contacts, leads from several channels, deals across stages, activities.
/// Everything is written through the record service, like any other write.
public enum DemoData {
    public static let adminEmail = "admin@keel.demo"
    public static let adminPassword = "keel-demo-2026"
    public static let password = "keel-demo-2026"

    public struct Summary: CustomStringConvertible, Sendable {
        public var alreadyLoaded: Bool
        public var counts: [(String, Int)]
        public var description: String {
            let what = alreadyLoaded ? "Demo data is already loaded." : "Demo data loaded: " + counts.map { "\($0.1) \($0.0)" }.joined(separator: ", ") + "."
            return what + "\nSign in as the demo admin: \(DemoData.adminEmail) / \(DemoData.adminPassword)"
                + " (the other demo users, such as li.na@keel.demo, have the password \(DemoData.password) too)"
        }
    }

    public static func load(into keel: Keel, accounts accountCount: Int = 1_200) async throws -> Summary {
        if try await keel.database.read({ try await DirectoryStore().user(email: adminEmail, on: $0) }) != nil {
            return Summary(alreadyLoaded: true, counts: [])
        }
        var rng = SeededGenerator(seed: 20_261_122)
        // Users and departments.
        let admin = try await keel.auth.createUser(NewUser(email: adminEmail, password: adminPassword, name: "系统管理员", role: .admin), by: nil)
        // 销售中心 above the two sales teams: its director sees both through the department tree.
        let center = try await keel.auth.createDepartment(name: "销售中心", parentID: nil, managerID: nil, by: admin.principal)
        for team in ["销售一部", "销售二部"] {
            _ = try await keel.auth.createDepartment(name: team, parentID: center.id, managerID: nil, by: admin.principal)
        }
        let staff: [(String, String, String, Role)] = [
            ("qian.zong", "钱总", "销售中心", .manager),
            ("wang.lei", "王磊", "销售一部", .manager), ("li.na", "李娜", "销售一部", .member), ("zhang.wei", "张伟", "销售一部", .member),
            ("liu.yang", "刘洋", "销售二部", .manager), ("chen.jing", "陈静", "销售二部", .member), ("yang.fan", "杨帆", "销售二部", .member),
            ("zhao.min", "赵敏", "市场部", .manager), ("huang.li", "黄丽", "市场部", .member),
            ("zhou.qiang", "周强", "客服部", .manager), ("wu.xia", "吴霞", "客服部", .member),
            ("xu.ming", "徐明", "财务部", .manager), ("sun.hui", "孙慧", "财务部", .member),
        ]
        var sales: [String] = []
        var reps: [Principal] = []
        var managerOf: [String: String] = [:]
        for (login, name, department, role) in staff {
            let user = try await keel.auth.createUser(
                NewUser(email: "\(login)@keel.demo", password: password, name: name, role: role, department: department,
                        managerEmail: role == .member ? managerOf[department] : nil,
                        level: login == "qian.zong" ? 4 : role == .manager ? 3 : 2), by: nil)
            if role == .manager { managerOf[department] = user.email }
            if department.hasPrefix("销售") { (sales, reps) = (sales + [user.id], reps + [user.principal]) }
        }
        let context = WriteContext(principal: admin.principal, source: .demo)
        // A deal's floor price is for managers' eyes: sensitivity 3, masked for members by the default policies.
        _ = try await keel.metadata.addField(to: "opportunities", ["name": "floor_price", "type": "money", "sensitivity": 3,
                                                                     "labels": ["zh-CN": "底价", "en": "Floor price"]], as: admin.principal)
        _ = try await keel.metadata.addField(to: "opportunities", ["name": "discount", "type": "percent",
                                                                     "labels": ["zh-CN": "折扣", "en": "Discount"]], as: admin.principal)

        // Accounts, in batches: one transaction per batch.
        var accountIDs: [String] = []
        let catalog = try await keel.metadata.catalog()
        var distinctAccounts = Distinct(try catalog.require("accounts"))
        var inputs: [[String: JSONValue]] = []
        while inputs.count < accountCount {
            let (name, region) = companyName(&rng)
            let account: [String: JSONValue] = [
                "name": .string(name), "credit_code": .string(creditCode(&rng, region: region.code)),
                "industry": .string(region.industry), "province": .string(region.province), "city": .string(region.city),
                "address": .string("\(region.city)\(pick(streets, &rng))\(Int.random(in: 1...999, using: &rng))号"),
                "legal_representative": .string(personName(&rng)), "size": .string(pick(StandardObjects.companySizes, &rng)),
                "website": .string("https://www.\(pinyinDomain(&rng)).com.cn"), "phone": .string(phone(&rng, areaCode: region.areaCode)),
                "owner": .string(pick(sales, &rng)),
            ]
            if distinctAccounts.admit(account) { inputs.append(account) }
        }
        for chunk in stride(from: 0, to: inputs.count, by: 200) {
            accountIDs += try await keel.records.createBatch("accounts", Array(inputs[chunk..<min(chunk + 200, inputs.count)]), context: context).map(\.id)
        }

        // An account's contacts, deals and activities are its owner's: a rep opens her own customers' records.
        let ownerOf = Dictionary(uniqueKeysWithValues: zip(accountIDs, inputs.map { $0["owner"] ?? .null }))
        var contacts: [[String: JSONValue]] = []
        var distinctContacts = Distinct(try catalog.require("contacts"))
        for (i, account) in accountIDs.enumerated() where i % 4 != 3 {
            var wanted = i % 3 == 0 ? 2 : 1
            while wanted > 0 {
                let login = pinyinDomain(&rng)
                // Each account's first contact decides (决策人): the demo pipeline asks for one before negotiation.
                let contact: [String: JSONValue] = [
                    "name": .string(personName(&rng)), "title": .string(pick(titles, &rng)), "account": .string(account),
                    "role": .string(wanted == (i % 3 == 0 ? 2 : 1) ? "决策人" : "采购经理"),
                    "mobile": .string(mobile(&rng)), "email": .string("\(login)@\(pinyinDomain(&rng)).cn"),
                    "wechat_id": .string("wx_\(login)\(Int.random(in: 10...99, using: &rng))"), "owner": ownerOf[account]!,
                ]
                if distinctContacts.admit(contact) {
                    contacts.append(contact)
                    wanted -= 1
                }
            }
        }
        var leads: [[String: JSONValue]] = []
        var distinctLeads = Distinct(try catalog.require("leads"))
        while leads.count < 400 {
            let (company, region) = companyName(&rng)
            let lead: [String: JSONValue] = [
                "name": .string(personName(&rng)), "company": .string(company), "phone": .string(mobile(&rng)),
                "channel": .string(pick(channels, &rng)), "utm_source": .string(pick(["baidu", "wechat", "douyin", "zhihu", "email"], &rng)),
                "province": .string(region.province), "city": .string(region.city), "industry": .string(region.industry),
                "score": JSONValue(Int.random(in: 5...95, using: &rng)),
            ]
            if distinctLeads.admit(lead) { leads.append(lead) }
        }
        // Where each lead is now: new (three in seven), contacted, qualified, unqualified or converted.
        let statuses = leads.indices.map { i in i % 14 == 6 ? "converted" : StandardObjects.leadStatuses[i % 7 < 3 ? 0 : i % 7 < 5 ? 1 : i % 7 == 5 ? 2 : 3] }
        // An advert's sign-up form asks for a name and a mobile only: such new leads score low and wait in the pool.
        for i in leads.indices where statuses[i] == StandardObjects.leadStatuses[0] && leads[i]["channel"] == "advertising" {
            (leads[i]["company"], leads[i]["industry"]) = (nil, nil)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = keel.timeZone
        func day(_ offset: Int) -> String { keel.day(calendar.date(byAdding: .day, value: offset, to: Date())!) }
        // Eighteen months of deals on accounts with a decision maker, each following the sales process from the day it
        // was opened: won, lost, or still open today.
        let now = Date()
        let deciders = accountIDs.enumerated().filter { $0.offset % 4 != 3 }.map(\.element)
        var deals: [[String: JSONValue]] = [], dealDates: [Date] = [], dealPaths: [[DealProcess.Move]] = []
        for month in 0..<18 {
            // A growing business: more deals each month.
            for _ in 0..<(14 + month + Int.random(in: 0...6, using: &rng)) {
                let offset = (Double(month) + Double.random(in: 0..<1, using: &rng)) * 30.4 - 548
                let opened = calendar.date(bySettingHour: Int.random(in: 9...17, using: &rng), minute: 0, second: 0,
                                           of: now.addingTimeInterval(offset * 86_400))!
                let amount = Int.random(in: 20...3_000, using: &rng) * 1_000, account = pick(deciders, &rng)
                let planned = calendar.date(byAdding: .day, value: Int.random(in: 30...80, using: &rng), to: opened)!
                deals.append([
                    "name": .string("\(pick(products, &rng))采购项目"), "account": .string(account),
                    "amount": JSONValue(amount), "floor_price": .number(Decimal(amount) * 85 / 100),
                    "discount": JSONValue([0, 5, 8, 12, 18][deals.count % 5]),
                    "expected_close_date": .string(keel.day(planned)), "owner": ownerOf[account]!,
                ])
                dealDates.append(opened)
                // Each deal's course draws from its own generator: how far it got by today does not change the others.
                var course = SeededGenerator(seed: 7_919 &* UInt64(deals.count))
                dealPaths.append(DealProcess.standard.path(created: opened, until: now, amount: Double(amount), using: &course))
            }
        }
        // Each rep's follow-ups around the day the demo is loaded: two overdue, two this week, one later.
        var tasks: [[String: JSONValue]] = []
        for owner in sales {
            let theirs = accountIDs.filter { ownerOf[$0] == .string(owner) }
            for (n, offset) in [-3, -1, 0, 2, 9].enumerated() where !theirs.isEmpty {
                tasks.append([
                    "subject": .string(taskSubjects[n % taskSubjects.count]), "assignee": .string(owner), "related_to": .string(pick(theirs, &rng)),
                    "due": .string(day(offset)),
                ])
            }
        }
        func write(_ object: String, _ rows: [[String: JSONValue]], dates: [Date]? = nil) async throws -> [Record] {
            var written: [Record] = []
            for chunk in stride(from: 0, to: rows.count, by: 200) {
                let range = chunk..<min(chunk + 200, rows.count)
                written += try await keel.records.createBatch(object, Array(rows[range]), context: context, dates: dates.map { Array($0[range]) })
            }
            return written
        }
        _ = try await write("contacts", contacts)
        let leadCalls = try await writeLeads(leads, statuses: statuses, reps: reps, into: keel, by: admin.principal, rng: &rng)
        try await loadPipeline(into: keel, by: admin.principal)
        var dealRecords: [Record] = []
        for chunk in stride(from: 0, to: deals.count, by: 200) {
            let range = chunk..<min(chunk + 200, deals.count)
            dealRecords += try await keel.records.createBatch("opportunities", Array(deals[range]), context: context, dates: Array(dealDates[range]))
        }
        try await replay(dealPaths, of: dealRecords, by: reps, into: keel)
        try await loadQuotes(into: keel, by: admin.principal)
        try await loadFinance(into: keel, by: admin.principal)
        // Calls, visits and meetings over the last two months, on a customer or, every other one, on one of its deals.
        var activities: [[String: JSONValue]] = [], loggedAt: [Date] = []
        for i in 0..<800 {
            let type = StandardObjects.activityTypes[i % StandardObjects.activityTypes.count]
            let deal = i % 2 == 0 ? pick(dealRecords, &rng) : nil, account = deal?.value("account").stringValue ?? pick(accountIDs, &rng)
            var at = calendar.date(byAdding: .day, value: -(i % 60), to: Date())!
            at = calendar.date(bySettingHour: 9 + i % 9, minute: 30, second: 0, of: at)!
            // Each says what happened and the next step, two to five days on: that step becomes its owner's task.
            let due = calendar.date(bySettingHour: 10, minute: 0, second: 0, of: calendar.date(byAdding: .day, value: 2 + i % 4, to: at)!)!
            var activity: [String: JSONValue] = [
                "type": .string(type), "subject": .string(pick(subjects, &rng)), "related_to": .string(deal?.id ?? account),
                "occurred_at": .string(ValueFormats.formatDateTime(min(at, Date()))),
                "body": .string("客户对\(pick(products, &rng))感兴趣，需要进一步报价。"), "next_step": .string(taskSubjects[i % taskSubjects.count]),
                "next_step_due": .string(ValueFormats.formatDateTime(due)), "owner": ownerOf[account]!,
            ]
            // What backs some of them up: the phone system's record of a call, the customer's confirmation of a visit.
            if type == "call", i % 2 == 0 { activity["call_record_id"] = .string("CR-\(keel.day(at).replacingOccurrences(of: "-", with: ""))-\(1_000 + i)") }
            if ["visit", "meeting"].contains(type), i % 3 == 0 { activity["customer_confirmed"] = true }
            activities.append(activity)
            // Logged half an hour after, mostly; now and then two days later, or only after a week.
            loggedAt.append(min(at.addingTimeInterval(i % 11 == 5 ? 7 * 86_400 : i % 7 == 3 ? 2 * 86_400 : 1_800), Date()))
        }
        _ = try await write("activities", activities, dates: loggedAt)
        let followUps = try await closeFollowUps(before: day(0), into: keel, by: admin.principal)
        _ = try await write("tasks", tasks)
        try await loadAutomation(into: keel, by: admin.principal)
        return Summary(alreadyLoaded: false, counts: [
            ("users", staff.count + 1), ("accounts", accountIDs.count), ("contacts", contacts.count), ("leads", leads.count),
            ("opportunities", deals.count), ("activities", activities.count + leadCalls), ("tasks", tasks.count + followUps),
        ])
    }

    /// The reps did what their activities' next steps said, up to `day`: those tasks are done, each on its due day.
    /// Returns how many follow-up tasks there are, done or not.
    static func closeFollowUps(before day: String, into keel: Keel, by admin: Principal) async throws -> Int {
        var done: [RecordChange] = [], cursor: String? = nil
        let context = WriteContext(principal: admin, source: .demo)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = keel.timeZone
        func evening(_ day: String) -> Date? {
            let parts = day.split(separator: "-").compactMap { Int($0) }
            return parts.count == 3 ? calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 17)) : nil
        }
        repeat {
            let page = try await keel.records.list("tasks", params: [("filter[due][lt]", day), ("limit", "500")] + (cursor.map { [("cursor", $0)] } ?? []),
                                                   as: admin)
            done += page.records.map { task in
                RecordChange(id: task.id, input: ["status": "done"], at: task.value("due").stringValue.flatMap(evening))
            }
            cursor = page.nextCursor
        } while cursor != nil
        for chunk in stride(from: 0, to: done.count, by: 200) {
            _ = try await keel.records.updateBatch("tasks", Array(done[chunk..<min(chunk + 200, done.count)]), context: context)
        }
        return try await keel.records.count("tasks", params: [], as: admin)
    }

    /// A discount approval for open deals (over 10 %: the regional manager, then a sales manager over 15 % or a million), an automation that
    /// opens a contract review when a big deal enters negotiation, and a Monday-morning reminder about large proposals.
    /// The lead-routing rules and the website's contact form.
    static func loadLeadRouting(into keel: Keel, by admin: Principal) async throws {
        // Leads are scored on arrival and on every change: five dimensions worth 0 to 20 each.
        _ = try await keel.records.setLeadScoring(["dimensions": [
            ["id": "industry_fit", "labels": ["zh-CN": "行业匹配", "en": "Industry fit"],
             "formula": #"IF(OR(industry = "医疗器械", industry = "生物医药", industry = "软件和信息技术", industry = "医院"), 20, IF(ISBLANK(industry), 0, 8))"#],
            ["id": "channel_quality", "labels": ["zh-CN": "渠道质量", "en": "Channel quality"],
             "formula": #"IF(OR(ISPICKVAL(channel, "referral"), ISPICKVAL(channel, "trade_show")), 20, IF(OR(ISPICKVAL(channel, "website"), ISPICKVAL(channel, "web_form")), 12, 6))"#],
            ["id": "reachable", "labels": ["zh-CN": "联系方式", "en": "Reachable"], "formula": "IF(ISBLANK(phone), 0, 12) + IF(ISBLANK(email), 0, 8)"],
            ["id": "company_known", "labels": ["zh-CN": "公司信息", "en": "Company known"], "formula": "IF(ISBLANK(company), 0, 15)"],
            ["id": "engagement", "labels": ["zh-CN": "页面互动", "en": "Engagement"], "formula": "MIN(20, BLANKVALUE(time_on_page, 0) / 15)"],
        ]], by: admin)
        // New leads find their owner by region, channel and score; every demo region and channel is covered.
        _ = try await keel.records.setLeadRouting([
            "enabled": true,
            "rules": [
                ["id": "nurture", "name": "低分线索培育", "when": ["score": ["max": 30]], "strategy": "pool"],
                ["id": "events-referrals", "name": "展会与转介绍", "when": ["channel": ["trade_show", "referral"]], "strategy": "best_performer",
                 "members": ["li.na@keel.demo", "zhang.wei@keel.demo", "chen.jing@keel.demo", "yang.fan@keel.demo"], "top": 2, "capacity": 120,
                 "sla": ["calendar": "24x7", "targets": ["viewed": 5, "status_changed": 30, "contacted": 120]]],
                ["id": "north-east", "name": "华北与华东", "when": ["regions": ["北京", "上海", "江苏", "浙江", "山东"]], "strategy": "round_robin",
                 "members": ["li.na@keel.demo", "zhang.wei@keel.demo"], "capacity": 120],
                ["id": "south-west", "name": "华南与西南", "when": ["regions": ["广东", "福建", "四川"]], "strategy": "weighted",
                 "members": [["user": "chen.jing@keel.demo", "weight": 2], ["user": "yang.fan@keel.demo", "weight": 1]], "capacity": 120],
                ["id": "central", "name": "华中与西北", "when": ["regions": ["湖北", "陕西"]], "strategy": "least_loaded",
                 "members": ["zhang.wei@keel.demo", "yang.fan@keel.demo"], "capacity": 120],
                ["id": "china", "name": "全国其他地区", "when": ["regions": ["中国"]], "strategy": "round_robin",
                 "members": ["li.na@keel.demo", "zhang.wei@keel.demo", "chen.jing@keel.demo", "yang.fan@keel.demo"], "capacity": 120],
                ["id": "overseas", "name": "海外及地区不明", "strategy": "least_loaded",
                 "members": ["li.na@keel.demo", "zhang.wei@keel.demo", "chen.jing@keel.demo", "yang.fan@keel.demo"]],
            ],
            "fallback": ["wang.lei@keel.demo", "liu.yang@keel.demo"],
            // Answered within working hours: opened in 10 minutes, first contact within 4 hours.
            "sla": ["calendar": "working", "targets": ["viewed": 10, "contacted": 240]],
        ], by: admin)
        // The website's contact form: its leads are routed like any other.
        _ = try await keel.records.publishForm(["id": "website-contact", "label": "官网联系我们", "origins": ["https://www.keel.demo"],
                                                "fields": ["公司": "company", "手机": "phone", "邮箱": "email"], "required": ["name", "phone"]], by: admin)
    }

    static func loadAutomation(into keel: Keel, by admin: Principal) async throws {
        try await loadQuoteApproval(into: keel, by: admin)
        _ = try await keel.approvals.publish([
            "id": "discount-approval", "label": "折扣审批", "object": "opportunities", "entry": "AND(discount > 10, ISPICKVAL(stage, \"proposal\"))",
            "steps": [["name": "区域经理", "approver": "manager"],
                      ["name": "销售总监", "approver": "role:manager", "when": "OR(discount > 15, amount > 1000000)"]],
            "on_approve": ["stage": "\"negotiation\""],
        ], by: admin)
        _ = try await keel.automations.publish([
            "id": "big-deal-review", "label": "大单进入谈判：建合同评审任务并通知", "object": "opportunities",
            "trigger": ["type": "stage_entered", "stage": "negotiation"], "condition": "amount > 1000000",
            "actions": [
                ["type": "create_record", "object": "tasks", "values": ["subject": "\"合同评审: \" & name", "related_to": "id", "assignee": "owner",
                                                                       "due": "ADD_DAYS(TODAY(), 3)"]],
                ["type": "notify", "to": ["owner", "manager"], "message": "name & \" 进入谈判，金额 ¥\" & TEXT(amount, 2)"],
            ],
        ], by: admin)
        _ = try await keel.automations.publish([
            "id": "monday-proposals", "label": "每周一提醒跟进大额报价", "object": "opportunities",
            "trigger": ["type": "schedule", "cron": "0 9 * * 1"], "condition": "AND(ISPICKVAL(stage, \"proposal\"), amount > 500000)",
            "actions": [["type": "notify", "to": ["owner"], "message": "\"本周请跟进报价: \" & name"]],
        ], by: admin)
    }
}
