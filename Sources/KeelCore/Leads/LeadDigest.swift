import Foundation

/// The morning digest (线索晨报) one user gets on each working day: their own leads and, for whoever sees other reps'
/// leads, the team's — received since the last working day's opening, the median first response, leads still
/// waiting for a first contact and how many of them missed their SLA — the unassigned queue and the pool.
public struct LeadDigest: Sendable, Equatable {
    public struct Figures: Sendable, Equatable {
        public var received: Int
        public var medianResponse: TimeInterval?
        public var waiting: Int
        public var overdue: Int

        public init(received: Int, medianResponse: TimeInterval?, waiting: Int, overdue: Int) {
            (self.received, self.medianResponse, self.waiting, self.overdue) = (received, medianResponse, waiting, overdue)
        }

        var isEmpty: Bool { received == 0 && waiting == 0 }
    }

    /// The reader's own leads (nil: they own none and were given none).
    public var mine: Figures?
    /// The other reps' whose leads the reader may see (nil: none).
    public var team: Figures?
    /// Leads nobody owns outside the pool (for readers who see them).
    public var unassigned: Int
    /// Leads in the pool, open to claim.
    public var pool: Int

    public init(mine: Figures?, team: Figures?, unassigned: Int, pool: Int) {
        (self.mine, self.team, self.unassigned, self.pool) = (mine, team, unassigned, pool)
    }

    /// Nothing worth a message.
    public var isEmpty: Bool { (mine?.isEmpty ?? true) && (team?.isEmpty ?? true) && unassigned == 0 }

    public static func title(english: Bool) -> String { english ? "Lead digest" : "线索晨报" }

    /// The digest as sentences, in Chinese or English.
    public func lines(english: Bool) -> [String] {
        func figures(_ who: String, _ f: Figures) -> String {
            let median = f.medianResponse.map { ResponseStats.spoken($0, english: english) }
            if english {
                return "\(who): \(f.received) new since the last working day" + (median.map { ", median first response \($0)" } ?? "")
                    + "; \(f.waiting) waiting for a first contact" + (f.overdue > 0 ? ", \(f.overdue) of them past their SLA." : ".")
            }
            return "\(who)：上一工作日以来新分配 \(f.received) 条" + (median.map { "，首次响应中位 \($0)" } ?? "")
                + "；待首次联系 \(f.waiting) 条" + (f.overdue > 0 ? "，其中 \(f.overdue) 条已超时。" : "。")
        }
        var out: [String] = []
        if let mine, !mine.isEmpty { out.append(figures(english ? "You" : "您", mine)) }
        if let team, !team.isEmpty { out.append(figures(english ? "Team" : "团队", team)) }
        if unassigned > 0 { out.append(english ? "\(unassigned) leads have no owner: assign them in the inbox." : "\(unassigned) 条线索尚未分配，请在线索工作台分配。") }
        if mine != nil, pool > 0 { out.append(english ? "\(pool) leads in the pool are open to claim." : "公海有 \(pool) 条线索可领取。") }
        return out
    }
}
