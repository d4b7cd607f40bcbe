/// When to try again after a failed attempt.
public struct RetryPolicy: Sendable, Hashable {
    /// Seconds to wait after attempt 1, 2, …; when they run out, the job has failed for good.
    public var delays: [Double]

    public init(delays: [Double]) {
        self.delays = delays
    }

    /// The Standard Webhooks schedule (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, …): about three days in all.
    public static let webhooks = RetryPolicy(delays: [5, 300, 1800, 7200, 18000, 36000, 36000, 50400, 50400, 50400])
    /// Escalations, which matter only while the lead is fresh: 10 s, 1 min, 5 min, 15 min.
    public static let escalations = RetryPolicy(delays: [10, 60, 300, 900])
    /// Automation runs: 30 s, 2 min, 10 min, 1 h, 6 h.
    public static let automations = RetryPolicy(delays: [30, 120, 600, 3600, 21600])

    /// The wait after attempt `attempt` failed, nil when no attempt is left. A receiver's `Retry-After` is honoured
    /// when it asks for longer (capped at a day).
    public func delay(afterAttempt attempt: Int, retryAfter: Double? = nil) -> Double? {
        guard attempt >= 1, attempt <= delays.count else { return nil }
        return max(delays[attempt - 1], min(retryAfter ?? 0, 86400))
    }

    public var totalSeconds: Double { delays.reduce(0, +) }
}
