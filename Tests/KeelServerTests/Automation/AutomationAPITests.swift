import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The automation, approval, notification and calendar API over real HTTP, on both databases.
@Suite struct AutomationAPITests {
    @Test(arguments: TestDatabase.all)
    func automationsApprovalsAndNotificationsOverHTTP(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let definition: JSONValue = [
                "id": "won", "object": "opportunities", "trigger": ["type": "stage_entered", "stage": "closed_won"],
                "actions": [["type": "notify", "to": ["owner"], "message": "\"赢单: \" & name"]],
            ]
            let first = try await api.send(.post, "/api/v1/automations", json: definition)
            #expect(first.status == .created && first.body["version"] == 1 && first.body["status"] == "active")
            #expect(try await api.send(.post, "/api/v1/automations", json: definition).status == .ok)
            #expect(try await api.send(.get, "/api/v1/automations/won").body["versions"]?.arrayValue?.count == 2)
            let bad = try await api.send(.post, "/api/v1/automations", json: ["id": "x", "object": "nope", "trigger": ["type": "created"], "actions": []])
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes["object"] == "unknown_name" && bad.body.violationCodes["actions"] == "required")
            #expect(try await api.send(.post, "/api/v1/automations/missing/disable").status == .notFound)

            let deal = try await api.send(.post, "/api/v1/opportunities", json: ["name": "API 商机", "amount": 100])
            let id = try #require(deal.body["id"]?.stringValue)
            let dry = try await api.send(.post, "/api/v1/automations/dry-run", json: ["id": "probe", "object": "opportunities", "trigger": ["type": "updated"],
                                                                                   "condition": "amount > 50", "actions": [["type": "set_fields", "values": ["amount": "amount * 2"]]]])
            #expect(dry.status == .ok && dry.body["wouldRun"] == 1)
            #expect(dry.body["results"]?[0]?["actions"]?[0]?["changes"]?["amount"] == ["from": 100, "to": 200])
            #expect(try await api.send(.get, "/api/v1/opportunities/\(id)").body["amount"] == 100)

            #expect(try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["stage": "closed_won"]).status == .ok)
            // The server's own worker may be running the job right now: wait for it to finish.
            try await api.keel.settle()
            let runs = try await api.send(.get, "/api/v1/automations/won/runs")
            #expect(runs.body["data"]?[0]?["status"] == "done" && runs.body["data"]?[0]?["log"]?[0]?["outcome"] == "done")
            let inbox = try await api.send(.get, "/api/v1/notifications")
            #expect(inbox.body["unread"] == 1 && inbox.body["data"]?[0]?["title"] == "赢单: API 商机")
            #expect(try await api.send(.post, "/api/v1/notifications/read", json: [:]).status == .ok)
            #expect(try await api.send(.get, "/api/v1/notifications").body["unread"] == 0)

            // Approvals: submit, locked for edits, decide.
            let process = try await api.send(.post, "/api/v1/approval-processes", json: ["id": "check", "object": "opportunities",
                                                                                          "steps": [["name": "总部", "approver": "role:admin"]]])
            #expect(process.status == .created)
            let request = try await api.send(.post, "/api/v1/approvals", json: ["process": "check", "object": "opportunities", "recordId": .string(id)])
            #expect(request.status == .created && request.body["status"] == "pending")
            let locked = try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["amount": 5])
            #expect(locked.status == .conflict && locked.body.errorCode == "record_locked")
            #expect(try await api.send(.post, "/api/v1/approvals", json: ["process": "check", "object": "opportunities", "recordId": .string(id)]).status == .conflict)
            let requestID = try #require(request.body["id"]?.stringValue)
            let invalid = try await api.send(.post, "/api/v1/approvals/\(requestID)/decision", json: ["decision": "maybe"])
            #expect(invalid.status == .unprocessableContent)
            let decided = try await api.send(.post, "/api/v1/approvals/\(requestID)/decision", json: ["decision": "approve", "comment": "好"])
            #expect(decided.status == .ok && decided.body["status"] == "approved" && decided.body["decisions"]?[0]?["comment"] == "好")
            #expect(try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["amount": 5]).status == .ok)

            // The working calendar.
            let calendar = try await api.send(.put, "/api/v1/settings/calendar", json: ["holidays": ["2026-10-01"]])
            #expect(calendar.status == .ok && calendar.body["workingWeekdays"] == [1, 2, 3, 4, 5])
            #expect(try await api.send(.put, "/api/v1/settings/calendar", json: ["holidays": ["10/01"]]).status == .unprocessableContent)
            #expect(try await api.send(.get, "/api/v1/settings/calendar").body["holidays"] == ["2026-10-01"])

            let doc = try await api.send(.get, "/api/v1/openapi.json", auth: .none)
            #expect(doc.body["paths"]?["/api/v1/automations/dry-run"]?["post"] != nil)
            #expect(doc.body["paths"]?["/api/v1/metadata/objects/{object}/fields/{field}"]?["delete"] != nil)
            #expect(doc.body["paths"]?["/api/v1/metadata/objects/{object}/fields/{field}"]?["patch"] != nil)
        }
    }
}
