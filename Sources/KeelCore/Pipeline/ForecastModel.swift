import Foundation

/// The chance that a deal in a stage is won within a window, learned from stage history known at `asOf`: of the
/// deals that entered the stage and were still in it at the same age, how many were won within a window as long —
/// counted only where the whole window had passed by `asOf`, so a backtest never sees its own future. Ages fall in
/// buckets; a thin bucket leans on the stage's overall rate. Besides, what deals opened inside a window and won within
/// it brought in, window by window (new business the pipeline does not hold yet: `newBusiness`).
public struct ForecastModel: Sendable {
    /// Lower bounds of the age buckets, in days in the stage.
    static let ageBounds: [Double] = [0, 7, 14, 30, 60, 120]
    /// How many samples the stage's overall rate weighs against a bucket's own.
    static let smoothing = 5.0

    let window: TimeInterval
    var wins: [String: [Int]] = [:]
    var totals: [String: [Int]] = [:]

    public init(timelines: [DealTimeline], outcomes: [String: PipelineStage.Outcome], asOf: Date, window: TimeInterval) {
        self.window = window
        for timeline in timelines {
            let moves = timeline.moves
            let known = moves.firstIndex { $0.at >= asOf } ?? moves.count
            guard known > 0 else { continue }
            for k in 0..<known where outcomes[moves[k].stage] == .open {
                let entered = moves[k].at
                let left = k + 1 < known ? moves[k + 1].at : Date.distantFuture
                let won = ((k + 1)..<known).first { outcomes[moves[$0].stage] == .won }.map { moves[$0].at }
                let key = moves[k].stage
                for (b, bound) in Self.ageBounds.enumerated() {
                    let start = entered.addingTimeInterval(bound * 86_400)
                    guard left > start, start.addingTimeInterval(window) <= asOf else { break }
                    totals[key, default: Array(repeating: 0, count: Self.ageBounds.count)][b] += 1
                    if let won, won <= start.addingTimeInterval(window) {
                        wins[key, default: Array(repeating: 0, count: Self.ageBounds.count)][b] += 1
                    }
                }
            }
        }
    }

    /// The chance a deal `age` seconds into `stage` is won within the window.
    public func chance(stage: String, age: TimeInterval) -> Double {
        let p = posterior(stage: stage, age: age)
        return p.alpha / (p.alpha + p.beta)
    }

    /// What is known of that chance: a Beta distribution — the bucket's wins and losses, plus the stage's overall rate
    /// worth `smoothing` deals — so that a chance learnt from a handful of deals widens the interval; `key` names the
    /// (stage, age bucket) it was learnt for: deals with the same key share it.
    public func posterior(stage: String, age: TimeInterval) -> (key: String, alpha: Double, beta: Double) {
        let w = wins[stage] ?? [], n = totals[stage] ?? []
        guard let n0 = n.first, n0 > 0 else { return ("\(stage)", 0.01, 1_000) }
        let overall = Double(w.first ?? 0) / Double(n0)
        let b = Self.ageBounds.lastIndex { $0 * 86_400 <= age } ?? 0
        let nb = Double(b < n.count ? n[b] : 0), wb = Double(b < w.count ? w[b] : 0)
        return ("\(stage)#\(b)", wb + Self.smoothing * overall + 0.01, nb - wb + Self.smoothing * (1 - overall) + 0.01)
    }

    /// Won amount from deals opened and won inside each of the `count` windows of length `window` before `asOf`, newest
    /// first: for everyone, and per owner (a scope sums its owners').
    public static func newBusiness(timelines: [DealTimeline], outcomes: [String: PipelineStage.Outcome], asOf: Date, window: TimeInterval,
                                   count: Int = 6) -> (all: [Double], byOwner: [String: [Double]]) {
        var all = Array(repeating: 0.0, count: count), byOwner: [String: [Double]] = [:]
        let earliest = asOf.addingTimeInterval(-Double(count) * window)
        for timeline in timelines {
            guard let opened = timeline.moves.first?.at, opened >= earliest, opened < asOf else { continue }
            let j = Int(asOf.timeIntervalSince(opened) / window)
            guard j < count else { continue }
            let end = asOf.addingTimeInterval(-Double(j) * window)
            guard let won = timeline.moves.first(where: { $0.at < end && outcomes[$0.stage] == .won })?.amount else { continue }
            all[j] += won
            if let owner = timeline.moves.last?.owner { byOwner[owner, default: Array(repeating: 0, count: count)][j] += won }
        }
        return (all, byOwner)
    }
}
