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
    static let runs = 1_000
    static let exactLimit = 1_000_000

    public init(p10: Double, p50: Double, p90: Double, mean: Double) {
        (self.p10, self.p50, self.p90, self.mean) = (p10, p50, p90, mean)
    }

    /// A deal's chance of a win in the period, as known: Beta(alpha, beta); deals with the same key share one draw per run.
    public struct Chance: Sendable, Hashable {
        public var key: String
        public var alpha: Double
        public var beta: Double
        public var mean: Double { alpha / (alpha + beta) }

        public init(key: String, alpha: Double, beta: Double) {
            (self.key, self.alpha, self.beta) = (key, alpha, beta)
        }
    }

    public static func simulate(closed: Double, open: [(amount: Double, chance: Chance)], newBusiness: [Double], seed: UInt64) -> ForecastPrediction {
        var rng = SeededGenerator(seed: seed)
        let exact = open.count * runs <= exactLimit
        let mu = open.reduce(0) { $0 + $1.amount * $1.chance.mean }
        let sigma = open.reduce(0) { $0 + $1.amount * $1.amount * $1.chance.mean * (1 - $1.chance.mean) }.squareRoot()
        // The distinct chances, and which one each deal has.
        var keys: [String: Int] = [:], chances: [Chance] = []
        let index = open.map { deal -> Int in
            if let i = keys[deal.chance.key] { return i }
            keys[deal.chance.key] = chances.count
            chances.append(deal.chance)
            return chances.count - 1
        }
        var totals: [Double] = []
        totals.reserveCapacity(runs)
        var drawn = Array(repeating: 0.0, count: chances.count)
        for _ in 0..<runs {
            var sum = closed
            if exact {
                for (i, c) in chances.enumerated() { drawn[i] = beta(c.alpha, c.beta, &rng) }
                for (deal, i) in zip(open, index) where Double.random(in: 0..<1, using: &rng) < drawn[i] { sum += deal.amount }
            } else {
                sum += max(0, mu + sigma * normal(&rng))
            }
            if !newBusiness.isEmpty { sum += newBusiness[Int.random(in: 0..<newBusiness.count, using: &rng)] }
            totals.append(sum)
        }
        totals.sort()
        func at(_ q: Double) -> Double { (totals[min(totals.count - 1, Int(q * Double(totals.count)))] * 100).rounded() / 100 }
        let mean = closed + mu + (newBusiness.isEmpty ? 0 : newBusiness.reduce(0, +) / Double(newBusiness.count))
        return ForecastPrediction(p10: at(0.1), p50: at(0.5), p90: at(0.9), mean: (mean * 100).rounded() / 100)
    }

    /// A standard normal draw (Box–Muller).
    static func normal(_ rng: inout SeededGenerator) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &rng), u2 = Double.random(in: 0..<1, using: &rng)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }

    /// A Gamma(shape, 1) draw (Marsaglia and Tsang; shapes under 1 boosted).
    static func gamma(_ shape: Double, _ rng: inout SeededGenerator) -> Double {
        if shape < 1 { return gamma(shape + 1, &rng) * pow(Double.random(in: Double.ulpOfOne..<1, using: &rng), 1 / shape) }
        let d = shape - 1.0 / 3, c = 1 / (9 * d).squareRoot()
        while true {
            let x = normal(&rng), v = pow(1 + c * x, 3)
            guard v > 0 else { continue }
            if log(Double.random(in: Double.ulpOfOne..<1, using: &rng)) < 0.5 * x * x + d - d * v + d * log(v) { return d * v }
        }
    }

    static func beta(_ a: Double, _ b: Double, _ rng: inout SeededGenerator) -> Double {
        let x = gamma(a, &rng), y = gamma(b, &rng)
        return x + y > 0 ? x / (x + y) : 0
    }
}
