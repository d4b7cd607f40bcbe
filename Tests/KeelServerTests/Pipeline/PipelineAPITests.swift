import Foundation
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The pipeline, stage-history, quick-note and forecast contracts over HTTP.
@Suite struct PipelineAPITests {
    static let pipeline: JSONValue = [
        "pipelines": [[
            "name": "standard", "skipForward": false,
            "stages": [
                ["name": "prospecting", "probability": 10], ["name": "qualification", "probability": 20], ["name": "needs_analysis", "probability": 40],
                ["name": "proposal", "probability": 60, "gate": ["fields": ["amount", "expected_close_date"]]],
                ["name": "negotiation", "probability": 80, "gate": ["fields": ["amount", "expected_close_date"]]],
                ["name": "closed_won", "probability": 100, "outcome": "won"], ["name": "closed_lost", "probability": 0, "outcome": "lost"],
            ],
        ]],
    ]

    @Test(arguments: TestDatabase.all)
    func aRefusedMoveNamesEveryConditionAndEveryMoveIsKept(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            #expect(try await api.send(.get, "/api/v1/metadata/objects/opportunities/pipeline").body["version"] == .null)
            let saved = try await api.send(.put, "/api/v1/metadata/objects/opportunities/pipeline", json: Self.pipeline)
            #expect(saved.status == .ok && saved.body["version"] == 1 && saved.body["pipelines"]?[0]?["stages"]?[3]?["gate"]?["fields"] == ["amount", "expected_close_date"],
                    "\(saved.body)")
            let deal = try await api.send(.post, "/api/v1/opportunities", json: ["name": "CT 设备采购"])
            let id = try #require(deal.body["id"]?.stringValue)

            let refused = try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["stage": "closed_won"])
            #expect(refused.status == .unprocessableContent && refused.body.errorCode == "stage_gate", "\(refused.body)")
            #expect(refused.body.violationCodes == ["stage": "skip_not_allowed", "amount": "required", "expected_close_date": "required"])
            #expect(try await api.send(.get, "/api/v1/opportunities/\(id)").body["stage"] == "prospecting")
            let unknown = try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["stage": "signed"])
            #expect(unknown.status == .unprocessableContent && unknown.body.violationCodes["stage"] == "invalid_option")

            #expect(try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["stage": "qualification"]).status == .ok)
            let back = try await api.send(.patch, "/api/v1/opportunities/\(id)", json: ["stage": "prospecting", "stage_reason": "需求未确认"])
            #expect(back.status == .ok && back.body["stage_reason"] == nil, "\(back.body)")
            let stages = try await api.send(.get, "/api/v1/opportunities/\(id)/stages")
            let moves = stages.body["data"]?.arrayValue ?? []
            #expect(moves.map { "\($0["from"]?.stringValue ?? "-")→\($0["to"]?.stringValue ?? "")" } == ["-→prospecting", "prospecting→qualification", "qualification→prospecting"])
            #expect(moves.allSatisfy { $0["by"]?.stringValue?.isEmpty == false && $0["at"]?.stringValue?.hasSuffix("Z") == true })
            #expect(moves.last?["reason"] == "需求未确认" && moves.last?["back"] == true)
            #expect(try await api.send(.get, "/api/v1/opportunities/nope/stages").status == .notFound)
            // One advance (into qualification), met at the first try; the move back is not an advance.
            let advances = try await api.send(.get, "/api/v1/reports/valid-advances?days=30").body["data"]?.arrayValue ?? []
            #expect(advances.map { [$0["stage"], $0["advances"], $0["firstTime"], $0["rate"]] } == [["qualification", 1, 1, 1]], "\(advances)")
            #expect(try await api.send(.get, "/api/v1/reports/valid-advances?days=0").status == .unprocessableContent)

            // The reason of a move is not a field: the duplicate check takes a form's values with it.
            #expect(try await api.send(.post, "/api/v1/opportunities/duplicate-check", json: ["values": ["name": "CT 设备采购", "stage_reason": "x"]]).status == .ok)
            // A merge keeps the stage a duplicate had reached (it consolidates records; it does not move a deal).
            let won = try #require(try await api.send(.post, "/api/v1/opportunities", json: ["name": "CT 设备采购（重复）", "stage": "closed_won", "amount": 5,
                                                                                            "expected_close_date": "2026-12-20"]).body["id"]?.stringValue)
            let merged = try await api.send(.post, "/api/v1/opportunities/merge", json: ["survivor": .string(id), "merged": [.string(won)], "choose": ["stage": .string(won)]])
            #expect(merged.status == .ok && merged.body["record"]?["stage"] == "closed_won", "\(merged.body)")
            // A bad document: every problem named, nothing changed.
            let bad = try await api.send(.put, "/api/v1/metadata/objects/opportunities/pipeline", json: [
                "pipelines": [["name": "standard", "stages": [["name": "won", "outcome": "won", "gate": ["fields": ["budget"]]], ["name": "prospecting", "colour": "red"]]]],
            ])
            #expect(bad.status == .unprocessableContent && bad.body.violationCodes == [
                "pipelines[0].stages[0].name": "unknown_stage", "pipelines[0].stages[0].gate.fields": "unknown_field", "pipelines[0].stages[1].colour": "unknown_key",
            ], "\(bad.body)")
            #expect(try await api.send(.get, "/api/v1/metadata/objects/opportunities/pipeline").body["version"] == 1)

            // An object without pipelines has none; one without a picklist to hold a stage cannot have any.
            #expect(try await api.send(.post, "/api/v1/metadata/objects", json: ["name": "site_visits", "fields": []]).status == .created)
            let none = try await api.send(.get, "/api/v1/metadata/objects/site_visits/pipeline")
            #expect(none.status == .ok && none.body["pipelines"] == [] && none.body["version"] == .null)
            let noStage = try await api.send(.put, "/api/v1/metadata/objects/site_visits/pipeline", json: Self.pipeline)
            #expect(noStage.status == .conflict && noStage.body.errorCode == "no_stage_field")
        }
    }

    @Test(arguments: TestDatabase.all)
    func quickNotesAndTheForecastAnswerTheContract(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let note = try await api.send(.post, "/api/v1/activities/parse", json: ["text": "明天下午3点给张总回电话"])
            #expect(note.status == .ok && note.body["type"] == "call" && note.body["nextStep"] == "给张总回电话" && note.body["contact"]?["name"] == "张总")
            let due = try #require(note.body["due"]?.stringValue)
            #expect(due.hasSuffix("T15:00:00+08:00") && ValueFormats.parseDateTime(due) != nil, "\(due)")
            let blank = try await api.send(.post, "/api/v1/activities/parse", json: ["text": "2月30日回电话"])
            #expect(blank.status == .ok && blank.body["due"] == .null && blank.body["type"] == .null)
            #expect(try await api.send(.post, "/api/v1/activities/parse", json: ["words": "hi"]).status == .unprocessableContent)

            // A deal won this month counts as closed; one open and expected this month is weighted by its probability.
            let month = Forecast.Period.containing(Date(), in: api.keel.timeZone)
            let day = api.keel.day(Date())
            _ = try await api.send(.post, "/api/v1/opportunities", json: ["name": "赢单", "stage": "closed_won", "amount": 300_000, "expected_close_date": .string(day)])
            _ = try await api.send(.post, "/api/v1/opportunities", json: ["name": "谈判中", "stage": "negotiation", "amount": 100_000, "expected_close_date": .string(day)])
            let company = try await api.send(.get, "/api/v1/forecast?period=\(month.label)&scope=company")
            #expect(company.status == .ok && company.body["period"] == .string(month.label), "\(company.body)")
            #expect(company.body["categories"]?["closed"] == 300_000 && company.body["categories"]?["commit"] == 100_000)
            #expect(company.body["weighted"] == 380_000)
            let predicted = try #require(company.body["predicted"])
            let (p10, p50, p90) = (predicted["p10"]?.numberValue ?? -1, predicted["p50"]?.numberValue ?? -1, predicted["p90"]?.numberValue ?? -1)
            // At least what is won; at most that, the open deal, and one past window's new business (the won deal itself).
            #expect(p10 >= 300_000 && p10 <= p50 && p50 <= p90 && p90 <= 700_000, "\(predicted)")
            // A rep sees only their own deals.
            _ = try await api.keel.makeUser("rep@example.com", role: .member)
            let login = try await api.send(.post, "/api/v1/auth/token", json: ["email": "rep@example.com", "password": "correct horse"], auth: .none)
            let rep = API.Auth.token(login.body["token"]?.stringValue ?? "")
            let mine = try await api.send(.get, "/api/v1/forecast?period=\(month.label)&scope=company", auth: rep)
            #expect(mine.status == .ok && mine.body["categories"]?["closed"] == 0 && mine.body["openDeals"] == 0, "\(mine.body)")
            #expect(try await api.send(.get, "/api/v1/forecast?period=2026-13").status == .unprocessableContent)
            #expect(try await api.send(.get, "/api/v1/forecast?scope=world").status == .unprocessableContent)
            #expect(try await api.send(.get, "/api/v1/forecast/backtest", auth: rep).status == .forbidden)
            #expect(try await api.send(.get, "/api/v1/forecast/backtest?months=3").status == .ok)

            let repID = try #require(try await api.send(.get, "/api/v1/users").body["data"]?.arrayValue?.first { $0["email"] == "rep@example.com" }?["id"])
            let adjusted = try await api.send(.put, "/api/v1/forecast/adjustments", json: ["period": .string(month.label), "user": repID, "category": "commit", "amount": 50_000])
            #expect(adjusted.status == .ok, "\(adjusted.body)")
            #expect(try await api.send(.get, "/api/v1/forecast?period=\(month.label)&scope=company").body["adjustments"]?[0]?["amount"] == 50_000)
            #expect(try await api.send(.put, "/api/v1/forecast/adjustments", json: ["period": .string(month.label), "user": repID, "category": "commit", "amount": 1],
                                       auth: rep).status == .forbidden)
            #expect(try await api.send(.put, "/api/v1/forecast/adjustments", json: ["period": .string(month.label), "user": repID, "category": "maybe", "amount": 1])
                .status == .unprocessableContent)
        }
    }
}

/// The admin's pipelines tab: the stages in words, the document saved whole (every problem listed in the reader's
/// language, the pipeline in force kept).
@Suite struct PipelinePageTests {
    @Test func anAdminReadsAndEditsThePipeline() async throws {
        try await Browser.with { sales, keel in
            var sales = sales
            try await sales.signIn("sales@example.com", "sales-password")
            #expect(try await sales.get("/admin/pipelines").status == .forbidden)
            let admin = try await sales.signedInAdmin(keel)
            let standard = try await admin.get("/admin/pipelines")
            #expect(standard.html.contains("标准（未保存）") && standard.html.contains("<td>提交方案</td><td>60%</td><td>进行中</td>"), "\(standard.html)")
            let csrf = Browser.csrf(in: standard.html)
            let saved = try await admin.post("/admin/pipelines", [("_csrf", csrf), ("document", PipelineAPITests.pipeline.prettyText())])
            #expect(saved.status == .seeOther)
            let page = try await admin.get("/admin/pipelines")
            #expect(page.html.contains("每次只能前进一个阶段；退回须说明原因") && page.html.contains("须填写：金额、预计成交日期"), "\(page.html)")
            let bad = try await admin.post("/admin/pipelines", [("_csrf", csrf), ("document", #"{"pipelines": [{"name": "standard", "stages": [{"name": "signed"}]}]}"#)])
            #expect(bad.status == .unprocessableContent && bad.html.contains("pipelines[0].stages[0].name: 不是阶段字段的可选值"), "\(bad.html)")
            #expect(try await keel.pipelines.document("opportunities", as: admin.user).version == 1)
        }
    }
}
