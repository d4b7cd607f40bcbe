import Foundation
import KeelCore

/// The sales dashboard for a period and a rep (or everyone the reader may see): the lead-to-customer conversion
/// funnel, the open pipeline by stage, the amounts won and lost, and the period's leads by channel and by channel and
/// status. Every chart has its figures as a table too (for screen readers, and to copy).
public struct DashboardPage {
    public static let periods = ["this_month", "last_month", "this_quarter", "this_year"]

    public var period: String
    /// The period as people say it ("2026-11", "2026 Q4").
    public var periodLabel: String
    public var owner: String
    /// Reps the reader may filter by (managers and admins), by id.
    public var owners: [(id: String, name: String)]
    public var leadsByStatus: [AggregateRow], won: [AggregateRow]
    public var pipeline: [AggregateRow], closed: [AggregateRow]
    public var leadsByChannel: [AggregateRow], leadsByChannelAndStatus: [AggregateRow]
    /// The period's signed contracts per currency, yuan first: their total without tax, and the revenue finance
    /// confirmed for them (from the ERP).
    public var revenue: [(currency: String, contracted: Decimal, confirmed: Decimal)] = []

    public init(period: String, periodLabel: String, owner: String, owners: [(id: String, name: String)], leadsByStatus: [AggregateRow],
                won: [AggregateRow], pipeline: [AggregateRow], closed: [AggregateRow], leadsByChannel: [AggregateRow], leadsByChannelAndStatus: [AggregateRow]) {
        (self.period, self.periodLabel, self.owner, self.owners) = (period, periodLabel, owner, owners)
        (self.leadsByStatus, self.won, self.pipeline, self.closed) = (leadsByStatus, won, pipeline, closed)
        (self.leadsByChannel, self.leadsByChannelAndStatus) = (leadsByChannel, leadsByChannelAndStatus)
    }

    struct Card {
        var title: String
        /// The chart, rendered by `Chart` with its texts escaped.
        var svg: String
        /// The same figures as a table.
        var header: [String]
        var rows: [Row]
    }

    struct Row {
        var cells: [String]
    }

    public struct Context: PageContext {
        public static let template = Template.dashboard

        var periods: [Option]
        var owners: [Option]
        var hasOwners: Bool
        var charts: [Card]
    }

    public func context(_ t: Strings) -> Context {
        let stage = StandardObjects.opportunity.field("stage"), status = StandardObjects.lead.field("status")
        // Charts say amounts short (¥3,451.2万); their tables exactly.
        let money = { (v: Decimal?) in t.shortMoney(v ?? 0) }, exact = { (v: Decimal?) in ValueDisplay.money(v ?? 0, currency: nil) }
        func card(_ title: String, _ items: [Chart.Item], funnel: Bool = false, header: [String], table: [[String]]? = nil) -> Card {
            Card(title: title, svg: funnel ? Chart.funnel(title: title, items: items) : Chart.bar(title: title, items: items), header: header,
                 rows: (table ?? items.map { [$0.label, $0.caption ?? Chart.number($0.value)] }).map { Row(cells: $0) })
        }
        // The funnel: the period's leads, those that got as far as each status, then the deals won.
        let count = Dictionary(leadsByStatus.map { ($0.keys.first?.stringValue ?? "", $0.count) }, uniquingKeysWith: +)
        let total = count.values.reduce(0, +)
        let reached = [("leads_all", total), ("opt_contacted", (count["contacted"] ?? 0) + (count["qualified"] ?? 0) + (count["converted"] ?? 0)),
                       ("opt_qualified", (count["qualified"] ?? 0) + (count["converted"] ?? 0)), ("opt_converted", count["converted"] ?? 0),
                       ("deals_won", won.reduce(0) { $0 + $1.count })]
        let percent = { (n: Int) in total == 0 ? "" : " · \(Int((Double(n) / Double(total) * 100).rounded()))%" }
        let funnel = card(t["conversion_funnel"] + " · " + periodLabel, reached.map { key, n in
            Chart.Item(label: t[key], value: Double(n), caption: "\(n)" + percent(n))
        }, funnel: true, header: [t["funnel_step"], t["count"]])
        let byStage = Dictionary(pipeline.map { ($0.keys.first?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let amounts = card(t["pipeline_amount"], StandardObjects.openStages.map { s in
            let row = byStage[s]
            return Chart.Item(label: t.option(s, of: stage), value: row?.sum?.double ?? 0, caption: "\(row?.count ?? 0) · " + money(row?.sum))
        }, header: [t["stage"], t["deals"], t["amount"]], table: StandardObjects.openStages.map { s in
            [t.option(s, of: stage), String(byStage[s]?.count ?? 0), exact(byStage[s]?.sum)]
        })
        let closedBy = Dictionary(closed.map { ($0.keys.first?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let wonLost = card(t["won_and_lost"] + " · " + periodLabel, [("closed_won", "#2e7d6b"), ("closed_lost", "#b42318")].map { s, color in
            Chart.Item(label: t.option(s, of: stage), value: closedBy[s]?.sum?.double ?? 0, caption: "\(closedBy[s]?.count ?? 0) · " + money(closedBy[s]?.sum), color: color)
        }, header: [t["stage"], t["deals"], t["amount"]], table: ["closed_won", "closed_lost"].map { s in
            [t.option(s, of: stage), String(closedBy[s]?.count ?? 0), exact(closedBy[s]?.sum)]
        })
        let channelField = StandardObjects.lead.field("channel")
        let channelName = { (key: JSONValue?) in key?.stringValue.map { t.option($0, of: channelField) } ?? t["not_set"] }
        let channels = leadsByChannel.sorted { $0.count > $1.count }.map { Chart.Item(label: channelName($0.keys.first), value: Double($0.count)) }
        let channelCard = card(t["leads_by_channel"] + " · " + periodLabel, channels, header: [t["channel_label"], t["count"]])
        let channelNames = channels.map(\.label), statuses = StandardObjects.leadStatuses
        var cells: [String: Int] = [:]
        for row in leadsByChannelAndStatus { cells["\(channelName(row.keys.first))|\(row.keys.last?.stringValue ?? "")", default: 0] += row.count }
        let statusNames = statuses.map { t.option($0, of: status) }
        let heatmapTitle = t["leads_heatmap"] + " · " + periodLabel
        let heatmap = Card(title: heatmapTitle, svg: Chart.heatmap(title: heatmapTitle, rows: channelNames, columns: statusNames) { r, c in
            Double(cells["\(channelNames[r])|\(statuses[c])"] ?? 0)
        }, header: [t["channel_label"]] + statusNames, rows: channelNames.map { name in Row(cells: [name] + statuses.map { String(cells["\(name)|\($0)"] ?? 0) }) })
        // Revenue as finance booked it (the reconciliation writes it back), beside what the contracts say: the chart in
        // yuan, the table in every currency signed.
        let yuan = revenue.first { $0.currency == "CNY" }
        let revenueCard = card(t["revenue"] + " · " + periodLabel, [("revenue_contracted", yuan?.contracted ?? 0, "#5b6475"), ("revenue_confirmed", yuan?.confirmed ?? 0, "#2e7d6b")].map { key, value, color in
            Chart.Item(label: t[key], value: value.double, caption: money(value), color: color)
        }, header: [t["revenue_measure"], t["amount"]], table: (revenue.isEmpty ? [("CNY", 0, 0)] : revenue).flatMap { r in
            let suffix = r.currency == "CNY" ? "" : " · " + r.currency
            return [[t["revenue_contracted"] + suffix, ValueDisplay.money(r.contracted, currency: r.currency)],
                    [t["revenue_confirmed"] + suffix, ValueDisplay.money(r.confirmed, currency: r.currency)]]
        })
        return Context(
            periods: Self.periods.map { Option($0, t["period_" + $0], selected: $0 == period) },
            owners: [Option("", t["everyone_i_see"], selected: owner.isEmpty)] + owners.map { Option($0.id, $0.name, selected: $0.id == owner) },
            hasOwners: !owners.isEmpty,
            charts: [funnel, amounts, wonLost, revenueCard, channelCard, heatmap])
    }
}
