import Foundation
import KeelCore
import Testing

@Suite struct QuickNoteTests {
    static let zone = TimeZone(identifier: "Asia/Shanghai")!
    /// Tuesday 2026-12-01, 10:00 in Shanghai.
    static let now = ValueFormats.parseDateTime("2026-12-01T02:00:00.000Z")!

    func read(_ text: String, calendar: WorkingCalendar = WorkingCalendar()) -> QuickNote {
        QuickNote.parse(text, now: Self.now, zone: Self.zone, calendar: calendar)
    }

    func at(_ text: String) -> Date { ValueFormats.parseDateTime(text)! }

    @Test func readsTypePersonNextStepAndDue() {
        let call = read("明天下午3点给张总回电话")
        #expect(call.type == "call" && call.contact == "张总" && call.nextStep == "给张总回电话")
        #expect(call.due == at("2026-12-02T15:00:00+08:00") && call.dueHasTime)

        // "Before next Wednesday": due at that day's close of business.
        let quote = read("下周三前发报价")
        #expect(quote.type == "email" && quote.nextStep == "发报价" && quote.contact == nil)
        #expect(quote.due == at("2026-12-09T18:00:00+08:00") && !quote.dueHasTime)

        let english = read("call Li back next Tuesday 10am")
        #expect(english.type == "call" && english.contact == "Li" && english.nextStep == "call Li back")
        #expect(english.due == at("2026-12-08T10:00:00+08:00"))

        let visit = read("12月15日上午9点半上门拜访王经理")
        #expect(visit.type == "visit" && visit.contact == "王经理" && visit.due == at("2026-12-15T09:30:00+08:00"))
        #expect(read("3pm meet Mr Wang for the demo").due == at("2026-12-01T15:00:00+08:00"))
        #expect(read("email Zhang the contract by Friday").due == at("2026-12-04T18:00:00+08:00"))
        #expect(read("3天后微信跟进").type == "chat" && read("3天后微信跟进").due == at("2026-12-04T18:00:00+08:00"))
    }

    /// A deadline on a day off falls on the working day before; a date in January is next year's.
    @Test func followsTheWorkingCalendar() {
        let holiday = WorkingCalendar(holidays: ["2026-12-09"])
        #expect(read("下周三前发报价", calendar: holiday).due == at("2026-12-08T18:00:00+08:00"))
        #expect(read("1月5号回访").due == at("2027-01-05T18:00:00+08:00"))
    }

    /// What cannot be read stays blank: never a guessed date.
    @Test func leavesBlankWhatItCannotRead() {
        let impossible = read("2月30日回电话")
        #expect(impossible == QuickNote())
        let vague = read("跟进一下")
        #expect(vague.due == nil && vague.type == nil && vague.nextStep == "跟进一下")
        #expect(read("25点打电话").due == nil)
        // A time already past today with no day named is not moved to some other day.
        #expect(read("上午9点开会").due == nil)
        #expect(read("") == QuickNote())
    }
}
