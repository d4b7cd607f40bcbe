import Foundation

/// The forecast tried on the past: for each month, the prediction made at its first moment from what was known then
/// (the pipeline as it stood, stage history before it), against what was won in it — and against the naive weighted
/// pipeline of that moment (each open deal expected to close in the month at its stage's probability).
public struct ForecastBacktest: Sendable {
    public struct Month: Sendable, Hashable {
        public var period: String
        public var predicted: ForecastPrediction
        public var naive: Double
        public var actual: Double

        public var covered: Bool { actual >= predicted.p10 && actual <= predicted.p90 }
    }

    public var months: [Month]

    /// Months whose actual won amount fell inside the 80 % interval.
    public var coverage: Double { months.isEmpty ? 0 : Double(months.filter(\.covered).count) / Double(months.count) }
    /// Mean absolute error of the median prediction, and of the naive weighted pipeline.
    public var error: Double { meanError(\.predicted.p50) }
    public var naiveError: Double { meanError(\.naive) }

    func meanError(_ value: KeyPath<Month, Double>) -> Double {
        months.isEmpty ? 0 : months.reduce(0) { $0 + abs($1[keyPath: value] - $1.actual) } / Double(months.count)
    }

    /// Backtests `periods` (each needs history before it to learn from). `probabilities`: each stage's, for the naive forecast.
    public init(timelines: [DealTimeline], periods: [Forecast.Period], outcomes: [String: PipelineStage.Outcome], probabilities: [String: Double]) {
        months = periods.map { period in
            var open: [Forecast.Deal] = []
            var actual = 0.0
            for timeline in timelines {
                actual += timeline.entries(into: .won, from: period.start, to: period.end, outcomes: outcomes).reduce(0) { $0 + ($1.amount ?? 0) }
                guard let move = timeline.snapshot(before: period.start), outcomes[move.stage] == .open else { continue }
                open.append(Forecast.Deal(id: timeline.id, stage: move.stage, since: move.at, amount: move.amount ?? 0, expectedClose: move.expectedClose,
                                          category: nil, probability: probabilities[move.stage] ?? 0))
            }
            let models = Forecast.Models(period: period, now: period.start, timelines: timelines, outcomes: outcomes)
            let forecast = Forecast.make(open: open, won: 0, lost: 0, owners: nil, models: models)
            return Month(period: period.label, predicted: forecast.predicted, naive: forecast.weighted, actual: (actual * 100).rounded() / 100)
        }
    }
}
