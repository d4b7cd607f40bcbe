import Foundation
import KeelCore

/// How reps answer their leads (线索响应): the reader's morning digest; per rep the leads received, the median first
/// response, the 72-hour follow-up rate and the 30-day conversion over the last two weeks against the two before;
/// and the response heatmap — the median first response per rep and hour of arrival — for one channel or all.
public struct LeadResponsePage: PageContext {
    public static let template = Template.leadResponse
    /// Each window of the comparison.
    public static let window: TimeInterval = 14 * 86400

    struct Cell {
        var value: String
        var previous: String
        /// How it moved since the two weeks before (nil: it did not, or one of them is missing).
        var change: Change?
    }

    struct Change {
        var arrow: String
        /// "better", "worse" or "neutral" (more is neither).
        var trend: String
    }

    struct Row {
        var name: String
        var cells: [Cell]
    }

    var digest: [String]
    var digestTitle: String
    var hasDigest: Bool
    var channels: [Option]
    var header: [String]
    var rows: [Row]
    var hasRows: Bool
    var heatmap: String
    var heatmapTitle: String
    var hasHeatmap: Bool

    /// `samples` the assignments of the last two windows to the reps the reader may see; `names` user id → name;
    /// `channels` the channel options (value, label); `channel` the one chosen (nil: all).
    public init(samples: [ResponseStats.Sample], names: [String: String], digest: LeadDigest?, channels: [(String, String)], channel: String?,
                now: Date, zone: TimeZone, _ t: Strings) {
        let english = t.language == .en
        self.digest = digest?.lines(english: english) ?? []
        digestTitle = LeadDigest.title(english: english)
        hasDigest = !self.digest.isEmpty
        self.channels = [Option("", t["response_all_channels"], selected: channel == nil)] + channels.map { Option($0.0, $0.1, selected: $0.0 == channel) }
        let chosen = samples.filter { channel == nil || $0.channel == channel }
        let current = ResponseStats.efficiency(chosen, from: now - Self.window, to: now, now: now)
        let previous = ResponseStats.efficiency(chosen, from: now - 2 * Self.window, to: now - Self.window, now: now)
        let name = { (id: String) in names[id] ?? t["response_former_user"] }
        let reps = Set(current.keys).union(previous.keys).sorted { (name($0), $0) < (name($1), $1) }
        header = [t["response_rep"], t["response_received"], t["response_median"], t["response_followed"], t["response_converted"]]
        let percent = { (share: ResponseStats.Share) in share.ratio.map { "\(Int(($0 * 100).rounded()))%" } }
        rows = reps.map { rep in
            let now = current[rep] ?? .none, before = previous[rep] ?? .none
            // Each figure now and two weeks before; `higherIsBetter` nil when more is neither better nor worse.
            func cell(_ value: (ResponseStats.Efficiency) -> Double?, _ text: (ResponseStats.Efficiency) -> String?, higherIsBetter: Bool?) -> Cell {
                let a = value(now), b = value(before)
                var change: Change?
                if let a, let b, a != b {
                    change = Change(arrow: a > b ? "↑" : "↓", trend: higherIsBetter.map { (a > b) == $0 ? "better" : "worse" } ?? "neutral")
                }
                return Cell(value: text(now) ?? "—", previous: text(before) ?? "—", change: change)
            }
            return Row(name: name(rep), cells: [
                cell({ Double($0.received) }, { String($0.received) }, higherIsBetter: nil),
                cell(\.medianResponse, { $0.medianResponse.map { ResponseStats.spoken($0, english: english) } }, higherIsBetter: false),
                cell(\.followedUp.ratio, { percent($0.followedUp) }, higherIsBetter: true),
                cell(\.converted.ratio, { percent($0.converted) }, higherIsBetter: true),
            ])
        }
        hasRows = !rows.isEmpty
        // The heatmap: reps with an answered lead, every hour of the day.
        let grid = ResponseStats.heatmap(chosen, zone: zone)
        let answered = grid.filter { !$0.value.isEmpty }.keys.sorted { (name($0), $0) < (name($1), $1) }
        heatmapTitle = t["response_heatmap"]
        heatmap = Chart.heatmap(title: heatmapTitle, rows: answered.map(name), columns: (0..<24).map { String(format: "%02d", $0) },
                                caption: { ResponseStats.spoken($0, english: english, compact: true) }, logarithmic: true) { r, c in grid[answered[r]]?[c] }
        hasHeatmap = !answered.isEmpty
    }
}
