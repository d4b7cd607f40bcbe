import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The routing contract over HTTP: the document in force, a lead created by an admin going to a rep with when and
/// why, its assignments, and a frozen rep getting no new leads.
@Suite struct LeadRoutingAPITests {
    @Test(arguments: TestDatabase.all)
    func anAdminsLeadGoesToARepByTheRulesAndAFrozenRepGetsNoMore(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let a = try await api.keel.makeUser("a@example.com", role: .member), b = try await api.keel.makeUser("b@example.com", role: .member)
            #expect(try await api.send(.get, "/api/v1/settings/lead-routing").body["enabled"] == false)
            let document: JSONValue = ["rules": [
                ["id": "south", "name": "华南", "when": ["regions": ["广东"], "channel": ["website", "web_form"]], "members": ["a@example.com", "b@example.com"]],
            ]]
            let saved = try await api.send(.put, "/api/v1/settings/lead-routing", json: document)
            #expect(saved.status == .ok && saved.body["version"] == 1 && saved.body["rules"]?[0]?["when"]?["regions"] == ["CN-GD"], "\(saved.body)")

            let created = try await api.send(.post, "/api/v1/leads", json: ["name": "周杰", "company": "深圳华科有限公司", "phone": "13912345678",
                                                                            "province": "广东", "city": "深圳", "channel": "website"])
            #expect(created.status == .created, "\(created.body)")
            let first = try #require(created.body["owner"]?.stringValue)
            #expect([a.userID, b.userID].contains(first))
            #expect(created.body["assigned_at"]?.stringValue != nil)
            #expect(created.body["assignment_reason"] == "规则「华南」（地区：广东省）：轮流分配")
            let id = try #require(created.body["id"]?.stringValue)
            let assignments = try await api.send(.get, "/api/v1/leads/\(id)/assignments")
            #expect(assignments.body["data"]?.arrayValue?.count == 1)
            #expect(assignments.body["data"]?[0]?["reason"]?["en"] == "Rule “华南” (region: Guangdong): in turn")
            #expect(try await api.send(.get, "/api/v1/accounts/\(id)/assignments").status == .notFound)
            // Given to the other rep by hand, with a reason: the lead and its assignments say so.
            let other = first == a.userID ? b.userID : a.userID
            let moved = try await api.send(.patch, "/api/v1/leads/\(id)", json: ["owner": .string(other), "assignment_reason": "客户要求换人"])
            #expect(moved.body["owner"] == .string(other) && moved.body["assignment_reason"]?.stringValue?.hasSuffix("改派：客户要求换人") == true, "\(moved.body)")
            let both = try await api.send(.get, "/api/v1/leads/\(id)/assignments").body["data"]?.arrayValue ?? []
            #expect(both.map { $0["owner"] } == [.string(first), .string(other)] && both.last?["previousOwner"] == .string(first))
            #expect(try await api.send(.get, "/api/v1/leads/nope/assignments").status == .notFound)

            // Frozen: every later lead goes to the other rep.
            #expect(try await api.send(.patch, "/api/v1/users/\(first)", json: ["status": "frozen"]).status == .ok)
            for i in 0..<3 {
                let next = try await api.send(.post, "/api/v1/leads", json: ["name": .string("线索\(i)"), "phone": .string("1381234567\(i)"),
                                                                         "province": "广东省", "channel": "web_form"])
                #expect(next.body["owner"] != .string(first) && next.body["owner"]?.stringValue != nil, "\(next.body)")
            }

            // A bad document: 422 with each path, the one in force kept.
            let bad = try await api.send(.put, "/api/v1/settings/lead-routing", json: ["rules": [["id": "x", "when": ["regions": ["Atlantis"]], "members": ["ghost"]]]])
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes == ["rules[0].when.regions[0]": "unknown_region"], "\(bad.body)")
            let ghost = try await api.send(.put, "/api/v1/settings/lead-routing", json: ["rules": [["id": "x", "members": ["ghost"]]]])
            #expect(ghost.body.violationCodes == ["rules[0].members[0].user": "unknown_user"])
            let inForce = try await api.send(.get, "/api/v1/settings/lead-routing")
            #expect(inForce.body["version"] == 1 && inForce.body["rules"]?[0]?["id"] == "south")
            // The rep whose colleague was frozen is warned about nothing; the rule still has an active member.
            #expect(inForce.body["warnings"] == [])
        }
    }
}
