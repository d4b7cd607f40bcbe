import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

@Suite struct StageGateTests {
    /// One stage at a time; amount and close date to enter proposal (and every stage after it); a decision maker among
    /// the account's contacts to enter negotiation; a reason to go back; two moves back in 30 days are an anomaly.
    static let strict: JSONValue = [
        "rollback": ["count": 2, "windowDays": 30],
        "pipelines": [[
            "name": "standard", "labels": ["zh-CN": "标准销售流程", "en": "Standard sales"], "skipForward": false, "backNeedsReason": true,
            "stages": [
                ["name": "prospecting", "probability": 10, "labels": ["zh-CN": "初步接洽", "en": "Prospecting"]],
                ["name": "qualification", "probability": 20], ["name": "needs_analysis", "probability": 40],
                ["name": "proposal", "probability": 60, "gate": ["fields": ["amount", "expected_close_date"]]],
                ["name": "negotiation", "probability": 80, "rotDays": 5, "gate": ["related": [[
                    "object": "contacts", "link": "account", "on": "account", "where": ["role": "决策人"],
                    "labels": ["zh-CN": "决策人", "en": "decision maker"]]]]],
                ["name": "closed_won", "probability": 100, "outcome": "won"],
                ["name": "closed_lost", "probability": 0, "outcome": "lost"],
            ],
        ]],
    ]

    func stages(_ keel: Keel, _ id: String, as who: Principal) async throws -> [String] {
        try await keel.pipelines.history("opportunities", id: id, as: who).map { "\($0.from ?? "-")→\($0.to)" }
    }

    @Test(arguments: TestDatabase.all)
    func everyPathMeetsTheGateOrMovesNothing(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.pipelines.setDocument("opportunities", Self.strict, by: admin)
            let api = WriteContext(principal: admin, source: .api)
            let account = try #require(try await keel.records.create("accounts", ["name": "杭州西湖数据科技有限公司"], context: api).json["id"]?.stringValue)
            let deal = try #require(try await keel.records.create("opportunities", ["name": "CT 设备采购", "account": .string(account)], context: api)
                .json["id"]?.stringValue)

            // One refusal names every unmet condition: the skip, the fields and the decision maker the later gates ask for.
            let refused = await #expect(throws: KeelError.self) {
                _ = try await keel.records.update("opportunities", id: deal, ["stage": "closed_won"], expectedVersion: nil, context: api)
            }
            #expect(refused?.kind == .unprocessable && refused?.code == "stage_gate")
            #expect(Set((refused?.violations ?? []).map { "\($0.field):\($0.code)" }) == [
                "stage:skip_not_allowed", "amount:required", "expected_close_date:required", "contacts:related_missing",
            ])
            let (unmoved, _) = try await keel.records.get("opportunities", id: deal, as: admin)
            #expect(unmoved.value("stage") == "prospecting" && unmoved.version == 1)
            #expect(try await stages(keel, deal, as: admin) == ["-→prospecting"])

            // Bulk update and a batch create (an import) are held to the same gates.
            await expectKeelError("skip_not_allowed") {
                _ = try await keel.records.bulkUpdate("opportunities", ids: [deal], ["stage": "proposal", "amount": 5, "expected_close_date": "2026-12-20"],
                                                      context: api)
            }
            #expect(try await keel.records.get("opportunities", id: deal, as: admin).0.value("stage") == "prospecting")
            await expectKeelError("required") {
                _ = try await keel.records.createBatch("opportunities", [["name": "导入的商机", "stage": "proposal", "amount": 100]], context: api)
            }
            #expect(try await keel.records.list("opportunities", params: [], as: admin).records.count == 1)

            // Step by step, each gate met, the deal gets there.
            for stage: JSONValue in ["qualification", "needs_analysis"] {
                _ = try await keel.records.update("opportunities", id: deal, ["stage": stage], expectedVersion: nil, context: api)
            }
            await expectKeelError("required") {
                _ = try await keel.records.update("opportunities", id: deal, ["stage": "proposal", "amount": 1_200_000], expectedVersion: nil, context: api)
            }
            _ = try await keel.records.update("opportunities", id: deal, ["stage": "proposal", "amount": 1_200_000, "expected_close_date": "2026-12-20"],
                                              expectedVersion: nil, context: api)
            await expectKeelError("related_missing") {
                _ = try await keel.records.update("opportunities", id: deal, ["stage": "negotiation"], expectedVersion: nil, context: api)
            }
            _ = try await keel.records.create("contacts", ["name": "张总", "account": .string(account), "role": "决策人"], context: api)
            let negotiating = try await keel.records.update("opportunities", id: deal, ["stage": "negotiation"], expectedVersion: nil, context: api)
            #expect(negotiating.value("probability") == .number(80))

            // A reason is text of at most 500 characters, whether or not the stage moves (a new deal's too).
            let long = JSONValue.string(String(repeating: "原", count: 501))
            await expectKeelError("too_long") {
                _ = try await keel.records.create("opportunities", ["name": "新商机", "stage_reason": long], context: api)
            }
            await expectKeelError("invalid_type") {
                _ = try await keel.records.update("opportunities", id: deal, ["amount": 1_300_000, "stage_reason": 7], expectedVersion: nil, context: api)
            }
            #expect(try await keel.records.list("opportunities", params: [], as: admin).records.count == 1)

            // Back needs a reason; the second move back within the window alerts the owner.
            await expectKeelError("reason_required") {
                _ = try await keel.records.update("opportunities", id: deal, ["stage": "proposal"], expectedVersion: nil, context: api)
            }
            _ = try await keel.records.update("opportunities", id: deal, ["stage": "proposal", "stage_reason": "客户预算重新审批"], expectedVersion: nil, context: api)
            _ = try await keel.records.update("opportunities", id: deal, ["stage": "negotiation"], expectedVersion: nil, context: api)
            #expect(try await keel.notifier.notifications(of: admin).items.filter { $0.title.contains("回退") }.isEmpty)
            _ = try await keel.records.update("opportunities", id: deal, ["stage": "proposal", "stage_reason": "报价需重做"], expectedVersion: nil, context: api)
            #expect(try await keel.notifier.notifications(of: admin).items.contains { $0.title.contains("回退异常") && $0.title.contains("2 次") })

            let history = try await keel.pipelines.history("opportunities", id: deal, as: admin)
            #expect(history.map { "\($0.from ?? "-")→\($0.to)" } == [
                "-→prospecting", "prospecting→qualification", "qualification→needs_analysis", "needs_analysis→proposal",
                "proposal→negotiation", "negotiation→proposal", "proposal→negotiation", "negotiation→proposal",
            ])
            #expect(history.map(\.back) == [false, false, false, false, false, true, false, true])
            #expect(history[5].reason == "客户预算重新审批" && history.allSatisfy { $0.actor == admin.userID && $0.source == "api" })
            // Proposal and negotiation were each refused before they were first entered: not met at the first attempt.
            #expect(history.map(\.firstTime) == [true, true, true, false, false, true, true, true])
            #expect(history.dropFirst().allSatisfy { $0.secondsInStage != nil && $0.workingSecondsInStage != nil })
            #expect(history[0].secondsInStage == nil)
        }
    }

    @Test(arguments: TestDatabase.all)
    func timeInStageCountsCalendarAndWorkingTime(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            // Friday 2026-11-27 10:00 Shanghai → Monday 2026-11-30 10:00: three days, one working day (9:00–18:00 Mon–Fri).
            let friday = try #require(ValueFormats.parseDateTime("2026-11-27T02:00:00Z"))
            let created = try await keel.records.create("opportunities", ["name": "周五的商机"],
                                                        context: WriteContext(principal: admin, source: .api, at: friday))
            let id = try #require(created.json["id"]?.stringValue)
            _ = try await keel.records.update("opportunities", id: id, ["stage": "qualification"], expectedVersion: nil,
                                              context: WriteContext(principal: admin, source: .api, at: friday.addingTimeInterval(3 * 86_400)))
            let moved = try #require(try await keel.pipelines.history("opportunities", id: id, as: admin).last)
            #expect(moved.secondsInStage == 259_200)
            #expect(moved.workingSecondsInStage == 32_400)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBadPipelineDocumentNamesEveryProblemAndKeepsTheOneInForce(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.pipelines.setDocument("opportunities", Self.strict, by: admin)
            let error = await #expect(throws: KeelError.self) {
                _ = try await keel.pipelines.setDocument("opportunities", [
                    "colour": "blue",
                    "pipelines": [[
                        "name": "standard", "stages": [
                            ["name": "prospecting", "gate": ["fields": ["budget"], "checklist": ["amount"]]],
                            ["name": "signed", "outcome": "won"], ["name": "closed_won", "probability": 130, "gate": ["approval": "no-such-process"]],
                        ],
                    ]],
                ], by: admin)
            }
            #expect(Set((error?.violations ?? []).map { "\($0.field):\($0.code)" }) == [
                "colour:unknown_key", "pipelines[0].stages[0].gate.fields:unknown_field", "pipelines[0].stages[0].gate.checklist:not_checkbox",
                "pipelines[0].stages[1].name:unknown_stage", "pipelines[0].stages[2].probability:out_of_range",
            ])
            // An approval process that does not exist is found once the document is otherwise sound.
            await expectKeelError("unknown_process") {
                _ = try await keel.pipelines.setDocument("opportunities", [
                    "pipelines": [["name": "standard", "stages": [["name": "prospecting"], ["name": "closed_won", "outcome": "won", "gate": ["approval": "nope"]]]]],
                ], by: admin)
            }
            let inForce = try await keel.pipelines.document("opportunities", as: admin)
            #expect(inForce.version == 1 && inForce.set.pipelines[0].skipForward == false)
            let member = try await keel.makeUser("rep@example.com", role: .member)
            await expectKeelError("forbidden") { _ = try await keel.pipelines.setDocument("opportunities", Self.strict, by: member) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func withoutASavedPipelineEveryMoveIsAllowedAndKept(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let api = WriteContext(principal: admin, source: .api)
            let id = try #require(try await keel.records.create("opportunities", ["name": "直接赢单"], context: api).json["id"]?.stringValue)
            _ = try await keel.records.update("opportunities", id: id, ["stage": "closed_won"], expectedVersion: nil, context: api)
            _ = try await keel.records.update("opportunities", id: id, ["stage": "prospecting"], expectedVersion: nil, context: api)
            #expect(try await stages(keel, id, as: admin) == ["-→prospecting", "prospecting→closed_won", "closed_won→prospecting"])
            #expect(try await keel.pipelines.document("opportunities", as: admin).version == nil)
        }
    }

    /// A deal longer in its stage than the stage allows tells its owner, and once it has stayed twice as long, the
    /// owner's manager too — each once.
    @Test(arguments: TestDatabase.all)
    func staleDealsAlertTheOwnerThenTheManager(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let boss = try await keel.auth.createUser(NewUser(email: "boss@example.com", password: "correct horse", role: .manager), by: nil).principal
            let rep = try await keel.auth.createUser(NewUser(email: "rep@example.com", password: "correct horse", role: .member, managerEmail: "boss@example.com"),
                                                     by: nil).principal
            _ = try await keel.pipelines.setDocument("opportunities", ["pipelines": [["name": "standard", "stages": [
                ["name": "prospecting", "rotDays": 3], ["name": "closed_won"], ["name": "closed_lost"],
            ]]]], by: admin)
            // Tuesday 2026-12-01 10:00 in Shanghai: a week before is five working days, twenty days before is fourteen.
            let now = try #require(ValueFormats.parseDateTime("2026-12-01T02:00:00.000Z"))
            for (name, days) in [("久未推进", 20.0), ("略有停滞", 7.0), ("刚开始", 1.0)] {
                _ = try await keel.records.create("opportunities", ["name": .string(name), "owner": .string(rep.userID)],
                                                  context: WriteContext(principal: admin, source: .api, at: now.addingTimeInterval(-days * 86_400)))
            }
            #expect(try await keel.pipelines.alertStale(at: now) == 2)
            let repSees = try await keel.notifier.notifications(of: rep).items.map(\.title)
            #expect(repSees.count == 2 && repSees.contains { $0.hasPrefix("「久未推进」在「初步接洽」已停滞") } && repSees.contains { $0.hasPrefix("「略有停滞」") })
            let bossSees = try await keel.notifier.notifications(of: boss).items.map(\.title)
            #expect(bossSees.count == 1 && bossSees[0].hasPrefix("「久未推进」"))
            // Told once: a second pass sends nothing new.
            _ = try await keel.pipelines.alertStale(at: now)
            #expect(try await keel.notifier.notifications(of: rep).items.count == 2)
        }
    }
}
