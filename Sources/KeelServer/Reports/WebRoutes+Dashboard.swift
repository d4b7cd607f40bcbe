import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    func dashboard(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = keel.timeZone
        let monthStart = calendar.date(from: calendar.dateComponents([.year, .month], from: Date()))!
        let thisMonth = [("filter[created_at][gte]", ValueFormats.formatDateTime(monthStart))]
        let pipeline = try await keel.records.aggregate("opportunities", groupBy: ["stage"], sum: "amount", params: [
            ("filter[stage][in]", StandardObjects.openStages.joined(separator: ",")),
        ], as: me)
        let channels = try await keel.records.aggregate("leads", groupBy: ["channel"], params: thisMonth, as: me)
        let grid = try await keel.records.aggregate("leads", groupBy: ["channel", "status"], params: thisMonth, as: me)
        let page = DashboardPage(pipeline: pipeline, leadsByChannel: channels, leadsByChannelAndStatus: grid, month: String(keel.day(Date()).prefix(7)))
        let t = Strings(web.language(request, session))
        return try await web.render(page.context(t), title: t["dashboard"], request: request, session: session)
    }
}
