import Foundation

/// A period's won amount as a distribution: what is already won, each open deal won with its chance, and new
/// business like one of the past windows', simulated; p10–p90 is the 80 % interval.
public struct ForecastPrediction: Hashable, Sendable {
    public var p10: Double
    public var p50: Double
    public var p90: Double
    public var mean: Double

    /// Simulations drawn; above `exactLimit` open deals × runs, the open deals' sum is drawn from its normal
    /// approximation (many deals: the central limit holds) instead of deal by deal.
    static let runs = 2_000
    static let exactLimit = 4_000_000

    public init(p10: Double, p50: Double, p90: Double, mean: Double) {
        (self.p10, self.p50, self.p90, self.mean) = (p10, p50, p90, mean)
    }

    public static func simulate(closed: Double, open: [(amount: Double, chance: Double)], newBusiness: [Double], seed: UInt64) -> ForecastPrediction {
        var rng = SeededGenerator(seed: seed)
        let exact = open.count * runs <= exactLimit
        let mu = open.reduce(0) { $0 + $1.amount * $1.chance }
        let sigma = open.reduce(0) { $0 + $1.amount * $1.amount * $1.chance * (1 - $1.chance) }.squareRoot()
        var totals: [Double] = []
        totals.reserveCapacity(runs)
        for _ in 0..<runs {
            var sum = closed
            if exact {
                for deal in open where Double.random(in: 0..<1, using: &rng) < deal.chance { sum += deal.amount }
            } else {
                // Box–Muller.
                let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
                sum += max(0, mu + sigma * (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
            }
            if !newBusiness.isEmpty { sum += newBusiness[Int.random(in: 0..<newBusiness.count, using: &rng)] }
            totals.append(sum)
        }
        totals.sort()
        func at(_ q: Double) -> Double { (totals[min(totals.count - 1, Int(q * Double(totals.count)))] * 100).rounded() / 100 }
        let mean = closed + mu + (newBusiness.isEmpty ? 0 : newBusiness.reduce(0, +) / Double(newBusiness.count))
        return ForecastPrediction(p10: at(0.1), p50: at(0.5), p90: at(0.9), mean: (mean * 100).rounded() / 100)
    }
}
