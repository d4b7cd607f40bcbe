import Foundation
import KeelCore
import KeelMatching
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct DemoDataTests {
    @Test func loadsARealisticCompanyOnceThroughTheRecordService() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let summary = try await DemoData.load(into: keel, accounts: 60)
            #expect(!summary.alreadyLoaded)
            let admin = try #require(try await keel.auth.login(email: DemoData.adminEmail, password: DemoData.adminPassword).user.principal)
            let departments = try await keel.auth.departments(by: admin).map(\.name)
            #expect(Set(departments) == ["销售中心", "销售一部", "销售二部", "市场部", "客服部", "财务部"])
            #expect(try await keel.auth.users(by: admin).count >= 10)
            let accounts = try await keel.records.list("accounts", params: [("limit", "500")], as: admin).records
            #expect(accounts.count == 60)
            #expect(accounts.allSatisfy { CreditCode.isValid($0.values["credit_code"]?.stringValue ?? "") })
            let leads = try await keel.records.list("leads", params: [("limit", "500")], as: admin).records
            #expect(Set(leads.compactMap { $0.values["channel"]?.stringValue }).count >= 5)
            // The default policies: the sales director sees both teams, a rep only their own, and no rep sees floor prices.
            let director = try await keel.auth.login(email: "qian.zong@keel.demo", password: DemoData.password).user.principal
            let rep = try await keel.auth.login(email: "li.na@keel.demo", password: DemoData.password).user.principal
            #expect(try await keel.records.count("accounts", params: [], as: director) == 60)
            let mine = try await keel.records.list("accounts", params: [("limit", "500")], as: rep).records
            #expect(!mine.isEmpty && mine.count < 60 && mine.allSatisfy { $0.values["owner"] == .string(rep.userID) })
            let deals = try await keel.records.list("opportunities", params: [("limit", "5")], as: rep).records
            #expect(!deals.isEmpty && deals.allSatisfy { $0.masked == ["floor_price"] })
            #expect(try await keel.records.list("opportunities", params: [("limit", "5")], as: director).records.allSatisfy { $0.masked.isEmpty })
            #expect(try await keel.access.healthScan(by: admin).isEmpty)
            // Eighteen months of deals, each moved stage by stage through the demo's strict pipeline.
            let pipeline = try await keel.pipelines.document("opportunities", as: admin)
            #expect(pipeline.version == 1 && pipeline.set.pipelines[0].skipForward == false)
            let deal = try #require(try await keel.records.list("opportunities", params: [("filter[stage][eq]", "closed_won"), ("limit", "1")], as: admin).records.first)
            let moves = try await keel.pipelines.history("opportunities", id: deal.id, as: admin)
            #expect(moves.count >= 6 && moves.first?.from == nil && moves.last?.to == "closed_won" && moves.dropFirst().allSatisfy { $0.actor == deal.value("owner").stringValue })
            let oldest = try await keel.records.list("opportunities", params: [("sort", "created_at"), ("limit", "1")], as: admin).records.first?.createdAt ?? ""
            #expect(oldest < ValueFormats.formatDateTime(Date().addingTimeInterval(-500 * 86_400)))
            // The demo's automations act on what happens from now on, not on the history written before them: a big deal
            // entering negotiation today gets a contract review task.
            #expect(Set(try await keel.automations.list(by: admin).map(\.id)) == ["big-deal-review", "monday-proposals", "quote-discount-new", "quote-discount-changed", "plan-exception"])
            // The catalog, quotes on late deals, contracts for the won ones with plans that add up to their totals.
            let (products, quotes) = (try await keel.records.count("products", params: [], as: admin), try await keel.records.count("quotes", params: [], as: admin))
            #expect(products == 9 && quotes == 40)
            let contract = try #require(try await keel.records.list("contracts", params: [("limit", "1")], as: admin).records.first)
            let paid = try await keel.contracts.document(contract.id, as: admin)
            #expect(paid.plan.compactMap { Decimal(exactly: $0.value("amount")) }.reduce(0, +) == Decimal(exactly: contract.value("total_incl_tax")) && !paid.payments.isEmpty)
            // The ERP's data reconciled: each difference put there is a line of its class, and nothing else is.
            let run = try #require(try await keel.reconciliations.run(nil, as: admin))
            #expect(run.lines.map(\.difference.rawValue).sorted() == ["amount", "currency", "missing_in_crm", "missing_in_erp", "missing_in_erp", "tax", "timing"])
            #expect(run.lines.filter { $0.contract != nil }.allSatisfy { $0.owner != nil } && !run.periods.isEmpty)
            try await Worker(keel: keel).drain()
            let reviews: [(String, String)] = [("filter[subject][startsWith]", "合同评审: ")]
            #expect(try await keel.records.list("tasks", params: reviews, as: admin).records.isEmpty)
            let decider = try #require(try await keel.records.list("contacts", params: [("filter[role][eq]", "决策人"), ("limit", "1")], as: admin).records.first)
            let big = try #require(try await keel.records.create("opportunities", [
                "name": "医院影像中心采购", "account": decider.value("account"), "stage": "proposal", "amount": 1_500_000, "expected_close_date": "2027-01-15",
            ], context: WriteContext(principal: admin, source: .api)).json["id"]?.stringValue)
            _ = try await keel.records.update("opportunities", id: big, ["stage": "negotiation"], expectedVersion: nil, context: WriteContext(principal: admin, source: .api))
            try await Worker(keel: keel).drain()
            #expect(try await keel.records.list("tasks", params: reviews, as: admin).records.map { $0.value("subject") } == ["合同评审: 医院影像中心采购"])
            // Each rep has follow-ups due around today, on their own customers.
            let repTasks = try await keel.records.list("tasks", params: [("filter[assignee][eq]", rep.userID), ("filter[status][eq]", "open")], as: rep).records
            #expect(repTasks.count >= 5 && repTasks.contains { ($0.value("due").stringValue ?? "") < keel.day(Date()) })
            // The activities' next steps due before today were done: what is overdue is the two follow-ups planned so.
            #expect(repTasks.filter { ($0.value("due").stringValue ?? "") < keel.day(Date()) }.count == 2, "\(repTasks.map { $0.value("due") })")
            #expect(try await keel.automations.stats().allSatisfy { $0.failed == 0 })
            // The demo's lead routing covers every demo region and channel: no warnings; a new lead finds a rep.
            let routing = try await keel.records.leadRouting(as: admin)
            #expect(routing.routing?.enabled == true && routing.warnings.isEmpty, "\(routing.warnings)")
            // Some advances met their gate only at the second try: the valid-advance rate has something to tell.
            let advances = try await keel.pipelines.validAdvances("opportunities", days: 600, as: admin)
            #expect(advances.contains { $0.firstTime < $0.count } && advances.contains { $0.firstTime == $0.count })
            var reps = Set<String>()
            for login in ["li.na", "zhang.wei", "chen.jing", "yang.fan"] {
                reps.insert(try await keel.auth.login(email: "\(login)@keel.demo", password: DemoData.password).user.principal.userID)
            }
            var n = 0
            for province in ["北京市", "上海市", "广东省", "浙江省", "江苏省", "四川省", "湖北省", "陕西省", "山东省", "福建省"] {
                for channel in StandardObjects.leadChannels {
                    n += 1
                    let lead = try await keel.records.create("leads", ["name": .string("路由测试\(n)"), "phone": .string("1391234\(String(format: "%04d", n))"),
                                                                       "company": .string("路由测试\(n)科技有限公司"), "industry": "医疗器械",
                                                                       "province": .string(province), "channel": .string(channel)],
                                                             context: WriteContext(principal: admin, source: .api)).json
                    #expect(lead["owner"]?.stringValue.map(reps.contains) == true, "\(province) \(channel): \(lead["assignment_reason"] ?? .null)")
                }
            }
            #expect(try await DemoData.load(into: keel, accounts: 60).alreadyLoaded)
            #expect(try await AuditVerifier(database: keel.database).verify().ok)
        }
    }
}
