import Foundation
import KeelCore

extension DemoData {
    /// One answered lead of the demo's history: who got it, when it came, when its rep answered (by a call or not),
    /// where it ended up and, if converted, when.
    struct LeadStory: Sendable {
        var values: [String: JSONValue]
        var rep: Principal
        var arrival: Date
        var answered: Date
        var call: Bool
        var status: String
        var converted: Date?
    }

    /// Writes the demo's leads as they happened, each change dated when it happened: most came over the last four
    /// weeks to a rep, who answered — quickly or slowly, by rep, by hour and by channel, a few only after days — and
    /// moved them on, some as far as converted (before the routing rules, their SLAs and the check against existing
    /// customers were set up); the open ones arrived over the last five hours with no owner and were routed, ten at a
    /// time. The response heatmap and the reps' efficiency have a history to show. Returns the calls logged on leads.
    static func writeLeads(_ leads: [[String: JSONValue]], statuses: [String], reps: [Principal], into keel: Keel, by admin: Principal,
                           rng: inout SeededGenerator) async throws -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = keel.timeZone
        let now = Date()
        // How long each rep usually takes, against the team's 25 minutes.
        let pace = Dictionary(uniqueKeysWithValues: reps.enumerated().map { i, rep in (rep.userID, [1.5, 1.2, 0.6, 1.0, 1.3, 0.8, 2.2][i % 7]) })
        let hours = [9, 9, 10, 10, 10, 11, 11, 12, 13, 14, 14, 15, 15, 16, 16, 17, 17, 19, 20, 21]
        var stories: [LeadStory] = []
        for (i, lead) in leads.enumerated() where statuses[i] != "new" {
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
            let converted = statuses[i] != "converted" ? nil
                : max(min(answered.addingTimeInterval(120 + Double(Int.random(in: 2...20, using: &rng)) * 86400), now.addingTimeInterval(-300)),
                      answered.addingTimeInterval(180))
            stories.append(LeadStory(values: values, rep: rep, arrival: arrival, answered: answered, call: i % 8 == 0, status: statuses[i], converted: converted))
        }
        // Each lead's story in order, several leads at a time: their writes share commits.
        var calls = 0
        try await withThrowingTaskGroup(of: Int.self) { group in
            for (n, story) in stories.enumerated() {
                if n >= 32 { calls += try await group.next() ?? 0 }
                group.addTask { try await write(story, into: keel, by: admin) }
            }
            for try await called in group { calls += called }
        }
        // Then the routing rules: new leads arrive without an owner and get one, or go to the pool for low scores.
        try await loadLeadRouting(into: keel, by: admin)
        // The open leads arrive ten at a time over the last five hours, in order (routing takes turns in their order).
        let open = leads.indices.filter { statuses[$0] == "new" }.map { leads[$0] }
        let bursts = open.count / 10 + 1
        for (n, start) in stride(from: 0, to: open.count, by: 10).enumerated() {
            let minutesAgo: Int = 300 - n * 300 / bursts
            let arrival = now.addingTimeInterval(-Double(minutesAgo) * 60)
            _ = try await keel.records.createBatch("leads", Array(open[start..<min(start + 10, open.count)]),
                                                   context: WriteContext(principal: admin, source: .demo, at: arrival))
        }
        return calls
    }

    /// One answered lead's writes, each dated when it happened; returns the calls logged (0 or 1).
    static func write(_ story: LeadStory, into keel: Keel, by admin: Principal) async throws -> Int {
        let id = try await keel.records.create("leads", story.values, context: WriteContext(principal: admin, source: .demo, at: story.arrival))
            .json["id"]?.stringValue ?? ""
        let owner = { (at: Date) in WriteContext(principal: story.rep, source: .demo, at: at) }
        if story.call {
            _ = try await keel.records.create("activities", [
                "type": "call", "subject": "首次电话沟通", "related_to": .string(id), "occurred_at": .string(ValueFormats.formatDateTime(story.answered)),
                "body": "了解需求与预算，约定下一步。", "next_step": "发送产品资料",
                "next_step_due": .string(ValueFormats.formatDateTime(story.answered.addingTimeInterval(86_400))), "owner": .string(story.rep.userID),
            ], context: owner(story.answered))
        }
        let moved = story.answered.addingTimeInterval(120)
        _ = try await keel.records.update("leads", id: id, ["status": .string(story.converted == nil ? story.status : "contacted")], expectedVersion: nil,
                                          context: owner(moved))
        if let converted = story.converted {
            _ = try await keel.records.update("leads", id: id, ["status": "converted"], expectedVersion: nil, context: owner(converted))
        }
        return story.call ? 1 : 0
    }
}
