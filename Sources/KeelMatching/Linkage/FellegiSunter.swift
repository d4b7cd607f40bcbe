import Foundation

/// The Fellegi-Sunter model: for each field, how likely each agreement level is among true matches (m) and among
/// non-matches (u), and the share of matches among the pairs compared (the prior). A pair's weight is the sum of
/// log₂(m/u) over its fields; its probability of being a match follows from the weight and the prior.
/// The parameters are learned without labels by expectation-maximisation over the candidate pairs.
public struct FellegiSunter: Sendable, Equatable {
    /// Per field, per level (`disagree`, `similar`, `exact`).
    public var m: [[Double]]
    public var u: [[Double]]
    public var prior: Double

    static let levels: [Agreement] = [.disagree, .similar, .exact]
    static let floor = 1e-6

    public init(m: [[Double]], u: [[Double]], prior: Double) {
        (self.m, self.u, self.prior) = (m, u, prior)
    }

    /// A model to start from: each role's usual weights, with `u` corrected by what pseudo-random pairs of the data
    /// show (chance agreement in this file), the role's weights counting as 100 such pairs so that a small file is
    /// not misread.
    public static func initial(roles: [FieldRole], randomPatterns: [[Agreement]] = [], prior: Double = 0.01) -> FellegiSunter {
        let u = roles.indices.map { f in
            var counts = roles[f].weights.u.map { $0 * 100 }
            for p in randomPatterns where p[f] != .missing { counts[Int(p[f].rawValue) - 1] += 1 }
            let total = counts.reduce(0, +)
            return counts.map { $0 / total }
        }
        return FellegiSunter(m: roles.map(\.weights.m), u: u, prior: prior)
    }

    /// The weight of one field's agreement (0 when missing).
    public func weight(field: Int, _ level: Agreement) -> Double {
        guard level != .missing else { return 0 }
        let l = Int(level.rawValue) - 1
        return log2(max(m[field][l], Self.floor) / max(u[field][l], Self.floor))
    }

    public func weight(_ pattern: [Agreement]) -> Double {
        pattern.indices.reduce(0) { $0 + weight(field: $1, pattern[$1]) }
    }

    /// The probability that a pair with this agreement pattern is a match.
    public func probability(_ pattern: [Agreement]) -> Double {
        let logOdds = weight(pattern) + log2(prior / (1 - prior))
        return 1 / (1 + exp2(-logOdds))
    }

    /// Expectation-maximisation over the distinct agreement patterns of the candidate pairs and how often each
    /// occurs. Stops when no parameter moves more than 1e-6, or after `iterations`. With `pseudoCount` > 0 the start
    /// counts as that many pairs of evidence (maximum a posteriori), which keeps a small file from learning nonsense
    /// while a large one is ruled by its data.
    public static func train(_ patterns: [[Agreement]: Int], start: FellegiSunter, iterations: Int = 100, pseudoCount: Double = 0) -> FellegiSunter {
        var model = start
        let fields = model.m.count
        // Flattened: pattern k's level of field f at k * fields + f (0 missing, else 1 + the index into m and u).
        let flat = patterns.keys.flatMap { $0.map { Int($0.rawValue) } }
        let counts = patterns.values.map(Double.init)
        let total = counts.reduce(0, +)
        guard total > 0 else { return model }
        for _ in 0..<iterations {
            var mCounts = start.m.map { $0.map { $0 * pseudoCount } }
            var uCounts = start.u.map { $0.map { $0 * pseudoCount } }
            var matches = 0.0
            // Each field's weight per level (index 0, missing, weighs nothing), worked out once per iteration.
            let weights = (0..<fields).map { f in [0] + (0..<3).map { model.weight(field: f, Self.levels[$0]) } }
            let priorOdds = log2(model.prior / (1 - model.prior))
            for (k, n) in counts.enumerated() {
                var logOdds = priorOdds
                for f in 0..<fields { logOdds += weights[f][flat[k * fields + f]] }
                let g = 1 / (1 + exp2(-logOdds))
                matches += g * n
                for f in 0..<fields where flat[k * fields + f] != 0 {
                    let l = flat[k * fields + f] - 1
                    mCounts[f][l] += g * n
                    uCounts[f][l] += (1 - g) * n
                }
            }
            var next = model
            next.prior = min(max(matches / total, Self.floor), 1 - Self.floor)
            for f in 0..<fields {
                let mSum = mCounts[f].reduce(0, +), uSum = uCounts[f].reduce(0, +)
                if mSum > 0 { next.m[f] = mCounts[f].map { max($0 / mSum, Self.floor) } }
                if uSum > 0 { next.u[f] = uCounts[f].map { max($0 / uSum, Self.floor) } }
            }
            let moved = zip(next.m + next.u, model.m + model.u).flatMap { zip($0, $1).map { abs($0 - $1) } }.max() ?? 0
            model = next
            if moved < 1e-6 { break }
        }
        return model
    }
}

extension FieldRole {
    /// m and u per role for `disagree`, `similar`, `exact`: how often true duplicates and unrelated records that
    /// share a key agree — the online check's weights, and where EM starts from. Codes that identify (credit code,
    /// ID number) agree by chance almost never and disagree among duplicates only by a typo their check character
    /// missed; a person's name is shared by many people. With the online check's prior of 0.05, one identifying
    /// code or a company name agreeing is enough to refuse; a person needs a name and a phone or an e-mail.
    var weights: (m: [Double], u: [Double]) {
        switch self {
        case .creditCode, .idNumber: ([0.005, 0.045, 0.95], [0.999_998, 0.000_001, 0.000_001])
        case .company: ([0.03, 0.17, 0.80], [0.999_45, 0.000_5, 0.000_05])
        // A phone may be a switchboard that colleagues share; an e-mail address is one person's.
        case .phone: ([0.40, 0.05, 0.55], [0.999_4, 0.000_1, 0.000_5])
        case .email: ([0.40, 0.05, 0.55], [0.999_489, 0.000_5, 0.000_001])
        // People change jobs; colleagues share an employer.
        case .employer: ([0.25, 0.001, 0.749], [0.97, 0.001, 0.029])
        case .name, .givenName, .surname: ([0.05, 0.15, 0.80], [0.95, 0.04, 0.01])
        // The same company is rarely filed under two regions; unrelated ones often share one.
        case .region: ([0.05, 0.05, 0.90], [0.50, 0.10, 0.40])
        default: ([0.2, 0.3, 0.5], [0.8, 0.15, 0.05])
        }
    }
}
