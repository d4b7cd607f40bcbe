import Foundation
import KeelCore

/// A lead's response SLA in a few words: 「查看 还剩 3 分钟」, 「已超时：5 分钟内未更新状态」, 「已按时响应」; its style
/// (`sla-ok`, `sla-late`, `sla-done`) colours it.
struct SLABadge {
    var text: String
    var style: String

    /// Nil when the lead has no SLA.
    init?(_ standing: SLAStanding, now: Date, _ t: Strings) {
        let english = t.language == .en
        switch standing.state {
        case .none:
            return nil
        case .breached:
            let breach = ResponseSLA.breach(standing.missed[0])
            (text, style) = (t["sla_missed"] + (english ? breach.en : breach.zh), "sla-late")
        case .met:
            (text, style) = (t["sla_met"], "sla-done")
        case .onTrack:
            guard let (target, deadline) = standing.next, let due = ValueFormats.parseDateTime(deadline) else { return nil }
            let event = english ? target.event.en : target.event.zh
            (text, style) = ("\(event) " + Self.left(due.timeIntervalSince(now), deadline: deadline, t), "sla-ok")
        }
    }

    /// 「还剩 3 分钟」, 「还剩 2 小时」, else the deadline itself; 「已到期」 past it (the timer fires within a second).
    static func left(_ seconds: TimeInterval, deadline: String, _ t: Strings) -> String {
        let minutes = Int((seconds / 60).rounded(.up))
        if seconds <= 0 { return t["sla_due_now"] }
        if minutes < 60 { return t["sla_minutes_left"].replacingOccurrences(of: "{1}", with: String(minutes)) }
        if minutes < 24 * 60 { return t["sla_hours_left"].replacingOccurrences(of: "{1}", with: String(minutes / 60)) }
        return t["sla_due_at"].replacingOccurrences(of: "{1}", with: t.time(deadline))
    }
}

/// A lead's response SLA on its page: the badge, each target of the current assignment with its deadline and how it
/// stands, and what each escalation did.
struct SLACard {
    struct Target {
        var what, deadline, state: String
        var late: Bool
        var escalations: [String]
    }

    var badge: String
    var style: String
    var targets: [Target]

    init?(_ timers: [SLATimer], now: Date, _ t: Strings) {
        guard let badge = SLABadge(SLAStanding(timers), now: now, t) else { return nil }
        (self.badge, style) = (badge.text, badge.style)
        let english = t.language == .en
        let latest = timers.map(\.assignedAt).max()
        let current = timers.filter { $0.assignedAt == latest }
        targets = ResponseSLA.Event.allCases.compactMap { event in
            let tiers = current.filter { $0.event == event }
            guard let first = tiers.first(where: { $0.tier == .notify }) else { return nil }
            let breach = ResponseSLA.breach(first.target)
            let what = (english ? first.event.en : first.event.zh) + " · " + (english ? breach.en.replacingOccurrences(of: "not \(first.event.en) ", with: "")
                                                                              : breach.zh.replacingOccurrences(of: "未\(first.event.zh)", with: ""))
            let state: String = switch first.status {
            case .met: t["sla_target_met"].replacingOccurrences(of: "{1}", with: first.closedAt.map(t.time) ?? "")
            case .fired: t["sla_target_missed"]
            case .cancelled: t["sla_target_cancelled"]
            case .pending: SLABadge.left(ValueFormats.parseDateTime(first.deadline).map { $0.timeIntervalSince(now) } ?? 0, deadline: first.deadline, t)
            }
            let escalations = tiers.filter { $0.status == .fired }.map { timer in
                t["sla_tier_\(timer.tier.rawValue)"] + " · " + (timer.closedAt.map(t.time) ?? "") + (timer.outcome.map { "：" + Self.outcome($0, t) } ?? "")
            }
            return Target(what: what, deadline: t.time(first.deadline), state: state, late: first.status == .fired, escalations: escalations)
        }
    }

    /// An escalation's outcome (`code:detail`) in words.
    static func outcome(_ stored: String, _ t: Strings) -> String {
        let code = stored.prefix { $0 != ":" }, rest = stored.dropFirst(code.count + 1)
        // Only an SMS sent instead of a call has two details (the phone, then why the call failed).
        let details = code == "sms" ? rest.split(separator: ":", maxSplits: 1).map(String.init) : [String(rest)]
        var text = t["sla_outcome_" + code]
        for (i, detail) in details.enumerated() { text = text.replacingOccurrences(of: "{\(i + 1)}", with: detail) }
        return text
    }
}
