import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    /// `/dashboard?period=this_month|last_month|this_quarter|this_year&owner=<user id>`: every figure is what the reader
    /// may see, for that period and rep.
    func dashboard(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal
        let query = try request.queryPairs()
        let period = query.last { $0.0 == "period" }.map(\.1).flatMap { DashboardPage.periods.contains($0) ? $0 : nil } ?? "this_month"
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = keel.timeZone
        let now = Date()
        let month = calendar.date(from: calendar.dateComponents([.year, .month], from: now))!
        let (start, end): (Date, Date) = switch period {
        case "last_month": (calendar.date(byAdding: .month, value: -1, to: month)!, month)
        case "this_quarter":
            { let q = calendar.date(byAdding: .month, value: -((calendar.component(.month, from: now) - 1) % 3), to: month)!
              return (q, calendar.date(byAdding: .month, value: 3, to: q)!) }()
        case "this_year":
            { let y = calendar.date(from: calendar.dateComponents([.year], from: now))!
              return (y, calendar.date(byAdding: .year, value: 1, to: y)!) }()
        default: (month, calendar.date(byAdding: .month, value: 1, to: month)!)
        }
        let startDay = keel.day(start), lastDay = keel.day(calendar.date(byAdding: .day, value: -1, to: end)!)
        let label = switch period {
        case "this_quarter": "\(startDay.prefix(4)) Q\((calendar.component(.month, from: start) - 1) / 3 + 1)"
        case "this_year": String(startDay.prefix(4))
        default: String(startDay.prefix(7))
        }
        // A rep's figures only when the reader may see more than their own: managers and admins.
        let owners = me.role == .member ? [] : try await keel.auth.users(by: me).filter { $0.status == .active }.map { ($0.id, $0.name) }
        let owner = query.last { $0.0 == "owner" }?.1 ?? ""
        let mine = owners.contains { $0.0 == owner } ? [("filter[owner][eq]", owner)] : []
        let created = mine + [("filter[created_at][gte]", ValueFormats.formatDateTime(start)), ("filter[created_at][lt]", ValueFormats.formatDateTime(end))]
        let closing = mine + [("filter[expected_close_date][gte]", startDay), ("filter[expected_close_date][lte]", lastDay)]
        let closed = try await keel.records.aggregate("opportunities", groupBy: ["stage"], sum: "amount",
                                                      params: closing + [("filter[stage][in]", "closed_won,closed_lost")], as: me)
        // The period's signed contracts (by the day signed): what they say, and what finance confirmed.
        let signed = mine + [("filter[status][in]", "signed,completed"), ("filter[signed_at][gte]", ValueFormats.formatDateTime(start)),
                             ("filter[signed_at][lt]", ValueFormats.formatDateTime(end))]
        let contracted = try await keel.records.aggregate(StandardObjects.contract.name, groupBy: ["currency"], sum: "total_excl_tax", params: signed, as: me)
        let confirmed = try await keel.records.aggregate(StandardObjects.contract.name, groupBy: ["currency"], sum: "finance_confirmed_amount", params: signed, as: me)
        var page = DashboardPage(
            period: period, periodLabel: label, owner: mine.isEmpty ? "" : owner, owners: owners,
            leadsByStatus: try await keel.records.aggregate("leads", groupBy: ["status"], params: created, as: me),
            won: closed.filter { $0.keys.first == "closed_won" },
            pipeline: try await keel.records.aggregate("opportunities", groupBy: ["stage"], sum: "amount", params: mine + [
                ("filter[stage][in]", StandardObjects.openStages.joined(separator: ",")),
            ], as: me),
            closed: closed,
            leadsByChannel: try await keel.records.aggregate("leads", groupBy: ["channel"], params: created, as: me),
            leadsByChannelAndStatus: try await keel.records.aggregate("leads", groupBy: ["channel", "status"], params: created, as: me))
        // Per currency (a contract without one is in yuan): amounts in different currencies are never added up.
        func byCurrency(_ rows: [AggregateRow]) -> [String: Decimal] {
            Dictionary(rows.map { ($0.keys.first?.stringValue ?? "CNY", $0.sum ?? 0) }, uniquingKeysWith: +)
        }
        let (signedBy, confirmedBy) = (byCurrency(contracted), byCurrency(confirmed))
        page.revenue = signedBy.keys.sorted { ($0 == "CNY" ? "" : $0) < ($1 == "CNY" ? "" : $1) }.map { ($0, signedBy[$0] ?? 0, confirmedBy[$0] ?? 0) }
        let t = Strings(web.language(request, session))
        return try await web.render(page.context(t), title: t["dashboard"], request: request, session: session)
    }
}
