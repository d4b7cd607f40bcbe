import Foundation

/// A period's forecast over some deals (a rep's, a team's, the company's): what is won, the deals expected to close in
/// it by category, the weighted pipeline, and the won amount predicted from stage history with its 80 % interval.
public struct Forecast: Sendable {
    /// A calendar month in the organisation's zone.
    public struct Period: Hashable, Sendable {
        public var label: String
        public var start: Date
        public var end: Date

        /// `2026-12` in `zone`; nil when it is not a month from 2000 to 2100.
        public init?(_ label: String, in zone: TimeZone) {
            let parts = label.split(separator: "-", omittingEmptySubsequences: false)
            guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let year = Int(parts[0]), let month = Int(parts[1]),
                  (2000...2100).contains(year), (1...12).contains(month) else { return nil }
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            guard let start = calendar.date(from: DateComponents(year: year, month: month, day: 1)),
                  let end = calendar.date(byAdding: .month, value: 1, to: start) else { return nil }
            (self.label, self.start, self.end) = (label, start, end)
        }

        /// The month `date` falls in.
        public static func containing(_ date: Date, in zone: TimeZone) -> Period {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            let c = calendar.dateComponents([.year, .month], from: date)
            return Period(String(format: "%04d-%02d", c.year ?? 2000, c.month ?? 1), in: zone)!
        }

        /// Whether a day (`YYYY-MM-DD`) is in this month.
        public func contains(day: String) -> Bool { day.hasPrefix(label + "-") }
    }

    /// An open deal as the forecast sees it.
    public struct Deal: Sendable {
        public var id: String
        public var stage: String
        public var since: Date
        public var amount: Double
        public var expectedClose: String?
        /// Chosen by its owner (pipeline, best_case, commit, omitted), or nil: then it follows the probability.
        public var category: String?
        public var probability: Double

        public init(id: String, stage: String, since: Date, amount: Double, expectedClose: String?, category: String?, probability: Double) {
            (self.id, self.stage, self.since, self.amount, self.expectedClose, self.category, self.probability) =
                (id, stage, since, amount, expectedClose, category, probability)
        }

        /// Its category: as chosen, else commit from 80 %, best case from 60 %, pipeline below.
        public var effectiveCategory: String {
            category ?? (probability >= 80 ? "commit" : probability >= 60 ? "best_case" : "pipeline")
        }
    }

    public static let categories = ["pipeline", "best_case", "commit", "closed", "omitted"]

    public var period: Period
    /// Won in the period so far.
    public var closed: Double
    /// Won so far plus each open deal expected to close in the period at its probability.
    public var weighted: Double
    /// Amounts of the deals expected to close in the period by category (closed: won in it; omitted: lost in it too).
    public var categories: [String: Double]
    public var predicted: ForecastPrediction
    public var openDeals: Int

    /// What a forecast at `now` for `period` learns from every deal's stage history, once for all scopes: the chance of
    /// a win by the period's end (and, for a month ahead, before its start).
    public struct Models: Sendable {
        public var period: Period
        public var now: Date
        var untilEnd: ForecastModel?
        var beforeStart: ForecastModel?
        /// New business of past windows as long as what is left of the period (the whole month, for one ahead).
        var fresh: (all: [Double], byOwner: [String: [Double]]) = ([], [:])

        public init(period: Period, now: Date, timelines: [DealTimeline], outcomes: [String: PipelineStage.Outcome]) {
            (self.period, self.now) = (period, now)
            guard now < period.end else { return }
            untilEnd = ForecastModel(timelines: timelines, outcomes: outcomes, asOf: now, window: period.end.timeIntervalSince(now))
            if now < period.start { beforeStart = ForecastModel(timelines: timelines, outcomes: outcomes, asOf: now, window: period.start.timeIntervalSince(now)) }
            fresh = ForecastModel.newBusiness(timelines: timelines, outcomes: outcomes, asOf: now, window: period.end.timeIntervalSince(max(now, period.start)))
        }

        /// The chance an open deal is won inside the period, as a Beta distribution shared by deals of the same key (a
        /// month ahead: its mean, known).
        func chance(_ deal: Deal) -> ForecastPrediction.Chance {
            let age = now.timeIntervalSince(deal.since)
            guard let untilEnd else { return ForecastPrediction.Chance(key: "", alpha: 0.01, beta: 1_000) }
            let p = untilEnd.posterior(stage: deal.stage, age: age, amount: deal.amount)
            guard let beforeStart else { return ForecastPrediction.Chance(key: p.key, alpha: p.alpha, beta: p.beta) }
            let mean = max(0, p.alpha / (p.alpha + p.beta) - beforeStart.chance(stage: deal.stage, age: age, amount: deal.amount))
            return ForecastPrediction.Chance(key: "\(p.key)@", alpha: mean * 10_000 + 0.01, beta: (1 - mean) * 10_000 + 0.01)
        }

        /// The new business of `owners`' past windows (nil: everyone's).
        func newBusiness(owners: Set<String>?) -> [Double] {
            guard let owners else { return fresh.all }
            return owners.compactMap { fresh.byOwner[$0] }.reduce(Array(repeating: 0, count: fresh.all.count)) { zip($0, $1).map(+) }
        }
    }

    /// The forecast of a scope — its open deals, what it won and lost in the period, its owners (nil: everyone) — with the
    /// company's learned `models`.
    public static func make(open: [Deal], won: Double, lost: Double, owners: Set<String>?, models: Models) -> Forecast {
        let period = models.period
        var categories = Dictionary(uniqueKeysWithValues: Self.categories.map { ($0, 0.0) })
        categories["closed"] = won
        categories["omitted"] = lost
        var weighted = won
        for deal in open where deal.expectedClose.map(period.contains(day:)) == true {
            categories[deal.effectiveCategory, default: 0] += deal.amount
            if deal.effectiveCategory != "omitted" { weighted += deal.amount * deal.probability / 100 }
        }
        let predicted = models.untilEnd == nil ? ForecastPrediction(p10: won, p50: won, p90: won, mean: won)
            : ForecastPrediction.simulate(closed: won, open: open.map { ($0.amount, models.chance($0)) }, newBusiness: models.newBusiness(owners: owners),
                                          seed: UInt64(period.label.filter(\.isNumber)) ?? 1)
        return Forecast(period: period, closed: won, weighted: (weighted * 100).rounded() / 100, categories: categories, predicted: predicted,
                        openDeals: open.count)
    }
}
