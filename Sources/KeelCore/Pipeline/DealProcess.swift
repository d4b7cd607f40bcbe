import Foundation

/// A sales process with known odds: from each open stage a deal advances, is lost, or (now and then) goes back one
/// stage, after a time drawn from the stage's own distribution. It writes the demo's eighteen months of deals and the
/// generated histories forecasts are backtested on, where the true conversion is known.
public struct DealProcess: Sendable {
    public struct Step: Sendable {
        public var stage: String
        /// The chance a deal leaving this stage moves forward (else it is lost, or goes back).
        public var advance: Double
        /// The chance it goes back one stage instead of being lost.
        public var back: Double
        /// Mean calendar days in the stage (exponentially distributed).
        public var meanDays: Double

        public init(_ stage: String, advance: Double, back: Double = 0, meanDays: Double) {
            (self.stage, self.advance, self.back, self.meanDays) = (stage, advance, back, meanDays)
        }
    }

    /// One move of a generated deal: the stage entered, when, and the reason given for a move back.
    public struct Move: Sendable, Hashable {
        public var stage: String
        public var at: Date
        public var reason: String?
    }

    public var steps: [Step]
    public var won: String
    public var lost: String
    /// From `sizedFrom` on, a deal's chance to advance is scaled by its size segment (`ForecastModel.segment(of:)`):
    /// small orders close more easily, big projects die more often at the proposal and in negotiation.
    public var sizedFrom: String?
    public var sizeFactors: [Double]

    public init(steps: [Step], won: String, lost: String, sizedFrom: String? = nil, sizeFactors: [Double] = [1, 1, 1]) {
        (self.steps, self.won, self.lost, self.sizedFrom, self.sizeFactors) = (steps, won, lost, sizedFrom, sizeFactors)
    }

    /// The standard opportunity stages: about 27 % of deals are won, after eleven weeks on average.
    public static let standard = DealProcess(steps: [
        Step("prospecting", advance: 0.75, meanDays: 10), Step("qualification", advance: 0.75, meanDays: 14),
        Step("needs_analysis", advance: 0.8, meanDays: 18), Step("proposal", advance: 0.75, back: 0.08, meanDays: 21),
        Step("negotiation", advance: 0.8, back: 0.08, meanDays: 16),
    ], won: "closed_won", lost: "closed_lost", sizedFrom: "proposal", sizeFactors: [1.15, 1, 0.8])

    /// The chance a deal worth `amount` leaving step `i` moves forward.
    func advance(_ i: Int, amount: Double?) -> Double {
        guard let from = steps.firstIndex(where: { $0.stage == sizedFrom }), i >= from else { return steps[i].advance }
        return min(0.95, steps[i].advance * sizeFactors[min(ForecastModel.segment(of: amount), sizeFactors.count - 1)])
    }

    /// The chance a deal worth `amount` entering `stage` is eventually won, by the process's own odds, moves back
    /// included: p(i) = advance · p(i + 1) + back · p(i − 1), p(won) = 1, solved by iterating to its fixed point.
    public func winChance(from stage: String, amount: Double? = nil) -> Double {
        guard let i = steps.firstIndex(where: { $0.stage == stage }) else { return stage == won ? 1 : 0 }
        var p = Array(repeating: 0.0, count: steps.count + 1)
        p[steps.count] = 1
        for _ in 0..<1_000 {
            for j in stride(from: steps.count - 1, through: 0, by: -1) {
                p[j] = advance(j, amount: amount) * p[j + 1] + (j > 0 ? steps[j].back * p[j - 1] : 0)
            }
        }
        return p[i]
    }

    /// A deal worth `amount` created at `created`: its moves until it closes or `until` comes (then it is still open).
    public func path(created: Date, until: Date, amount: Double? = nil, using rng: inout some RandomNumberGenerator) -> [Move] {
        var moves = [Move(stage: steps[0].stage, at: created, reason: nil)]
        var i = 0, at = created
        while moves.count < 40 {
            let step = steps[i]
            let u = Double.random(in: Double.ulpOfOne..<1, using: &rng)
            at = at.addingTimeInterval(-log(u) * step.meanDays * 86_400 + 3_600)
            guard at < until else { break }
            let roll = Double.random(in: 0..<1, using: &rng)
            let advance = advance(i, amount: amount)
            if roll < advance {
                i += 1
                moves.append(Move(stage: i == steps.count ? won : steps[i].stage, at: at, reason: nil))
                if i == steps.count { break }
            } else if roll < advance + step.back, i > 0 {
                i -= 1
                moves.append(Move(stage: steps[i].stage, at: at, reason: "客户需求变更，重新确认方案"))
            } else {
                moves.append(Move(stage: lost, at: at, reason: nil))
                break
            }
        }
        return moves
    }
}

extension DealProcess {
    /// A generated company's stage history: `perMonth` deals opened each month (30.4 days) from `start` until `until`,
    /// amounts from 20,000 to 3,000,000, expected to close 30 to 80 days after they open — as the stage history
    /// would hold it. For backtests and benchmarks.
    public func history(from start: Date, until: Date, perMonth: Int, object: String = "opportunities",
                        using rng: inout some RandomNumberGenerator) -> [StageTransition] {
        var out: [StageTransition] = []
        let months = Int(until.timeIntervalSince(start) / (30.4 * 86_400))
        var n = 0
        for month in 0..<max(1, months) {
            for _ in 0..<perMonth {
                let opened = start.addingTimeInterval((Double(month) + Double.random(in: 0..<1, using: &rng)) * 30.4 * 86_400)
                guard opened < until else { continue }
                n += 1
                let id = "deal\(n)", amount = Double(Int.random(in: 20...3_000, using: &rng) * 1_000)
                let close = ValueFormats.formatDateTime(opened.addingTimeInterval(Double(Int.random(in: 30...80, using: &rng)) * 86_400)).prefix(10)
                var previous: String?
                for move in path(created: opened, until: until, amount: amount, using: &rng) {
                    out.append(StageTransition(id: "\(id)-\(out.count)", object: object, recordID: id, pipeline: "standard", from: previous, to: move.stage,
                                               at: ValueFormats.formatDateTime(move.at), actor: "generator", source: "demo", reason: move.reason,
                                               secondsInStage: nil, workingSecondsInStage: nil, back: move.reason != nil, firstTime: true,
                                               owner: "rep\(n % 8)", amount: amount, expectedClose: String(close)))
                    previous = move.stage
                }
            }
        }
        return out.sorted { $0.at < $1.at }
    }
}
