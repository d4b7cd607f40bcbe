import Foundation

/// A one-line note read for what it says: the kind of follow-up (call, visit, meeting, e-mail, chat), the person, the
/// next step and when it is due, in the organisation's zone and working calendar — "明天下午3点给张总回电话",
/// "下周三前发报价", "call Li back next Tuesday 10am". What cannot be read is left blank: never a guessed date.
public struct QuickNote: Hashable, Sendable {
    public var type: String?
    public var nextStep: String?
    public var due: Date?
    /// Whether the note named a time of day (else `due` is the day's close of business).
    public var dueHasTime = false
    /// How the note names the person (张总, Li).
    public var contact: String?

    public init() {}

    /// Reads `text` as written at `now`.
    public static func parse(_ text: String, now: Date, zone: TimeZone, calendar: WorkingCalendar) -> QuickNote {
        var note = QuickNote()
        var rest = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !rest.isEmpty, rest.count <= 500 else { return note }
        let today = WorkingCalendar.split(now, zone).day
        var day: Int?, minutes: Int?, deadline = false, failed = false

        /// Removes the first match of `pattern` and hands its captures to `read`; a capture `read` refuses fails the date.
        func take(_ pattern: String, _ read: ([String]) -> Bool) {
            guard let regex = try? NSRegularExpression(pattern: pattern, options: [.caseInsensitive]),
                  let m = regex.firstMatch(in: rest, range: NSRange(rest.startIndex..., in: rest)) else { return }
            let groups = (0..<m.numberOfRanges).map { i in Range(m.range(at: i), in: rest).map { String(rest[$0]) } ?? "" }
            if !read(groups) { failed = true }
            rest.replaceSubrange(Range(m.range, in: rest)!, with: " ")
        }
        let weekdays = ["一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "日": 7, "天": 7]
        let english = ["monday": 1, "tuesday": 2, "wednesday": 3, "thursday": 4, "friday": 5, "saturday": 6, "sunday": 7,
                       "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7]
        let isoWeekday = (today % 7 + 7 + 3) % 7 + 1
        /// The weekday in next week (Monday-first), or the coming one (after today).
        func weekday(_ w: Int, nextWeek: Bool) -> Int {
            nextWeek ? today - (isoWeekday - 1) + 7 + (w - 1) : today + ((w - isoWeekday + 6) % 7 + 1)
        }
        // Days.
        take(#"(大后天|后天|明天|今天|明日|今日)"#) { g in day = today + ["今天": 0, "今日": 0, "明天": 1, "明日": 1, "后天": 2, "大后天": 3][g[1]]!; return true }
        if day == nil {
            take(#"(下|本|这)?(?:周|星期|礼拜)([一二三四五六日天])"#) { g in day = weekday(weekdays[g[2]]!, nextWeek: g[1] == "下"); return true }
        }
        if day == nil {
            take(#"(\d{1,2})月(\d{1,2})[日号]"#) { g in
                guard let d = date(month: Int(g[1])!, day: Int(g[2])!, after: today) else { return false }
                day = d
                return true
            }
        }
        if day == nil { take(#"(\d{1,3})\s*天(?:后|以后|之后)"#) { g in day = today + Int(g[1])!; return true } }
        if day == nil { take(#"\b(today|tomorrow)\b"#) { g in day = today + (g[1].lowercased() == "today" ? 0 : 1); return true } }
        if day == nil {
            take(#"\b(next|this|on|by|before)?\s*(monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|wed|thu|fri|sat|sun)\b"#) { g in
                let lead = g[1].lowercased()
                if lead == "by" || lead == "before" { deadline = true }
                day = weekday(english[g[2].lowercased()]!, nextWeek: lead == "next")
                return true
            }
        }
        if day == nil { take(#"\bin\s+(\d{1,3})\s+days?\b"#) { g in day = today + Int(g[1])!; return true } }
        // A deadline: "…前", "…之前", "by …".
        if day != nil { take(#"^\s*(之前|以前|前)"#) { _ in deadline = true; return true } }
        // Times of day: 10am, 3:30pm first (their digits would read as a 24-hour time), then 下午3点, 15:00.
        take(#"\b(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b"#) { g in
            var h = Int(g[1])!
            let m = Int(g[2]) ?? 0
            guard (1...12).contains(h), m < 60 else { return false }
            if g[3].lowercased() == "pm", h < 12 { h += 12 }
            if g[3].lowercased() == "am", h == 12 { h = 0 }
            minutes = h * 60 + m
            return true
        }
        if minutes == nil {
            take(#"(上午|早上|中午|下午|晚上|傍晚)?\s*(\d{1,2})(?:点|时|:|：)(半|(\d{1,2})分?)?"#) { g in
                var h = Int(g[2])!
                let m = g[3] == "半" ? 30 : Int(g[4]) ?? 0
                if ["下午", "晚上", "傍晚"].contains(g[1]), h < 12 { h += 12 }
                if g[1] == "中午", h < 6 { h += 12 }
                guard h < 24, m < 60 else { return false }
                minutes = h * 60 + m
                return true
            }
        }
        guard !failed else { return QuickNote() }
        if let day {
            note.dueHasTime = minutes != nil
            // A deadline without a time, or a bare day, is due at that day's close; a deadline on a day off, the working day before.
            var due = day
            if deadline, minutes == nil { while !calendar.isWorkday(due), day - due < 30 { due -= 1 } }
            note.due = WorkingCalendar.moment(due, Double((minutes ?? calendar.closes) * 60), zone)
        } else if minutes != nil {
            note.due = WorkingCalendar.moment(today, Double(minutes! * 60), zone)
            note.dueHasTime = true
            if note.due! <= now { note.due = nil; note.dueHasTime = false }
        }
        // The person: 张总, 王经理, 李工 …; "call Li", "email Zhang", "meet Mr Wang".
        let lower = text.lowercased()
        if let m = text.range(of: #"[\p{Han}](?:总|经理|主任|老师|工|院长|处长|科长|董|局)"#, options: .regularExpression) {
            note.contact = String(text[m])
        } else if let m = text.range(of: #"\b(?:call|ring|phone|email|e-mail|meet|visit|text|message|see)\s+(?:mr\.?\s+|ms\.?\s+|mrs\.?\s+)?([A-Z][a-z]+)"#,
                                     options: .regularExpression) {
            note.contact = String(text[m].split(separator: " ").last!)
        }
        // The kind of follow-up.
        let kinds: [(String, [String])] = [
            ("visit", ["拜访", "上门", "登门", "visit"]), ("meeting", ["开会", "会议", "会面", "见面", "演示", "meeting", "meet", "demo"]),
            ("call", ["电话", "回电", "致电", "打给", "call", "ring", "phone"]), ("email", ["邮件", "发报价", "报价单", "发合同", "email", "e-mail", "send"]),
            ("chat", ["微信", "消息", "短信", "wechat", "message", "text"]),
        ]
        note.type = kinds.first { kind in kind.1.contains { lower.contains($0) } }?.0
        let step = rest.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
            .trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: "，,。.、;；:：")))
        note.nextStep = step.isEmpty ? nil : step
        return note
    }

    /// The day number of the next `month`/`day` on or after `today`; nil for a date that does not exist.
    static func date(month: Int, day: Int, after today: Int) -> Int? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let now = Date(timeIntervalSince1970: Double(today) * 86_400)
        let year = calendar.component(.year, from: now)
        for y in [year, year + 1] {
            let c = DateComponents(year: y, month: month, day: day)
            guard c.isValidDate(in: calendar), let d = calendar.date(from: c) else { return nil }
            let n = Int(d.timeIntervalSince1970 / 86_400)
            if n >= today { return n }
        }
        return nil
    }
}
