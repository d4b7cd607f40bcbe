import Foundation

/// One deal's stage moves in time order, with their moments read once: what a forecast learns from and what it
/// reconstructs a past pipeline with.
public struct DealTimeline: Sendable {
    public var id: String
    public var moves: [StageTransition]
    public var dates: [Date]

    /// `moves` of one record, oldest first.
    public init(id: String, moves: [StageTransition]) {
        self.id = id
        self.moves = moves
        self.dates = moves.map { ValueFormats.parseDateTime($0.at) ?? .distantPast }
    }

    /// Every record's timeline from transitions in time order.
    public static func group(_ transitions: [StageTransition]) -> [DealTimeline] {
        var order: [String] = [], byRecord: [String: [StageTransition]] = [:]
        for t in transitions {
            if byRecord[t.recordID] == nil { order.append(t.recordID) }
            byRecord[t.recordID, default: []].append(t)
        }
        return order.map { DealTimeline(id: $0, moves: byRecord[$0]!) }
    }

    /// The deal as it was just before `moment`: its latest move then; nil when it did not exist yet.
    public func snapshot(before moment: Date) -> (move: StageTransition, since: Date)? {
        var found: Int?
        for i in dates.indices where dates[i] < moment { found = i }
        return found.map { (moves[$0], dates[$0]) }
    }

    /// The moves into a stage of `outcome` within [from, to), with their amounts.
    public func entries(into outcome: PipelineStage.Outcome, from: Date, to: Date, outcomes: [String: PipelineStage.Outcome]) -> [StageTransition] {
        moves.indices.filter { dates[$0] >= from && dates[$0] < to && outcomes[moves[$0].to] == outcome }.map { moves[$0] }
    }
}
