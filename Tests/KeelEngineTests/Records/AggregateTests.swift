import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

@Suite struct AggregateTests {
    @Test(arguments: TestDatabase.all)
    func groupsCountsAndSumsStandardAndCustomFields(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "region", "type": "picklist", "options": ["华东", "华南"]], as: admin)
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "margin", "type": "number"], as: admin)
            _ = try await keel.records.createBatch("opportunities", [
                ["name": "A", "stage": "proposal", "amount": 100.5, "region": "华东", "margin": 10],
                ["name": "B", "stage": "proposal", "amount": 200, "region": "华南", "margin": 5],
                ["name": "C", "stage": "negotiation", "amount": 1000, "region": "华东"],
                ["name": "D", "stage": "closed_won", "amount": 50, "region": "华东", "margin": 1],
                ["name": "E", "stage": "proposal"],
            ], context: ctx)

            let byStage = try await keel.records.aggregate("opportunities", groupBy: ["stage"], sum: "amount",
                                                           params: [("filter[stage][neq]", "closed_won")], as: admin)
            let stages = Dictionary(uniqueKeysWithValues: byStage.map { ($0.keys[0].stringValue ?? "", $0) })
            #expect(Set(stages.keys) == ["proposal", "negotiation"])
            #expect(stages["proposal"]?.count == 3)
            #expect(stages["proposal"]?.sum == 300.5)
            #expect(stages["negotiation"]?.sum == 1000)

            let grid = try await keel.records.aggregate("opportunities", groupBy: ["region", "stage"], sum: "margin", params: [], as: admin)
            let cell = grid.first { $0.keys == ["华东", "proposal"] }
            #expect(cell?.count == 1 && cell?.sum == 10)
            #expect(grid.first { $0.keys == [.null, "proposal"] }?.sum == nil)
            #expect(grid.reduce(0) { $0 + $1.count } == 5)

            let total = try await keel.records.aggregate("opportunities", groupBy: [], sum: "amount", params: [], as: admin)
            #expect(total == [AggregateRow(keys: [], count: 5, sum: 1350.5)])

            // The latest of a field per group: a custom number, and a date-time written in another zone.
            let latestMargin = try await keel.records.aggregate("opportunities", groupBy: ["region"], latest: "margin", params: [], as: admin)
            #expect(latestMargin.first { $0.keys == ["华东"] }?.latest == .number(10))
            #expect(latestMargin.first { $0.keys == [.null] }?.latest == .null)
            let deal = try await keel.records.list("opportunities", params: [("filter[name][eq]", "A")], as: admin).records[0]
            _ = try await keel.records.createBatch("activities", [
                ["type": "call", "subject": "早", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(deal.id), "occurred_at": "2026-11-30T09:00:00+08:00"],
                ["type": "call", "subject": "晚", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(deal.id), "occurred_at": "2026-11-30T01:30:00Z"],
                ["type": "call", "subject": "更早", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(deal.id), "occurred_at": "2026-11-29T23:00:00Z"],
            ], context: ctx)
            let latestCall = try await keel.records.aggregate("activities", groupBy: ["related_to"], latest: "occurred_at",
                                                              params: [("filter[related_to][in]", deal.id)], as: admin)
            #expect(latestCall.map(\.latest) == [.string("2026-11-30T01:30:00.000Z")])

            // When the stage last changed: at creation, then at the move.
            let before = try await keel.records.lastChanges("opportunities", field: "stage", ids: [deal.id], as: admin)
            #expect(before[deal.id] == deal.createdAt)
            let moved = try await keel.records.update("opportunities", id: deal.id, ["stage": "negotiation"], expectedVersion: nil, context: ctx)
            _ = try await keel.records.update("opportunities", id: deal.id, ["amount": 120], expectedVersion: nil, context: ctx)
            #expect(try await keel.records.lastChanges("opportunities", field: "stage", ids: [deal.id], as: admin)[deal.id] == moved.updatedAt)
        }
    }

    @Test func refusesFieldsThatCannotBeGroupedOrSummed() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let admin = try await keel.makeUser()
            await #expect(throws: KeelError.self) {
                try await keel.records.aggregate("opportunities", groupBy: ["stage"], sum: "name", params: [], as: admin)
            }
            await #expect(throws: KeelError.self) {
                try await keel.records.aggregate("opportunities", groupBy: ["nope"], params: [], as: admin)
            }
            await #expect(throws: KeelError.self) {
                try await keel.records.aggregate("opportunities", groupBy: ["stage"], latest: "nope", params: [], as: admin)
            }
            let error = await #expect(throws: KeelError.self) {
                try await keel.records.aggregate("activities", groupBy: ["type", "owner", "subject"], params: [], as: admin)
            }
            #expect(error?.kind == .unprocessable)
        }
    }
}
