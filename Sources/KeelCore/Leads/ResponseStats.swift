import Foundation

/// How fast and how well reps answer the leads they are given, from their assignments: per rep the leads received,
/// the median first response, the share followed up within 72 hours and the share converted within 30 days; and
/// the median first response per rep and hour of arrival (the response heatmap).
public enum ResponseStats {
    /// One assignment of a lead to a rep: when it came, when the rep first answered (an activity logged on the lead,
    /// or its status leaving "new") and when the lead was converted while it was theirs.
    public struct Sample: Sendable, Equatable {
        public var owner: String
        public var channel: String?
        public var assignedAt: Date
        public var respondedAt: Date?
        public var convertedAt: Date?

        public init(owner: String, channel: String?, assignedAt: Date, respondedAt: Date?, convertedAt: Date?) {
            (self.owner, self.channel, self.assignedAt, self.respondedAt, self.convertedAt) = (owner, channel, assignedAt, respondedAt, convertedAt)
        }

        /// Seconds from the assignment to the first response, if any (to the millisecond, as moments are kept).
        public var responseTime: TimeInterval? { respondedAt.map { max(0, ($0.timeIntervalSince(assignedAt) * 1000).rounded() / 1000) } }
    }

    /// A share: `count` of `of`; nil as a ratio when there is nothing to count.
    public struct Share: Sendable, Equatable {
        public var count: Int
        public var of: Int
        public init(count: Int, of: Int) { (self.count, self.of) = (count, of) }
        public var ratio: Double? { of == 0 ? nil : Double(count) / Double(of) }
    }

    /// One rep's figures over a window of assignments.
    public struct Efficiency: Sendable, Equatable {
        public var received: Int
        /// The median time to the first response of the leads answered, in seconds.
        public var medianResponse: TimeInterval?
        /// Of the leads given at least 72 hours ago (or answered sooner), those answered within 72 hours.
        public var followedUp: Share
        /// Of the leads received, those converted within 30 days of their assignment (so far, for recent ones).
        public var converted: Share

        /// A rep given no lead in the window.
        public static let none = Efficiency(received: 0, medianResponse: nil, followedUp: Share(count: 0, of: 0), converted: Share(count: 0, of: 0))
    }

    public static let followUpWindow: TimeInterval = 72 * 3600
    public static let conversionWindow: TimeInterval = 30 * 86400

    /// Per rep, the figures of the assignments made in `from ..< to`, as they stand at `now`.
    public static func efficiency(_ samples: [Sample], from: Date, to: Date, now: Date) -> [String: Efficiency] {
        Dictionary(grouping: samples.filter { $0.assignedAt >= from && $0.assignedAt < to }, by: \.owner).mapValues { mine in
            let answered = mine.compactMap(\.responseTime)
            let due = mine.filter { now.timeIntervalSince($0.assignedAt) >= followUpWindow || ($0.responseTime ?? .infinity) <= followUpWindow }
            return Efficiency(
                received: mine.count, medianResponse: median(answered),
                followedUp: Share(count: due.filter { ($0.responseTime ?? .infinity) <= followUpWindow }.count, of: due.count),
                converted: Share(count: mine.filter { s in s.convertedAt.map { $0.timeIntervalSince(s.assignedAt) <= conversionWindow } ?? false }.count,
                                 of: mine.count))
        }
    }

    /// Per rep and hour of arrival (0–23 in `zone`), the median first response in seconds of the leads answered; hours
    /// with no answered lead are absent.
    public static func heatmap(_ samples: [Sample], zone: TimeZone) -> [String: [Int: TimeInterval]] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return Dictionary(grouping: samples, by: \.owner).mapValues { mine in
            Dictionary(grouping: mine, by: { calendar.component(.hour, from: $0.assignedAt) }).compactMapValues { median($0.compactMap(\.responseTime)) }
        }
    }

    /// The middle value (the mean of the two middle ones for an even count); nil for none.
    public static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted(), mid = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    }

    /// A duration as people say it: "45 秒", "25 分钟", "2.5 小时", "1.5 天" (or "45 s", "25 min", "2.5 h", "1.5 days");
    /// `compact` for a small cell: "25分", "2.5时", "1.5天" ("25m", "2.5h", "1.5d").
    public static func spoken(_ seconds: TimeInterval, english: Bool, compact: Bool = false) -> String {
        func one(_ x: Double) -> String { x >= 10 || x.rounded() == x ? String(Int(x.rounded())) : String(format: "%.1f", x) }
        let units = compact ? (english ? ["s", "m", "h", "d"] : ["秒", "分", "时", "天"])
            : (english ? [" s", " min", " h", " days"] : [" 秒", " 分钟", " 小时", " 天"])
        switch seconds {
        case ..<59.5: return String(Int(seconds.rounded())) + units[0]
        case ..<3570: return String(Int((seconds / 60).rounded())) + units[1]
        case ..<86400: return one(seconds / 3600) + units[2]
        default: return one(seconds / 86400) + units[3]
        }
    }
}
