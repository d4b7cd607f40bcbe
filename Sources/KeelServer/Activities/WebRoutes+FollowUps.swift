import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    /// 跟进质量: a month of each rep's activities by credibility, and the dormant customers, as far as the reader may read.
    func followUps(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal
        let month = try request.queryPairs().last { $0.0 == "month" }?.1 ?? Forecast.Period.containing(Date(), in: keel.timeZone).label
        let rows = try await keel.credibility.month(month, as: me)
        let dormant = try await keel.credibility.dormant(as: me)
        let users = Dictionary(try await keel.auth.users(by: me).map { ($0.id, $0.name) }) { a, _ in a }
        let t = Strings(web.language(request, session))
        let page = FollowUpPage(month: month, rows: rows.map { ($0.userID, $0.activities, $0.average, $0.backedUp, $0.onTime) },
                                dormant: dormant.map { ($0.account, $0.last) }, users: users, t)
        return try await web.render(page, title: t["follow_ups"], request: request, session: session)
    }
}
