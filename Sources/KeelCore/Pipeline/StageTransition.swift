/// One move of a record from a stage to another (from nil when it was created in its stage): who moved it, when, why,
/// how long it had stayed in the stage it left (calendar and working time), and what the deal was then (owner,
/// amount, expected close date) — the history forecasts learn from (and are backtested on as it was then), and the
/// valid-advance report counts.
public struct StageTransition: Hashable, Sendable {
    public var id: String
    public var object: String
    public var recordID: String
    public var pipeline: String
    public var from: String?
    public var to: String
    public var at: String
    public var actor: String
    public var source: String
    public var reason: String?
    /// Time spent in `from`, in seconds; nil for the first entry.
    public var secondsInStage: Int?
    public var workingSecondsInStage: Int?
    /// A move back (to an earlier stage, or out of a closed one).
    public var back: Bool
    /// Whether the move met the stage's gate at the first attempt (no refused move into `to` before it).
    public var firstTime: Bool
    public var owner: String?
    public var amount: Double?
    /// The expected close date (`YYYY-MM-DD`) the deal had when it moved.
    public var expectedClose: String?

    public init(id: String, object: String, recordID: String, pipeline: String, from: String?, to: String, at: String, actor: String,
                source: String, reason: String?, secondsInStage: Int?, workingSecondsInStage: Int?, back: Bool, firstTime: Bool,
                owner: String?, amount: Double?, expectedClose: String? = nil) {
        self.id = id
        self.object = object
        self.recordID = recordID
        self.pipeline = pipeline
        self.from = from
        self.to = to
        self.at = at
        self.actor = actor
        self.source = source
        self.reason = reason
        self.secondsInStage = secondsInStage
        self.workingSecondsInStage = workingSecondsInStage
        self.back = back
        self.firstTime = firstTime
        self.owner = owner
        self.amount = amount
        self.expectedClose = expectedClose
    }
}
