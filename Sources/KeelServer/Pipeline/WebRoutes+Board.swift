import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    /// Cards shown per stage; the column's totals always count every deal.
    static let cardsPerStage = 25

    func board(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal
        let object = try await keel.metadata.catalog().require("opportunities")
        let mineOnly = try request.queryPairs().last { $0.0 == "owner" }?.1 != "all"
        let scope = mineOnly ? [("filter[owner][eq]", me.userID)] : []
        let totals = try await keel.records.aggregate(object.name, groupBy: ["stage"], sum: "amount", params: scope, as: me)
        var columns: [BoardPage.Column] = []
        for stage in object.field("stage")?.options ?? [] {
            let total = totals.first { $0.keys.first?.stringValue == stage }
            let records = total == nil ? [] : try await keel.records.list(object.name, params: scope + [
                ("filter[stage][eq]", stage), ("sort", "-amount"), ("limit", String(Self.cardsPerStage)),
            ], as: me).records
            columns.append(BoardPage.Column(stage: stage, records: records, count: total?.count ?? 0, amount: total?.sum ?? 0))
        }
        let records = columns.flatMap(\.records)
        var page = BoardPage(object: object, columns: columns, mineOnly: mineOnly,
                             names: try await referenceNames(ReferenceNames.references(object.fields, in: records), as: me))
        page.today = keel.day(Date())
        // Each card's latest activity and how long it has been in its stage (what the reader may see of both).
        let ids = records.map(\.id)
        if !ids.isEmpty {
            let activities = (try? await keel.records.aggregate("activities", groupBy: ["related_to"], latest: "occurred_at",
                                                                params: [("filter[related_to][in]", ids.joined(separator: ","))], as: me)) ?? []
            page.lastActivity = Dictionary(activities.compactMap { row in row.keys.first?.stringValue.flatMap { id in row.latest?.stringValue.map { (id, $0) } } },
                                           uniquingKeysWith: max)
            page.stageSince = try await keel.records.lastChanges(object.name, field: "stage", ids: ids, as: me)
        }
        // Just moved: say so, with an undo (the move back, checked like any move).
        let query = try request.queryPairs()
        if let moved = query.last(where: { $0.0 == "moved" })?.1, let from = query.last(where: { $0.0 == "from" })?.1,
           let record = try? await keel.records.get(object.name, id: moved, as: me).0 {
            page.moved = (record, from)
        }
        let t = Strings(web.language(request, session))
        return try await web.render(page.context(t, csrf: session.csrf), title: t["board"], request: request, session: session)
    }

    /// Moves a deal to another stage: the form every card carries, and what a drag submits.
    func moveCard(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let form = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        func value(_ name: String) -> String { form.last { $0.0 == name }?.1 ?? "" }
        let before = try await keel.records.get("opportunities", id: value("id"), as: session.principal).0
        let moved = try await keel.records.update("opportunities", id: value("id"), ["stage": .string(value("stage"))],
                                                  expectedVersion: Int(value("_version")), context: WriteContext(principal: session.principal, source: .web))
        return WebSupport.redirect(back: value("next"), adding: "moved=\(moved.id)&from=" + URLQuery.escape(before.value("stage").stringValue ?? ""))
    }
}
