import Foundation
import KeelCore
import Testing

@Suite struct ForecastBacktestTests {
    static let outcomes = Dictionary(uniqueKeysWithValues: PipelineSet.standardStages.map { ($0.name, $0.outcome) })
    static let zone = TimeZone(identifier: "Asia/Shanghai")!

    /// On a company whose process is known, month by month over two years: the 80 % interval holds the actual won
    /// amount about 80 % of the time, and the median misses by less than the naive weighted pipeline.
    @Test func theIntervalCoversAndTheMedianBeatsTheWeightedPipeline() throws {
        var rng = SeededGenerator(seed: 2026)
        let start = try #require(Forecast.Period("2023-01", in: Self.zone)).start
        let end = try #require(Forecast.Period("2026-01", in: Self.zone)).start
        let timelines = DealTimeline.group(DealProcess.standard.history(from: start, until: end, perMonth: 60, using: &rng))
        let periods = (0..<24).map { Forecast.Period(String(format: "%04d-%02d", 2024 + $0 / 12, $0 % 12 + 1), in: Self.zone)! }
        let backtest = ForecastBacktest(timelines: timelines, periods: periods, outcomes: Self.outcomes, probabilities: StageProbability.byStage)
        #expect((0.65...0.95).contains(backtest.coverage))
        #expect(backtest.error < backtest.naiveError)
        // It learns the process by deal size: a big project in proposal is won less often than a small order, as generated.
        let model = ForecastModel(timelines: timelines, outcomes: Self.outcomes, asOf: end, window: 365 * 86_400)
        for amount in [50_000.0, 500_000, 2_000_000] {
            let learnt = model.chance(stage: "proposal", age: 0, amount: amount), truth = DealProcess.standard.winChance(from: "proposal", amount: amount)
            #expect(abs(learnt - truth) < 0.06, "\(amount): learnt \(learnt), generated \(truth)")
        }
        #expect(model.chance(stage: "proposal", age: 0, amount: 2_000_000) < model.chance(stage: "proposal", age: 0, amount: 50_000) - 0.15)
    }

    /// A deal's chance comes from deals that were in its stage at its age, and a window not yet over teaches nothing.
    @Test func chancesLearnOnlyFromWindowsThatHavePassed() throws {
        let t0 = Date(timeIntervalSince1970: 1_700_000_000)
        func deal(_ id: String, _ moves: [(String, Double)]) -> [StageTransition] {
            moves.enumerated().map { i, m in
                StageTransition(id: "\(id)\(i)", object: "opportunities", recordID: id, pipeline: "standard", from: nil, to: m.0,
                                at: ValueFormats.formatDateTime(t0.addingTimeInterval(m.1 * 86_400)), actor: "a", source: "api", reason: nil,
                                secondsInStage: nil, workingSecondsInStage: nil, back: false, firstTime: true, owner: nil, amount: 100)
            }
        }
        // Four deals entered negotiation on day 0: two won on day 5, one lost on day 3, one won on day 40.
        let timelines = DealTimeline.group(deal("a", [("negotiation", 0), ("closed_won", 5)]) + deal("b", [("negotiation", 0), ("closed_won", 5)])
            + deal("c", [("negotiation", 0), ("closed_lost", 3)]) + deal("d", [("negotiation", 0), ("closed_won", 40)]))
        let model = ForecastModel(timelines: timelines, outcomes: Self.outcomes, asOf: t0.addingTimeInterval(50 * 86_400), window: 10 * 86_400)
        #expect(model.chance(stage: "negotiation", age: 0) == 0.5)
        // At a week old only d was still in the stage: (0 + 5 × 0.5) / (1 + 5).
        #expect(abs(model.chance(stage: "negotiation", age: 8 * 86_400) - 2.5 / 6) < 0.001)
        // Seen from day 9, no ten-day window had ended: nothing learnt.
        #expect(ForecastModel(timelines: timelines, outcomes: Self.outcomes, asOf: t0.addingTimeInterval(9 * 86_400), window: 10 * 86_400)
            .chance(stage: "negotiation", age: 0) < 0.0001)
    }
}
