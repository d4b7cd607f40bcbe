import KeelCore

/// The sales dashboard: the open pipeline as a funnel and as amounts by stage, this month's leads by channel,
/// and this month's leads by channel and status as a heatmap.
public struct DashboardPage {
    public var pipeline: [AggregateRow]
    public var leadsByChannel: [AggregateRow]
    public var leadsByChannelAndStatus: [AggregateRow]
    public var month: String

    public init(pipeline: [AggregateRow], leadsByChannel: [AggregateRow], leadsByChannelAndStatus: [AggregateRow], month: String) {
        self.pipeline = pipeline
        self.leadsByChannel = leadsByChannel
        self.leadsByChannelAndStatus = leadsByChannelAndStatus
        self.month = month
    }

    struct Card {
        var title: String
        /// The chart, rendered by `Chart` with its texts escaped.
        var svg: String
    }

    public struct Context: PageContext {
        public static let template = Template.dashboard

        var charts: [Card]
    }

    public func context(_ t: Strings) -> Context {
        let stage = StandardObjects.opportunity.field("stage")
        let status = StandardObjects.lead.field("status")
        let byStage = Dictionary(pipeline.map { ($0.keys.first?.stringValue ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let stages = StandardObjects.openStages.map { s -> (String, AggregateRow) in (s, byStage[s] ?? AggregateRow(keys: [], count: 0, sum: 0)) }
        let money = { (v: Double?) in ValueDisplay.money(v ?? 0, currency: nil) }
        let funnel = Chart.funnel(title: t["pipeline_funnel"], items: stages.map { s, row in
            Chart.Item(label: t.option(s, of: stage), value: Double(row.count), caption: "\(row.count) · " + money(row.sum))
        })
        let amounts = Chart.bar(title: t["pipeline_amount"], items: stages.map { s, row in
            Chart.Item(label: t.option(s, of: stage), value: row.sum ?? 0, caption: money(row.sum))
        })
        let channelField = StandardObjects.lead.field("channel")
        let channelName = { (key: JSONValue?) in key?.stringValue.map { t.option($0, of: channelField) } ?? t["not_set"] }
        let channels = leadsByChannel.sorted { $0.count > $1.count }.map { Chart.Item(label: channelName($0.keys.first), value: Double($0.count)) }
        let channelBar = Chart.bar(title: t["leads_by_channel"] + " · " + month, items: channels)
        let channelNames = channels.map(\.label)
        let statuses = StandardObjects.leadStatuses
        var cells: [String: Int] = [:]
        for row in leadsByChannelAndStatus {
            cells["\(channelName(row.keys.first))|\(row.keys.last?.stringValue ?? "")", default: 0] += row.count
        }
        let heatmap = Chart.heatmap(title: t["leads_heatmap"] + " · " + month, rows: channelNames, columns: statuses.map { t.option($0, of: status) }) { r, c in
            Double(cells["\(channelNames[r])|\(statuses[c])"] ?? 0)
        }
        return Context(charts: [
            Card(title: t["pipeline_funnel"], svg: funnel), Card(title: t["pipeline_amount"], svg: amounts),
            Card(title: t["leads_by_channel"] + " · " + month, svg: channelBar), Card(title: t["leads_heatmap"] + " · " + month, svg: heatmap),
        ])
    }
}
