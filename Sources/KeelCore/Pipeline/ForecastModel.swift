import Foundation

/// The chance that a deal in a stage is won within a window, learned from stage history known at `asOf`: of the
/// deals that entered the stage and were still in it at the same age, how many were won within a window as long —
/// counted only where the whole window had passed by `asOf`, so a backtest never sees its own future. Deals fall in
/// segments by size (`segment(of:)`: a ¥50,000 order and a ¥2,000,000 project convert differently) and ages in buckets;
/// a thin bucket leans on its segment's rate in the stage, a thin segment on the stage's overall rate. Besides, what
/// deals opened inside a window and won within it brought in, window by window (new business the pipeline does not hold yet: `newBusiness`).
public struct ForecastModel: Sendable {
    /// Lower bounds of the age buckets, in days in the stage.
    static let ageBounds: [Double] = [0, 7, 14, 30, 60, 120]
    /// How many samples the stage's overall rate weighs against a bucket's own.
    static let smoothing = 5.0

    let window: TimeInterval
    /// Per stage, and per stage and segment (`stage|segment`): deals counted and won, by age bucket.
    var wins: [String: [Int]] = [:]
    var totals: [String: [Int]] = [:]

    /// Upper bounds (exclusive) of the size segments, in the deal's currency; the last segment has none.
    static let segmentBounds: [Double] = [100_000, 1_000_000]

    /// The size segment of a deal worth `amount`: 0 (under ¥100,000), 1 (under ¥1,000,000) or 2.
    public static func segment(of amount: Double?) -> Int {
        segmentBounds.firstIndex { (amount ?? 0) < $0 } ?? segmentBounds.count
    }

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
                let keys = [moves[k].stage, "\(moves[k].stage)|\(Self.segment(of: moves[k].amount))"]
                for (b, bound) in Self.ageBounds.enumerated() {
                    let start = entered.addingTimeInterval(bound * 86_400)
                    guard left > start, start.addingTimeInterval(window) <= asOf else { break }
                    let wonInside = won.map { $0 <= start.addingTimeInterval(window) } ?? false
                    for key in keys {
                        totals[key, default: Array(repeating: 0, count: Self.ageBounds.count)][b] += 1
                        if wonInside { wins[key, default: Array(repeating: 0, count: Self.ageBounds.count)][b] += 1 }
                    }
                }
            }
        }
    }

    /// The chance a deal worth `amount`, `age` seconds into `stage`, is won within the window.
    public func chance(stage: String, age: TimeInterval, amount: Double? = nil) -> Double {
        let p = posterior(stage: stage, age: age, amount: amount)
        return p.alpha / (p.alpha + p.beta)
    }

    /// What is known of that chance: a Beta distribution — the bucket's wins and losses in the deal's segment, plus the
    /// segment's rate in the stage worth `smoothing` deals (itself the segment's own, plus the stage's overall rate worth
    /// as many) — so that a chance learnt from a handful of deals widens the interval; `key` names the (stage, segment,
    /// age bucket) it was learnt for: deals with the same key share it.
    public func posterior(stage: String, age: TimeInterval, amount: Double? = nil) -> (key: String, alpha: Double, beta: Double) {
        let w = wins[stage] ?? [], n = totals[stage] ?? []
        guard let n0 = n.first, n0 > 0 else { return ("\(stage)", 0.01, 1_000) }
        let overall = Double(w.first ?? 0) / Double(n0)
        let segment = "\(stage)|\(Self.segment(of: amount))"
        let ws = wins[segment] ?? [], ns = totals[segment] ?? []
        let rate = (Double(ws.first ?? 0) + Self.smoothing * overall) / (Double(ns.first ?? 0) + Self.smoothing)
        let b = Self.ageBounds.lastIndex { $0 * 86_400 <= age } ?? 0
        let nb = Double(b < ns.count ? ns[b] : 0), wb = Double(b < ws.count ? ws[b] : 0)
        return ("\(segment)#\(b)", wb + Self.smoothing * rate + 0.01, nb - wb + Self.smoothing * (1 - rate) + 0.01)
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
