import Foundation
import KeelCore
import Testing

/// Date-times as people type them, read in the organisation's zone (Asia/Shanghai, UTC+8) on Monday 2026-11-30.
@Suite struct LocalDateTimeTests {
    let zone = TimeZone(identifier: "Asia/Shanghai")!
    let now = ValueFormats.parseDateTime("2026-11-30T01:00:00Z")!  // 09:00 in Shanghai

    @Test(arguments: [
        ("2026-11-30 10:30", "2026-11-30T02:30:00.000Z"), ("2026-11-30T10:30", "2026-11-30T02:30:00.000Z"),
        ("2026/11/30 10:30", "2026-11-30T02:30:00.000Z"), ("2026-11-30 10:30:00", "2026-11-30T02:30:00.000Z"),
        ("2026年11月30日 10:30", "2026-11-30T02:30:00.000Z"), ("11月30日 下午3点", "2026-11-30T07:00:00.000Z"),
        ("12-01 9:05", "2026-12-01T01:05:00.000Z"), ("今天 10:30", "2026-11-30T02:30:00.000Z"), ("明天 10:30", "2026-12-01T02:30:00.000Z"),
        ("明天下午3点", "2026-12-01T07:00:00.000Z"), ("后天 9点半", "2026-12-02T01:30:00.000Z"), ("昨天 晚上8点15分", "2026-11-29T12:15:00.000Z"),
        ("tomorrow 2:30 pm", "2026-12-01T06:30:00.000Z"), ("2026-01-31T09:30:00+08:00", "2026-01-31T01:30:00.000Z"),
    ])
    func readsWhatPeopleType(_ text: String, _ instant: String) throws {
        let date = try #require(LocalDateTime.parse(text, in: zone, now: now), "\(text)")
        #expect(ValueFormats.formatDateTime(date) == instant, "\(text)")
    }

    @Test(arguments: ["", "10:30", "明天", "2026-02-30 10:00", "2026-11-30 25:00", "2026-11-30 10:61", "next week", "2026-11-30 10:30 ok", "13月1日 10:00"])
    func refusesWhatIsNotADateTime(_ text: String) {
        #expect(LocalDateTime.parse(text, in: zone, now: now) == nil, "\(text)")
    }
}
