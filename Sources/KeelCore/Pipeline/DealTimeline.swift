import Foundation

/// One deal's stage moves in time order, kept small (a forecast holds every deal's in memory): the stage entered,
/// when, and what the deal was then.
public struct DealTimeline: Sendable {
    public struct Move: Sendable {
        public var stage: String
        public var at: Date
        public var owner: String?
        public var amount: Double?
        public var expectedClose: String?

        public init(stage: String, at: Date, owner: String?, amount: Double?, expectedClose: String?) {
            (self.stage, self.at, self.owner, self.amount, self.expectedClose) = (stage, at, owner, amount, expectedClose)
        }
    }

    public var id: String
    public var moves: [Move]

    public init(id: String, moves: [Move]) {
        self.id = id
        self.moves = moves
    }

    /// Every record's timeline from its transitions (in time order), owners and stage names shared between moves.
    public static func group(_ transitions: [StageTransition]) -> [DealTimeline] {
        var order: [String] = [], byRecord: [String: [Move]] = [:], shared: [String: String] = [:]
        func intern(_ s: String?) -> String? {
            guard let s else { return nil }
            if let known = shared[s] { return known }
            shared[s] = s
            return s
        }
        for t in transitions {
            if byRecord[t.recordID] == nil { order.append(t.recordID) }
            byRecord[t.recordID, default: []].append(Move(stage: intern(t.to)!, at: ValueFormats.parseDateTime(t.at) ?? .distantPast, owner: intern(t.owner),
                                                          amount: t.amount, expectedClose: t.expectedClose))
        }
        return order.map { DealTimeline(id: $0, moves: byRecord[$0]!) }
    }

    /// The deal as it was just before `moment`: its latest move then, nil when it did not exist yet.
    public func snapshot(before moment: Date) -> Move? {
        moves.last { $0.at < moment }
    }

    /// The moves into a stage of `outcome` within [from, to).
    public func entries(into outcome: PipelineStage.Outcome, from: Date, to: Date, outcomes: [String: PipelineStage.Outcome]) -> [Move] {
        moves.filter { $0.at >= from && $0.at < to && outcomes[$0.stage] == outcome }
    }
}
