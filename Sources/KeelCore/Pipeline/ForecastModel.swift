import Foundation

/// The chance that a deal in a stage is won within a window, learned from stage history known at `asOf`: of the
/// deals that entered the stage and were still in it at the same age, how many were won within a window as long —
/// counted only where the whole window had passed by `asOf`, so a backtest never sees its own future. Ages fall in
/// buckets; a thin bucket leans on the stage's overall rate. Besides, what deals opened inside a window and won within
/// it brought in, window by window (new business the pipeline does not hold yet).
public struct ForecastModel: Sendable {
    /// Lower bounds of the age buckets, in days in the stage.
    static let ageBounds: [Double] = [0, 7, 14, 30, 60, 120]
    /// How many samples the stage's overall rate weighs against a bucket's own.
    static let smoothing = 5.0

    let window: TimeInterval
    var wins: [String: [Int]] = [:]
    var totals: [String: [Int]] = [:]
    /// Won amount from deals opened and won inside each past window of the same length, newest first.
    public var newBusiness: [Double] = []

    public init(timelines: [DealTimeline], outcomes: [String: PipelineStage.Outcome], asOf: Date, window: TimeInterval, pastWindows: Int = 6) {
        self.window = window
        for timeline in timelines {
            let known = timeline.dates.firstIndex { $0 >= asOf } ?? timeline.dates.count
            guard known > 0 else { continue }
            for k in 0..<known where outcomes[timeline.moves[k].to] == .open {
                let entered = timeline.dates[k]
                let left = k + 1 < known ? timeline.dates[k + 1] : Date.distantFuture
                let won = ((k + 1)..<known).first { outcomes[timeline.moves[$0].to] == .won }.map { timeline.dates[$0] }
                let key = timeline.moves[k].to
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
        for j in 1...pastWindows {
            let end = asOf.addingTimeInterval(-Double(j - 1) * window), start = end.addingTimeInterval(-window)
            var amount = 0.0
            for timeline in timelines {
                guard let opened = timeline.dates.first, opened >= start, opened < end else { continue }
                amount += timeline.entries(into: .won, from: start, to: end, outcomes: outcomes).first?.amount ?? 0
            }
            newBusiness.append(amount)
        }
    }

    /// The chance a deal `age` seconds into `stage` is won within the window.
    public func chance(stage: String, age: TimeInterval) -> Double {
        let w = wins[stage] ?? [], n = totals[stage] ?? []
        guard let n0 = n.first, n0 > 0 else { return 0 }
        let overall = Double(w.first ?? 0) / Double(n0)
        let b = Self.ageBounds.lastIndex { $0 * 86_400 <= age } ?? 0
        let nb = Double(b < n.count ? n[b] : 0), wb = Double(b < w.count ? w[b] : 0)
        return (wb + Self.smoothing * overall) / (nb + Self.smoothing)
    }
}
