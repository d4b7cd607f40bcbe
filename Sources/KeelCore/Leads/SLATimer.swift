import Foundation

/// One tier of one response target of one assignment: pending until it fires at `dueAt`, or until the target is met
/// or the lead changes hands (then it is closed, never fired).
public struct SLATimer: Sendable, Hashable {
    public enum Status: String, Sendable { case pending, fired, met, cancelled }

    public var id: String
    public var leadID: String
    public var ownerID: String
    /// The assignment the timer counts from.
    public var assignedAt: String
    public var event: ResponseSLA.Event
    public var minutes: Int
    /// When the target is missed.
    public var deadline: String
    public var tier: ResponseSLA.Tier
    public var robot: String?
    /// When this tier fires: the deadline for tier 1, later for the others.
    public var dueAt: String
    public var status: Status
    /// When it fired, was met or was cancelled.
    public var closedAt: String?
    /// What firing did (sent, or why not).
    public var outcome: String?

    public init(id: String = RecordID.make(), leadID: String, ownerID: String, assignedAt: String, event: ResponseSLA.Event, minutes: Int, deadline: String,
                tier: ResponseSLA.Tier, robot: String? = nil, dueAt: String, status: Status = .pending, closedAt: String? = nil, outcome: String? = nil) {
        (self.id, self.leadID, self.ownerID, self.assignedAt, self.event, self.minutes, self.deadline) = (id, leadID, ownerID, assignedAt, event, minutes, deadline)
        (self.tier, self.robot, self.dueAt, self.status, self.closedAt, self.outcome) = (tier, robot, dueAt, status, closedAt, outcome)
    }

    public var target: ResponseSLA.Target { ResponseSLA.Target(event, minutes: minutes) }
}

extension SLATimer {
    public var json: JSONValue {
        ["id": .string(id), "event": .string(event.rawValue), "minutes": JSONValue(minutes), "tier": JSONValue(tier.rawValue),
         "owner": .string(ownerID), "assignedAt": .string(assignedAt), "deadline": .string(deadline), "dueAt": .string(dueAt),
         "status": .string(status.rawValue), "closedAt": closedAt.map(JSONValue.string) ?? .null, "outcome": outcome.map(JSONValue.string) ?? .null]
    }
}

/// Where a lead stands against its response SLA: the current assignment's targets — the next deadline, the ones
/// missed, whether all are met.
public struct SLAStanding: Sendable, Equatable {
    public enum State: String, Sendable { case none, onTrack = "on_track", breached, met }

    public var state: State
    /// The earliest deadline still open, with its target.
    public var next: (target: ResponseSLA.Target, deadline: String)?
    /// The targets missed.
    public var missed: [ResponseSLA.Target]

    public static func == (a: SLAStanding, b: SLAStanding) -> Bool {
        a.state == b.state && a.missed == b.missed && a.next?.target == b.next?.target && a.next?.deadline == b.next?.deadline
    }

    /// The standing the timers of one lead give (their latest assignment only).
    public init(_ timers: [SLATimer]) {
        let latest = timers.map(\.assignedAt).max()
        let current = timers.filter { $0.assignedAt == latest && $0.tier == .notify && $0.status != .cancelled }
        missed = current.filter { $0.status == .fired }.map(\.target)
        next = current.filter { $0.status == .pending }.min { $0.deadline < $1.deadline }.map { ($0.target, $0.deadline) }
        state = current.isEmpty ? .none : !missed.isEmpty ? .breached : next != nil ? .onTrack : .met
    }

    public var json: JSONValue {
        ["state": .string(state.rawValue), "nextDeadline": next.map { .string($0.deadline) } ?? .null,
         "nextEvent": next.map { .string($0.target.event.rawValue) } ?? .null,
         "missed": .array(missed.map { ["event": .string($0.event.rawValue), "minutes": JSONValue($0.minutes)] })]
    }
}
