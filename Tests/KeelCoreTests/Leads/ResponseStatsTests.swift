import Foundation
import KeelCore
import Testing

@Suite struct ResponseStatsTests {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai")!

    /// A moment in Shanghai.
    static func at(_ day: Int, _ hour: Int, _ minute: Int = 0, month: Int = 11) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = shanghai
        return calendar.date(from: DateComponents(year: 2026, month: month, day: day, hour: hour, minute: minute))!
    }

    static func sample(_ owner: String, _ channel: String?, _ assigned: Date, answeredAfter minutes: Double?, convertedAfter days: Double? = nil) -> ResponseStats.Sample {
        ResponseStats.Sample(owner: owner, channel: channel, assignedAt: assigned, respondedAt: minutes.map { assigned.addingTimeInterval($0 * 60) },
                             convertedAt: days.map { assigned.addingTimeInterval($0 * 86400) })
    }

    @Test func efficiencyCountsTheWindowsAssignmentsWithTheirMedianFollowUpAndConversion() {
        let now = Self.at(30, 12)
        let samples = [
            Self.sample("a", "website", Self.at(23, 10), answeredAfter: 30, convertedAfter: 2),
            Self.sample("a", "website", Self.at(24, 10), answeredAfter: 10),
            Self.sample("a", "referral", Self.at(25, 10), answeredAfter: 4 * 24 * 60),  // followed up, but after 72 hours
            Self.sample("a", "referral", Self.at(26, 10), answeredAfter: nil, convertedAfter: 31),  // never answered; converted too late to count
            Self.sample("a", "website", Self.at(29, 10), answeredAfter: nil),  // not 72 hours old yet: not counted either way
            Self.sample("a", "website", Self.at(10, 10), answeredAfter: 5),  // before the window
            Self.sample("b", nil, Self.at(28, 9), answeredAfter: 60),
        ]
        let figures = ResponseStats.efficiency(samples, from: Self.at(16, 12), to: now, now: now)
        let a = try! #require(figures["a"])
        #expect(a.received == 5)
        #expect(a.medianResponse == 1800)
        #expect(a.followedUp == ResponseStats.Share(count: 2, of: 4))
        #expect(a.converted == ResponseStats.Share(count: 1, of: 5) && a.converted.ratio == 0.2)
        #expect(figures["b"]?.followedUp == ResponseStats.Share(count: 1, of: 1) && figures["b"]?.medianResponse == 3600)
        // An even count's median is the mean of the middle two; no answer, no median; nothing counted, no ratio.
        #expect(ResponseStats.median([4, 1, 3, 2]) == 2.5 && ResponseStats.median([]) == nil)
        let empty = ResponseStats.efficiency([Self.sample("c", nil, Self.at(29, 11), answeredAfter: nil)], from: Self.at(16, 12), to: now, now: now)["c"]!
        #expect(empty.medianResponse == nil && empty.followedUp.ratio == nil && empty.converted.ratio == 0)
    }

    @Test func theHeatmapTakesTheMedianPerRepAndLocalHourOfArrival() {
        let samples = [
            Self.sample("a", "website", Self.at(23, 10, 5), answeredAfter: 10),
            Self.sample("a", "website", Self.at(24, 10, 50), answeredAfter: 30),
            Self.sample("a", "referral", Self.at(24, 10, 20), answeredAfter: 200),
            Self.sample("a", "website", Self.at(24, 21), answeredAfter: 12 * 60),
            Self.sample("a", "website", Self.at(25, 15), answeredAfter: nil),
            Self.sample("b", "referral", Self.at(25, 9), answeredAfter: 3),
        ]
        let all = ResponseStats.heatmap(samples, zone: Self.shanghai)
        #expect(all["a"] == [10: 30 * 60, 21: 12 * 3600] && all["b"] == [9: 180])
        let web = ResponseStats.heatmap(samples.filter { $0.channel == "website" }, zone: Self.shanghai)
        #expect(web["a"] == [10: 20 * 60, 21: 12 * 3600] && web["b"] == nil)
        // The same moments in UTC fall in other hours.
        #expect(ResponseStats.heatmap(samples, zone: TimeZone(identifier: "UTC")!)["b"] == [1: 180])
    }

    @Test func durationsAreSaidTheWayPeopleSayThem() {
        #expect(ResponseStats.spoken(42, english: false) == "42 秒")
        #expect(ResponseStats.spoken(25 * 60 + 10, english: false) == "25 分钟")
        #expect(ResponseStats.spoken(150 * 60, english: true) == "2.5 h")
        #expect(ResponseStats.spoken(36 * 3600, english: false) == "1.5 天")
        #expect(ResponseStats.spoken(12 * 86400, english: true) == "12 days")
        #expect(ResponseStats.spoken(90 * 60, english: false, compact: true) == "1.5时" && ResponseStats.spoken(600, english: true, compact: true) == "10m")
    }

    @Test func theDigestSaysOnlyWhatThereIs() {
        let mine = LeadDigest.Figures(received: 3, medianResponse: 25 * 60, waiting: 5, overdue: 2)
        let team = LeadDigest.Figures(received: 14, medianResponse: nil, waiting: 9, overdue: 0)
        let digest = LeadDigest(mine: mine, team: team, unassigned: 1, pool: 12)
        #expect(digest.lines(english: false) == [
            "您：上一工作日以来新分配 3 条，首次响应中位 25 分钟；待首次联系 5 条，其中 2 条已超时。",
            "团队：上一工作日以来新分配 14 条；待首次联系 9 条。",
            "1 条线索尚未分配，请在线索工作台分配。",
            "公海有 12 条线索可领取。",
        ])
        #expect(digest.lines(english: true)[0] == "You: 3 new since the last working day, median first response 25 min; 5 waiting for a first contact, 2 of them past their SLA.")
        // A manager who owns no lead hears of the team only, and not of the pool; nothing new is no digest.
        let manager = LeadDigest(mine: nil, team: team, unassigned: 0, pool: 12)
        #expect(manager.lines(english: false) == ["团队：上一工作日以来新分配 14 条；待首次联系 9 条。"] && !manager.isEmpty)
        let quiet = LeadDigest(mine: LeadDigest.Figures(received: 0, medianResponse: nil, waiting: 0, overdue: 0), team: nil, unassigned: 0, pool: 12)
        #expect(quiet.isEmpty)
    }

    @Test func theDigestsDayIsTheLatestWorkingDaysOpening() {
        let calendar = WorkingCalendar(holidays: ["2026-12-02"])
        // Monday at 09:30: Monday's opening, and Friday's before it.
        let monday = calendar.openings(before: Self.at(30, 9, 30), in: Self.shanghai)
        #expect(monday?.latest == Self.at(30, 9) && monday?.previous == Self.at(27, 9))
        // Before Monday opens (and all weekend) the latest working day is Friday.
        #expect(calendar.openings(before: Self.at(30, 8, 59), in: Self.shanghai)?.latest == Self.at(27, 9))
        #expect(calendar.openings(before: Self.at(29, 15), in: Self.shanghai)?.latest == Self.at(27, 9))
        // A holiday is passed over both ways.
        let thursday = calendar.openings(before: Self.at(3, 10, month: 12), in: Self.shanghai)
        #expect(thursday?.latest == Self.at(3, 9, month: 12) && thursday?.previous == Self.at(1, 9, month: 12))
        #expect(WorkingCalendar(workingWeekdays: []).openings(before: Self.at(30, 10), in: Self.shanghai) == nil)
    }
}
