import Foundation

/// One unit of background work: an automation run for one event or time slot, a webhook delivery, an approval step.
public struct Job: Sendable, Hashable {
    public var id: String
    public var kind: String
    /// What the job belongs to: the automation or webhook endpoint id.
    public var ref: String
    /// Unique across all jobs: the same event or slot never makes two jobs.
    public var key: String
    public var version: Int
    public var object: String?
    public var recordID: String?
    public var payload: JSONValue
    /// How many automation runs led to this one (0: a person's change).
    public var depth: Int
    public var status: String
    public var attempts: Int
    public var nextAt: String
    public var lastError: String?
    public var createdAt: String
    public var finishedAt: String?

    public init(kind: String, ref: String, key: String, version: Int = 0, object: String? = nil, recordID: String? = nil,
                payload: JSONValue = .object([:]), depth: Int = 0, nextAt: String, createdAt: String) {
        self.id = RecordID.make()
        self.kind = kind
        self.ref = ref
        self.key = key
        self.version = version
        self.object = object
        self.recordID = recordID
        self.payload = payload
        self.depth = depth
        self.status = "pending"
        self.attempts = 0
        self.nextAt = nextAt
        self.createdAt = createdAt
    }
}

/// One try at a job: when, how long, how it ended (`ok`, `retry`, `failed`, `dead`, `skipped`) and why.
public struct JobAttempt: Sendable, Hashable {
    public var jobID: String
    public var attempt: Int
    public var startedAt: String
    public var durationMS: Int
    public var outcome: String
    public var httpStatus: Int?
    public var error: String?

    public init(jobID: String, attempt: Int, startedAt: String, durationMS: Int, outcome: String, httpStatus: Int? = nil, error: String? = nil) {
        self.jobID = jobID
        self.attempt = attempt
        self.startedAt = startedAt
        self.durationMS = durationMS
        self.outcome = outcome
        self.httpStatus = httpStatus
        self.error = error
    }
}
