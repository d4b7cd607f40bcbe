import Foundation
import KeelCore

extension DemoData {
    /// The demo's sales pipeline: one stage at a time; amount and expected close date from proposal on; a decision maker
    /// (决策人) among the account's contacts before negotiation; a reason to go back; stale after a few working days.
    static func loadPipeline(into keel: Keel, by admin: Principal) async throws {
        func stage(_ s: PipelineStage, rot: Int?, gate: JSONValue = .null) -> JSONValue {
            ["name": .string(s.name), "labels": s.labels.json, "probability": JSONValue(s.probability), "outcome": .string(s.outcome.rawValue),
             "rotDays": rot.map { JSONValue($0) } ?? .null, "gate": gate]
        }
        let stages = PipelineSet.standardStages
        _ = try await keel.pipelines.setDocument("opportunities", [
            "rollback": ["count": 2, "windowDays": 30],
            "pipelines": [[
                "name": "standard", "labels": ["zh-CN": "标准销售流程", "en": "Standard sales"], "skipForward": false, "backNeedsReason": true,
                "stages": [
                    stage(stages[0], rot: 10), stage(stages[1], rot: 10), stage(stages[2], rot: 15),
                    stage(stages[3], rot: 15, gate: ["fields": ["amount", "expected_close_date"]]),
                    stage(stages[4], rot: 10, gate: ["related": [[
                        "object": "contacts", "link": "account", "on": "account", "where": ["role": "决策人"],
                        "labels": ["zh-CN": "决策人", "en": "decision maker"]]]]),
                    stage(stages[5], rot: nil), stage(stages[6], rot: nil),
                ],
            ]],
        ], by: admin)
    }

    /// Moves each deal along its path on the days it moved, by its owner, through the record service (its pipeline
    /// checks every move): the stage history the forecast learns from. A won deal's expected close date becomes the day
    /// it was won.
    static func replay(_ paths: [[DealProcess.Move]], of deals: [Record], by people: [Principal], into keel: Keel) async throws {
        var byOwner: [String: [RecordChange]] = [:]
        for (deal, path) in zip(deals, paths) {
            guard let owner = deal.value("owner").stringValue else { continue }
            for move in path.dropFirst() {
                var input: [String: JSONValue] = ["stage": .string(move.stage)]
                if let reason = move.reason { input[StageMove.reasonKey] = .string(reason) }
                if move.stage == DealProcess.standard.won { input["expected_close_date"] = .string(keel.day(move.at)) }
                byOwner[owner, default: []].append(RecordChange(id: deal.id, input: input, at: move.at))
            }
        }
        // Now and then a rep first tries to move a deal on without its expected close date, and the gate refuses: some
        // reps more often than others, so the valid-advance rate tells them apart.
        for (n, person) in people.enumerated() {
            let changes = (byOwner[person.userID] ?? []).sorted { $0.at! < $1.at! }
            let sloppiness = [0.05, 0.3, 0.12][n % 3]
            var pending: [RecordChange] = []
            func flush() async throws {
                for chunk in stride(from: 0, to: pending.count, by: 300) {
                    _ = try await keel.records.updateBatch("opportunities", Array(pending[chunk..<min(chunk + 300, pending.count)]),
                                                           context: WriteContext(principal: person, source: .demo))
                }
                pending = []
            }
            for (i, change) in changes.enumerated() {
                let stage = change.input["stage"]?.stringValue ?? ""
                if ["proposal", "negotiation"].contains(stage), Double((i &* 7_919 &+ n &* 104_729) % 1_000) / 1_000 < sloppiness, let at = change.at {
                    try await flush()
                    do {
                        _ = try await keel.records.update("opportunities", id: change.id, ["stage": .string(stage), "expected_close_date": .null], expectedVersion: nil,
                                                          context: WriteContext(principal: person, source: .demo, at: at.addingTimeInterval(-600)))
                        throw KeelError(.internalError, code: "demo_gate", message: "The demo pipeline let a deal into \(stage) without its expected close date.")
                    } catch let error as KeelError where error.code == "stage_gate" {}
                }
                pending.append(change)
            }
            try await flush()
        }
    }
}
