import Foundation
import KeelCore

/// The forecast (销售预测) of a month for me, my team or the company: won so far, the weighted pipeline, the predicted
/// won amount with its 80 % interval, each owner's figures by category with managers' adjustments beside them, a chart
/// of every interval, and — for managers — how last month's interval fared (上月预测区间命中) and the backtest's figures.
public struct ForecastPage: PageContext {
    public static let template = Template.forecast

    struct Figure {
        var label, value: String
        var detail: String?
    }

    struct Row {
        var name: String
        var cells: [String]
        var interval: String
        var adjusted: String?
        var user: String?
    }

    var period, previous, next, monthLabel: String
    var scopes: [Link]
    var figures: [Figure]
    var header: [String]
    var rows: [Row]
    var hasRows: Bool
    var chart: String
    var backtest: [String]
    var hasBacktest: Bool
    var canAdjust: Bool
    var categories: [Option]
    var scope: String
    var csrf: String
    /// The valid-advance rate per rep: a row per rep, a cell per stage ("8/10 · 80%").
    var advanceHeader: [String]
    var advanceRows: [Row]
    var hasAdvances: Bool

    /// `money` writes an amount as the page shows money (`¥1,924,000.00`).
    public init(report: (scope: String, forecast: Forecast, owners: [(id: String, name: String, forecast: Forecast)]),
                adjustments: [(user: String, category: String, amount: Double)], backtest: ForecastBacktest?, canAdjust: Bool,
                advances: [(name: String, stage: String, count: Int, firstTime: Int)] = [], stages: [(name: String, label: String)] = [],
                money: (Double) -> String, csrf: String, _ t: Strings) {
        let f = report.forecast
        period = f.period.label
        let months = MonthNavigation(f.period.label, t)
        (previous, next, monthLabel) = (months.previous, months.next, months.label)
        scope = report.scope
        scopes = ["me", "team", "company"].map { Link("/forecast?period=\(f.period.label)&scope=\($0)", t["forecast_scope_" + $0], current: $0 == report.scope) }
        func interval(_ p: ForecastPrediction) -> String {
            t["forecast_interval"].replacingOccurrences(of: "{1}", with: money(p.p10)).replacingOccurrences(of: "{2}", with: money(p.p90))
        }
        figures = [
            Figure(label: t["forecast_closed"], value: money(f.closed), detail: nil),
            Figure(label: t["forecast_weighted"], value: money(f.weighted), detail: t["forecast_weighted_hint"]),
            Figure(label: t["forecast_predicted"], value: money(f.predicted.p50), detail: interval(f.predicted)),
        ]
        let shown = ["closed", "commit", "best_case", "pipeline", "omitted"]
        header = [t["forecast_owner"]] + shown.map { t["forecast_cat_" + $0] } + [t["forecast_weighted"], t["forecast_predicted"]]
        let adjusted = Dictionary(grouping: adjustments, by: \.user)
        rows = report.owners.map { o in
            Row(name: o.name, cells: shown.map { money(o.forecast.categories[$0] ?? 0) } + [money(o.forecast.weighted), money(o.forecast.predicted.p50)],
                interval: interval(o.forecast.predicted),
                adjusted: adjusted[o.id].map { list in list.map { "\(t["forecast_cat_" + $0.category]) \(money($0.amount))" }.joined(separator: " · ") },
                user: o.id)
        }
        hasRows = !rows.isEmpty
        let all = [(t["forecast_scope_" + report.scope], f)] + report.owners.map { ($0.name, $0.forecast) }
        chart = Chart.intervals(title: t["forecast_chart"], rows: all.map { name, f in
            Chart.Interval(label: name, low: f.predicted.p10, mid: f.predicted.p50, high: f.predicted.p90, tick: f.weighted,
                           caption: "\(money(f.predicted.p50)) (\(interval(f.predicted))) · \(t["forecast_weighted"]) \(money(f.weighted))")
        })
        var lines: [String] = []
        if let backtest, let last = backtest.months.last {
            lines.append(t[last.covered ? "forecast_last_hit" : "forecast_last_miss"].replacingOccurrences(of: "{1}", with: money(last.predicted.p10))
                .replacingOccurrences(of: "{2}", with: money(last.predicted.p90)).replacingOccurrences(of: "{3}", with: money(last.actual)))
            lines.append(t["forecast_coverage"].replacingOccurrences(of: "{1}", with: String(backtest.months.count))
                .replacingOccurrences(of: "{2}", with: String(Int((backtest.coverage * 100).rounded())))
                .replacingOccurrences(of: "{3}", with: String(backtest.months.filter(\.covered).count)))
            lines.append(t["forecast_errors"].replacingOccurrences(of: "{1}", with: money(backtest.error)).replacingOccurrences(of: "{2}", with: money(backtest.naiveError)))
        }
        self.backtest = lines
        hasBacktest = !lines.isEmpty
        self.canAdjust = canAdjust
        categories = Forecast.categories.map { Option($0, t["forecast_cat_" + $0], selected: $0 == "commit") }
        self.csrf = csrf
        let shownStages = stages.filter { s in advances.contains { $0.stage == s.name } }
        advanceHeader = [t["forecast_owner"]] + shownStages.map(\.label)
        advanceRows = Dictionary(grouping: advances, by: \.name).sorted { $0.key < $1.key }.map { name, rows in
            Row(name: name, cells: shownStages.map { s in
                rows.first { $0.stage == s.name }.map { "\($0.firstTime)/\($0.count) · \(Int((Double($0.firstTime) / Double(max(1, $0.count)) * 100).rounded()))%" } ?? "—"
            }, interval: "", adjusted: nil, user: nil)
        }
        hasAdvances = !advanceRows.isEmpty
    }
}
