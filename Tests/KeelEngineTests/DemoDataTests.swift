import KeelCore
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
            #expect(Set(departments) == ["销售一部", "销售二部", "市场部", "客服部", "财务部"])
            #expect(try await keel.auth.users(by: admin).count >= 10)
            let accounts = try await keel.records.list("accounts", params: [("limit", "500")], as: admin).records
            #expect(accounts.count == 60)
            #expect(accounts.allSatisfy { CreditCode.isValid($0.values["credit_code"]?.stringValue ?? "") })
            let leads = try await keel.records.list("leads", params: [("limit", "500")], as: admin).records
            #expect(Set(leads.compactMap { $0.values["channel"]?.stringValue }).count >= 5)
            #expect(try await DemoData.load(into: keel, accounts: 60).alreadyLoaded)
            #expect(try await AuditVerifier(database: keel.database).verify().ok)
        }
    }
}
