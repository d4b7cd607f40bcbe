/// A record going through an approval process, pinned to the version of the process it started on.
public struct ApprovalRequest: Sendable, Hashable {
    public var id: String
    public var processID: String
    public var version: Int
    public var object: String
    public var recordID: String
    /// `pending`, `approved`, `rejected`.
    public var status: String
    /// The index of the step waiting for a decision.
    public var step: Int
    public var submittedBy: String
    public var createdAt: String
    public var decidedAt: String?
    public var decisions: [ApprovalDecision] = []
    /// Filled in for a reader: the waiting step's name, and whether the reader may decide it.
    public var stepName: String?
    public var canDecide = false

    public init(id: String, processID: String, version: Int, object: String, recordID: String, status: String, step: Int,
                submittedBy: String, createdAt: String, decidedAt: String? = nil) {
        self.id = id
        self.processID = processID
        self.version = version
        self.object = object
        self.recordID = recordID
        self.status = status
        self.step = step
        self.submittedBy = submittedBy
        self.createdAt = createdAt
        self.decidedAt = decidedAt
    }
}

public struct ApprovalDecision: Sendable, Hashable {
    public var step: Int
    public var stepName: String
    public var actor: String
    /// `approved`, `rejected`, or `skipped` (the step's condition did not hold).
    public var decision: String
    public var comment: String
    public var at: String

    public init(step: Int, stepName: String, actor: String, decision: String, comment: String, at: String) {
        self.step = step
        self.stepName = stepName
        self.actor = actor
        self.decision = decision
        self.comment = comment
        self.at = at
    }
}
