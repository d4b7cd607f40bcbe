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
