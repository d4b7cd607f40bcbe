import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    /// Cards shown per stage; the column's totals always count every deal.
    static let cardsPerStage = 25
    /// How far back the won and lost columns show cards.
    static let recentlyClosed: TimeInterval = 30 * 86_400

    /// When each record entered its stage, and — longer in it, in working days, than the stage allows — how many
    /// working days the stale ones have been there.
    func stageAges(_ records: [Record], object: ObjectDefinition, pipelines: PipelineSet, calendar: WorkingCalendar,
                   as me: Principal) async throws -> (since: [String: String], stale: [String: Int]) {
        guard !pipelines.pipelines.isEmpty, !records.isEmpty else { return ([:], [:]) }
        let since = try await keel.records.lastChanges(object.name, field: pipelines.field, ids: records.map(\.id), as: me)
        var stale: [String: Int] = [:]
        for record in records {
            guard let stage = pipelines.pipeline(for: record.values)?.stage(record.value(pipelines.field).stringValue ?? ""),
                  let entered = ValueFormats.parseDateTime(since[record.id] ?? record.createdAt) else { continue }
            stale[record.id] = stage.staleDays(since: entered, now: Date(), calendar: calendar, zone: keel.timeZone)
        }
        return (since, stale)
    }

    /// `query`: the board's own (`owner=all`); the request's unless a refused move shows the board it came from.
    func board(_ request: Request, refused: BoardPage.Refused? = nil, query given: [(String, String)]? = nil) async throws -> Response {
        let query = try given ?? request.queryPairs()
        let session = try await requireSession(request)
        let me = session.principal
        let catalog = try await keel.metadata.catalog()
        let object = try catalog.require("opportunities")
        let pipelines = try await keel.pipelines.document(object.name, as: me).set
        let pipeline = pipelines.pipelines.first
        let mineOnly = query.last { $0.0 == "owner" }?.1 != "all"
        let scope = mineOnly ? [("filter[owner][eq]", me.userID)] : []
        let totals = try await keel.records.aggregate(object.name, groupBy: ["stage"], sum: "amount", params: scope, as: me)
        var columns: [BoardPage.Column] = []
        for stage in pipeline?.stages.map(\.name) ?? object.field("stage")?.options ?? [] {
            let total = totals.first { $0.keys.first?.stringValue == stage }
            // Won and lost columns show the deals closed lately, most recent first; the column's totals count them all.
            let closed = pipeline?.stage(stage).map { $0.outcome != .open } ?? false
            let recent = closed ? [("filter[updated_at][gte]", ValueFormats.formatDateTime(Date().addingTimeInterval(-Self.recentlyClosed))), ("sort", "-updated_at")]
                : [("sort", "-amount")]
            let records = total == nil ? [] : try await keel.records.list(object.name, params: scope + [
                ("filter[stage][eq]", stage), ("limit", String(Self.cardsPerStage)),
            ] + recent, as: me).records
            columns.append(BoardPage.Column(stage: stage, records: records, count: total?.count ?? 0, amount: total?.sum ?? 0))
        }
        let records = columns.flatMap(\.records)
        var page = BoardPage(object: object, columns: columns, mineOnly: mineOnly,
                             names: try await referenceNames(ReferenceNames.references(object.fields, in: records), as: me))
        page.today = keel.day(Date())
        page.pipeline = pipeline
        page.refused = refused
        // Each card's latest activity and how long it has been in its stage (what the reader may see of both).
        let ids = records.map(\.id)
        if !ids.isEmpty {
            let activities = (try? await keel.records.aggregate("activities", groupBy: ["related_to"], latest: "occurred_at",
                                                                params: [("filter[related_to][in]", ids.joined(separator: ","))], as: me)) ?? []
            page.lastActivity = Dictionary(activities.compactMap { row in row.keys.first?.stringValue.flatMap { id in row.latest?.stringValue.map { (id, $0) } } },
                                           uniquingKeysWith: max)
            (page.stageSince, page.staleDays) = try await stageAges(records, object: object, pipelines: pipelines, calendar: catalog.calendar, as: me)
        }
        if let refused, refused.violations.contains(where: { $0.code == "approval_missing" }) {
            // A rep may not read approval processes: the gate then names "the approval it needs".
            let processes: [ConfigItem] = (try? await keel.approvals.processes(by: me)) ?? []
            for process in processes { page.processNames[process.id] = process.definition["label"]?.stringValue ?? process.id }
        }
        // Just moved: say so, with an undo (the move back, checked like any move).
        if let moved = query.last(where: { $0.0 == "moved" })?.1, let from = query.last(where: { $0.0 == "from" })?.1,
           let record = try? await keel.records.get(object.name, id: moved, as: me).0 {
            page.moved = (record, from)
        }
        let t = Strings(web.language(request, session))
        return try await web.render(page.context(t, csrf: session.csrf), title: t["board"], request: request, session: session)
    }

    /// Moves a deal to another stage: the form every card carries, and what a drag submits. A move its gate refuses
    /// leaves the card where it was and shows, on it, a form for what is missing; sent back filled, it moves the card.
    func moveCard(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let session = try await requireSession(request)
        var request = request
        let form = try await WebSupport.form(&request, context: context, csrf: session.csrf)
        func value(_ name: String) -> String { form.last { $0.0 == name }?.1 ?? "" }
        let object = try await keel.metadata.catalog().require("opportunities")
        let before = try await keel.records.get(object.name, id: value("id"), as: session.principal).0
        var input: [String: JSONValue] = value("_gate").isEmpty ? [:]
            : FormDecoding.values(form, object: object, editing: true, zone: keel.timeZone).filter { $0.key != "stage" }
        input["stage"] = .string(value("stage"))
        if !value(StageMove.reasonKey).isEmpty { input[StageMove.reasonKey] = .string(value(StageMove.reasonKey)) }
        do {
            let moved = try await keel.records.update(object.name, id: value("id"), input, expectedVersion: Int(value("_version")),
                                                      context: WriteContext(principal: session.principal, source: .web))
            return WebSupport.redirect(back: value("next"), adding: "moved=\(moved.id)&from=" + URLQuery.escape(before.value("stage").stringValue ?? ""))
        } catch let error as KeelError where error.code == "stage_gate" || (error.kind == .unprocessable && !value("_gate").isEmpty) {
            let back = value("next").split(separator: "?", maxSplits: 1)
            var response = try await board(request, refused: BoardPage.Refused(id: before.id, to: value("stage"), violations: error.violations),
                                           query: back.count == 2 ? try FormEncoding.pairs(String(back[1])) : [])
            response.status = .unprocessableContent
            return response
        }
    }
}
