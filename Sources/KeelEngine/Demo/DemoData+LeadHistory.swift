import Foundation
import KeelCore

extension DemoData {
    /// Writes the demo's leads as they happened, each change dated when it happened: the open ones arrived over the
    /// last five hours with no owner and were routed; the others came over the last four weeks to a rep, who
    /// answered — quickly or slowly, by rep, by hour and by channel, a few only after days — and moved them on,
    /// some as far as converted. The response heatmap and the reps' efficiency have a history to show. Returns the
    /// calls logged on leads.
    static func writeLeads(_ leads: [[String: JSONValue]], statuses: [String], reps: [Principal], into keel: Keel, by admin: Principal,
                           rng: inout SeededGenerator) async throws -> Int {
        var calls = 0
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = keel.timeZone
        let now = Date()
        // How long each rep usually takes, against the team's 25 minutes.
        let pace = Dictionary(uniqueKeysWithValues: reps.enumerated().map { i, rep in (rep.userID, [1.5, 1.2, 0.6, 1.0, 1.3, 0.8, 2.2][i % 7]) })
        let hours = [9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 17, 19, 20, 21]
        for (i, lead) in leads.enumerated() {
            let status = statuses[i]
            guard status != "new" else {
                let arrival = now.addingTimeInterval(-Double((i * 37) % 300 + 1) * 60)
                _ = try await keel.records.create("leads", lead, context: WriteContext(principal: admin, source: .demo, at: arrival))
                continue
            }
            let rep = pick(reps, &rng)
            let late = i % 15 == 4
            let daysAgo = late ? 6 + i % 20 : 1 + (i * 7) % 27
            let day = calendar.date(byAdding: .day, value: -daysAgo, to: now)!
            let hour = pick(hours, &rng)
            let arrival = calendar.date(bySettingHour: hour, minute: Int.random(in: 0...59, using: &rng), second: 0, of: day)!
            // The answer: minutes by the rep's pace, slower at lunch and for web forms, after the night for evening leads.
            var minutes = 25 * pace[rep.userID]! * Double.random(in: 0.3...2.5, using: &rng)
            if (12..<14).contains(hour) { minutes *= 2 }
            if ["website", "shopify", "advertising"].contains(lead["channel"]?.stringValue ?? "") { minutes *= 1.5 }
            if lead["channel"] == "referral" { minutes *= 0.7 }
            if hour >= 18 { minutes += Double(24 - hour + 9) * 60 }
            if late { minutes = Double.random(in: 80...120, using: &rng) * 60 }
            let answered = min(arrival.addingTimeInterval(minutes * 60), now.addingTimeInterval(-600))
            var values = lead
            values["owner"] = .string(rep.userID)
            let id = try await keel.records.create("leads", values, context: WriteContext(principal: admin, source: .demo, at: arrival)).json["id"]?.stringValue ?? ""
            let owner = { (at: Date) in WriteContext(principal: rep, source: .demo, at: at) }
            if i % 2 == 0 {
                _ = try await keel.records.create("activities", [
                    "type": "call", "subject": "首次电话沟通", "related_to": .string(id), "occurred_at": .string(ValueFormats.formatDateTime(answered)),
                    "body": "了解需求与预算，约定下一步。", "next_step": "发送产品资料", "owner": .string(rep.userID),
                ], context: owner(answered))
                calls += 1
            }
            let moved = answered.addingTimeInterval(120)
            _ = try await keel.records.update("leads", id: id, ["status": .string(status == "converted" ? "contacted" : status)], expectedVersion: nil,
                                              context: owner(moved))
            if status == "converted" {
                let converted = min(moved.addingTimeInterval(Double(Int.random(in: 2...20, using: &rng)) * 86400), now.addingTimeInterval(-300))
                _ = try await keel.records.update("leads", id: id, ["status": "converted"], expectedVersion: nil, context: owner(max(converted, moved + 60)))
            }
        }
        return calls
    }
}
