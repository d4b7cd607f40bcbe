import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Testing

/// Reps' first answers and conversions, recorded on the write path with each assignment; the figures whoever may
/// read the leads sees; the morning digest, sent once per working day.
@Suite struct LeadResponseTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        return calendar.date(from: DateComponents(year: 2026, month: 11, day: day, hour: hour, minute: minute))!
    }

    @Test(arguments: TestDatabase.all)
    func answersAndConversionsAreRecordedPerAssignmentAndShownToWhoeverMayReadTheLeads(_ database: TestDatabase) async throws {
        let clock = ManualClock(Self.at(30, 9, 30))
        try await database.withKeel(clock: clock, timeZone: Self.shanghai) { keel in
            let admin = try await keel.makeUser()
            let east = try await keel.auth.createDepartment(name: "华东区", parentID: nil, managerID: nil, by: admin)
            func user(_ email: String, _ role: Role, _ department: String?) async throws -> Principal {
                try await keel.auth.createUser(NewUser(email: email, password: "password-\(email)", role: role, department: department), by: admin).principal
            }
            let manager = try await user("m@example.com", .manager, east.name)
            let a = try await user("a@example.com", .member, east.name), b = try await user("b@example.com", .member, east.name)
            let outsider = try await user("c@example.com", .member, nil)
            _ = try await keel.records.setLeadRouting(["rules": [["id": "all", "members": ["a@example.com"]]],
                                                       "sla": ["calendar": "24x7", "targets": ["contacted": 60]]], by: admin)
            func given(_ name: String, _ phone: String, to owner: Principal, at date: Date, by writer: Principal? = nil,
                       status: String = "new") async throws -> String {
                try await keel.records.create("leads", ["name": .string(name), "phone": .string(phone), "owner": .string(owner.userID),
                                                        "status": .string(status), "channel": "website"],
                                              context: WriteContext(principal: writer ?? admin, source: .api, at: date)).json["id"]!.stringValue!
            }
            func call(_ lead: String, by rep: Principal, at date: Date) async throws {
                _ = try await keel.records.create("activities", ["type": "call", "subject": "首次电话", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(lead)],
                                                  context: WriteContext(principal: rep, source: .api, at: date))
            }
            func move(_ lead: String, _ values: [String: JSONValue], by who: Principal, at date: Date) async throws {
                _ = try await keel.records.update("leads", id: lead, values, expectedVersion: nil, context: WriteContext(principal: who, source: .api, at: date))
            }
            // a answers by a call in 30 minutes (the status moving later changes nothing), and converts it two days on.
            let first = try await given("甲", "13912345621", to: a, at: Self.at(23, 10))
            try await call(first, by: a, at: Self.at(23, 10, 30))
            try await move(first, ["status": "contacted"], by: a, at: Self.at(23, 11))
            try await move(first, ["status": "converted"], by: a, at: Self.at(25, 10))
            // a answers only after four days, by moving the status.
            let late = try await given("乙", "13912345622", to: a, at: Self.at(23, 14))
            try await move(late, ["status": "contacted"], by: a, at: Self.at(27, 14))
            // b never answers; the lead goes to a, who calls in 20 minutes.
            let handed = try await given("丙", "13912345623", to: b, at: Self.at(24, 19))
            try await move(handed, ["owner": .string(a.userID)], by: admin, at: Self.at(26, 10))
            try await call(handed, by: a, at: Self.at(26, 10, 20))
            // Written as already contacted by its owner: answered as it arrived. The outsider's lead is not the team's.
            _ = try await given("丁", "13912345624", to: b, at: Self.at(25, 9), by: b, status: "contacted")
            let theirs = try await given("戊", "13912345625", to: outsider, at: Self.at(24, 10))
            try await call(theirs, by: outsider, at: Self.at(24, 10, 5))
            // Saturday's lead to a waits, and misses its hour.
            let waiting = try await given("己", "13912345626", to: a, at: Self.at(28, 15))
            #expect(try await keel.escalations.fireDue() >= 1)
            #expect(try await keel.records.get("leads", id: waiting, as: admin).0.value("sla_breached_at").stringValue != nil)

            let now = Self.at(30, 12)
            let since = Self.at(16, 12)
            let team = try await keel.records.responseSamples(visibleTo: manager, since: since)
            #expect(Set(team.map(\.owner)) == [a.userID, b.userID])
            #expect(Set(try await keel.records.responseSamples(visibleTo: admin, since: since).map(\.owner)) == [a.userID, b.userID, outsider.userID])
            #expect(Set(try await keel.records.responseSamples(visibleTo: a, since: since).map(\.owner)) == [a.userID])
            let figures = ResponseStats.efficiency(team, from: since, to: now, now: now)
            let mine = try #require(figures[a.userID])
            #expect(mine.received == 4)
            #expect(mine.medianResponse == 1800)  // 20 min, 30 min, 4 days
            // Saturday's is not 72 hours old: not yet counted either way.
            #expect(mine.followedUp == ResponseStats.Share(count: 2, of: 3) && mine.converted == ResponseStats.Share(count: 1, of: 4))
            let bs = try #require(figures[b.userID])
            #expect(bs.received == 2 && bs.medianResponse == 0 && bs.followedUp == ResponseStats.Share(count: 1, of: 2))
            #expect(ResponseStats.heatmap(team, zone: Self.shanghai)[a.userID] == [10: 25 * 60, 14: 4 * 86400])

            // Monday morning: a digest for a, the manager, the admin and the outsider (whose lead is still new); b has
            // nothing new and nothing waiting. Once.
            #expect(try await keel.records.sendLeadDigests(at: Self.at(30, 8, 59)) == 0)
            #expect(try await keel.records.sendLeadDigests(at: Self.at(29, 10)) == 0)
            let sent = try await keel.records.sendLeadDigests(at: Self.at(30, 9, 30))
            #expect(sent == 4)
            #expect(try await keel.records.sendLeadDigests(at: Self.at(30, 11)) == 0)
            let told = try await keel.notifier.notifications(of: a).items.map(\.title).filter { $0.hasPrefix("线索晨报") }
            #expect(told == ["线索晨报：您：上一工作日以来新分配 1 条；待首次联系 2 条，其中 1 条已超时。"])
            let managers = try await keel.notifier.notifications(of: manager).items.map(\.title).filter { $0.hasPrefix("线索晨报") }
            #expect(managers == ["线索晨报：团队：上一工作日以来新分配 1 条；待首次联系 2 条，其中 1 条已超时。"])
            let outsiders = try await keel.notifier.notifications(of: outsider).items.map(\.title).filter { $0.hasPrefix("线索晨报") }
            #expect(outsiders == ["线索晨报：您：上一工作日以来新分配 0 条；待首次联系 1 条。"])
            #expect(try await keel.notifier.notifications(of: b).items.allSatisfy { !$0.title.hasPrefix("线索晨报") })

            // No digest with routing switched off.
            _ = try await keel.records.setLeadRouting(["enabled": false, "rules": [["id": "all", "members": ["a@example.com"]]]], by: admin)
            #expect(try await keel.records.sendLeadDigests(at: Self.at(30, 9, 30).addingTimeInterval(86400)) == 0)
        }
    }
}
