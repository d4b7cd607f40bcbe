import Foundation

/// How far an activity can be believed, 0–100, with its reasons: what backs it up (files, the call's record, where it
/// happened, the customer's confirmation), whether it was logged when it happened, whether it says what happened and
/// what comes next, and whether the deal it is about moved on after it.
public struct Credibility: Hashable, Sendable {
    public struct Reason: Hashable, Sendable {
        public var code: String
        public var points: Int
        public var zh: String
        public var en: String
    }

    public var score: Int
    public var reasons: [Reason]

    /// Fields that back an activity up; once logged, they do not change.
    public static let evidenceFields = ["call_record_id", "location", "customer_confirmed"]
    /// How long after an activity its deal's advance still counts as its consequence.
    public static let consequenceWindow: TimeInterval = 14 * 86_400

    /// `attached`: kinds of the files on the activity; `dealMoved`: whether the deal it is about advanced (true) or went
    /// back or was lost (false) within the window after it, nil when it is about no deal or the window is still open.
    public static func of(_ activity: Record, attached: [String], dealMoved: Bool?) -> Credibility {
        var reasons: [Reason] = []
        func add(_ code: String, _ points: Int, _ zh: String, _ en: String) { reasons.append(Reason(code: code, points: points, zh: zh, en: en)) }
        var evidence = 0
        if !attached.isEmpty { evidence += 15 * min(2, Set(attached).count) }
        if activity.value("call_record_id").stringValue?.isEmpty == false { evidence += 15 }
        if activity.value("location").stringValue?.isEmpty == false { evidence += 10 }
        if activity.value("customer_confirmed").boolValue == true { evidence += 15 }
        if evidence > 0 { add("evidence", min(40, evidence), "有佐证（附件、通话记录、地点或客户确认）", "Backed up (files, call record, location or the customer's confirmation)") }
        else { add("no_evidence", 0, "没有任何佐证", "Nothing backs it up") }
        let occurred = activity.value("occurred_at").stringValue.flatMap(ValueFormats.parseDateTime)
        let logged = ValueFormats.parseDateTime(activity.createdAt)
        if let occurred, let logged {
            let delay = logged.timeIntervalSince(occurred)
            if delay <= 86_400 { add("timely", 30, "发生当天记录", "Logged the day it happened") }
            else if delay <= 3 * 86_400 { add("late", 15, "三天内补记", "Logged within three days") }
            else { add("backfilled", 0, "事后多日补录", "Logged days later") }
        } else {
            add("undated", 10, "未写发生时间", "No time given")
        }
        let body = activity.value("body").stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        let step = activity.value("next_step").stringValue?.isEmpty == false && !activity.value("next_step_due").isNull
        if body.count >= 10 { add("substance", 5, "写明了经过", "Says what happened") }
        if step { add("next_step", 5, "有下一步及时间", "Has a next step with its time") }
        switch dealMoved {
        case true?: add("deal_advanced", 20, "之后商机有实质推进", "The deal moved forward after it")
        case false?: add("deal_stalled", 0, "之后商机退回或输单", "The deal went back or was lost after it")
        case nil: add("no_deal_signal", 10, "暂无商机推进可对照", "No deal movement to compare yet")
        }
        return Credibility(score: min(100, reasons.reduce(0) { $0 + $1.points }), reasons: reasons)
    }

    /// Changes to evidence already logged: each a violation.
    public static func immutableViolations(current: Record, values: [String: JSONValue]) -> [Violation] {
        evidenceFields.compactMap { field in
            guard let new = values[field], !current.value(field).isNull, new != current.value(field) else { return nil }
            return Violation(field: field, code: "evidence_immutable", message: "Evidence once logged does not change.")
        }
    }

    public var json: JSONValue {
        ["score": JSONValue(score), "reasons": .array(reasons.map { ["code": .string($0.code), "points": JSONValue($0.points), "zh-CN": .string($0.zh), "en": .string($0.en)] })]
    }
}
