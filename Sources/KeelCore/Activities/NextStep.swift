import Foundation

/// An activity's next step, when it has a time, becomes a task: the step as its subject, due that day (in the
/// organisation's zone), for the activity's owner, on the same record.
public enum NextStep {
    /// What a new installation asks of a logged call, visit, meeting or message (chat): what happened, the next step
    /// and its time. It is a required group like any other, so an admin changes the types or the fields (or removes it)
    /// on the object's required groups.
    public static let followUp = RequiredGroup(
        name: "follow_up", labels: Labels(zhCN: "跟进要求", en: "Follow-up"),
        condition: RequiredGroup.Condition(field: "type", values: ["call", "visit", "meeting", "chat"]),
        fields: ["body", "next_step", "next_step_due"])

    /// The task to create for a new activity; nil without a next step and its time.
    public static func task(for activity: Record, zone: TimeZone) -> [String: JSONValue]? {
        guard let step = activity.value("next_step").stringValue, !step.trimmingCharacters(in: .whitespaces).isEmpty,
              let due = activity.value("next_step_due").stringValue.flatMap(ValueFormats.parseDateTime) else { return nil }
        var task: [String: JSONValue] = ["subject": .string(String(step.prefix(200))), "due": .string(String(ValueFormats.formatLocal(due, in: zone).prefix(10))),
                                         "status": "open"]
        if let owner = activity.value("owner").stringValue { task["assignee"] = .string(owner) }
        if let about = activity.value("related_to").stringValue { task["related_to"] = .string(about) }
        return task
    }
}
