import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Credibility of activities and of each rep's month, over the activities the reader may read: each activity's score
/// with its reasons, and per rep the activities logged, the average score, and the share backed up and logged on time.
public struct ActivityCredibility: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let timeZone: TimeZone

    public struct Month: Sendable {
        public var userID: String
        public var activities: Int
        public var average: Double
        public var backedUp: Double
        public var onTime: Double
    }

    public func credibility(of id: String, as principal: Principal, now: Date = Date()) async throws -> Credibility {
        let (activity, _) = try await records.get(StandardObjects.activity.name, id: id, as: principal)
        return try await database.read { try await scores([activity], now: now, on: $0)[id]! }
    }

    /// Per rep (owner), the month's activities (by when they happened).
    public func month(_ label: String, as principal: Principal, now: Date = Date()) async throws -> [Month] {
        guard let period = Forecast.Period(label, in: timeZone) else {
            throw KeelError.validation([Violation(field: "month", code: "invalid_period", message: "month is written YYYY-MM (2026-11).")])
        }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(StandardObjects.activity.name)
        let readable = try await access.scope(principal, .read, object: object)
        if readable.plan.deniesAll { throw AccessControl.denied(.read, object: object.name) }
        return try await database.read { db in
            var query = ListQuery(object: object)
            let occurred = object.field("occurred_at")!
            query.filters = [Filter(field: occurred, op: .gte, values: [.string(ValueFormats.formatDateTime(period.start))]),
                             Filter(field: occurred, op: .lt, values: [.string(ValueFormats.formatDateTime(period.end))])]
            query.limit = 100_000
            let activities = try await records.store.list(object, query: query, access: readable, on: db).records
            let scored = try await scores(activities, now: now, on: db)
            return Dictionary(grouping: activities) { $0.value("owner").stringValue ?? "" }.filter { !$0.key.isEmpty }.map { owner, mine in
                let list = mine.compactMap { scored[$0.id] }
                let n = Double(max(1, list.count))
                return Month(userID: owner, activities: list.count, average: (Double(list.reduce(0) { $0 + $1.score }) / n * 10).rounded() / 10,
                             backedUp: Double(list.filter { $0.reasons.contains { $0.code == "evidence" } }.count) / n,
                             onTime: Double(list.filter { $0.reasons.contains { $0.code == "timely" } }.count) / n)
            }.sorted { $0.userID < $1.userID }
        }
    }

    /// Each activity's credibility: its files' kinds and its deal's moves read in one query each.
    func scores(_ activities: [Record], now: Date, on db: any SQLDatabase) async throws -> [String: Credibility] {
        let attached = try await AttachmentStore().kinds(object: StandardObjects.activity.name, recordIDs: activities.map(\.id), on: db)
        let about = Array(Set(activities.compactMap { $0.value("related_to").stringValue }))
        let moves = Dictionary(grouping: try await records.stages.store.transitions(object: StandardObjects.opportunity.name, recordIDs: about, on: db), by: \.recordID)
        let lost = Set(PipelineSet.standardStages.filter { $0.outcome == .lost }.map(\.name))
        var out: [String: Credibility] = [:]
        for activity in activities {
            var moved: Bool?
            if let deal = activity.value("related_to").stringValue, let history = moves[deal],
               let at = activity.value("occurred_at").stringValue.flatMap(ValueFormats.parseDateTime) {
                let end = ValueFormats.formatDateTime(at.addingTimeInterval(Credibility.consequenceWindow)), start = ValueFormats.formatDateTime(at)
                let after = history.filter { $0.at > start && $0.at <= end }
                if after.contains(where: { $0.back || lost.contains($0.to) }) { moved = false }
                else if !after.isEmpty { moved = true }
            }
            out[activity.id] = Credibility.of(activity, attached: attached[activity.id] ?? [], dealMoved: moved)
        }
        return out
    }
}

extension ActivityCredibility {
    /// Working days without real follow-up (a call, visit, meeting, message or e-mail on the account, its contacts or
    /// its deals) after which a customer — an account with a deal — is dormant.
    public static let dormantAfter = 30

    public struct Dormant: Sendable {
        public var account: Record
        /// When the latest real follow-up happened; nil: never.
        public var last: String?
    }

    /// Customers the reader may read with no real follow-up for `dormantAfter` working days, longest silent first.
    public func dormant(as principal: Principal, now: Date = Date()) async throws -> [Dormant] {
        let catalog = try await metadata.catalog()
        let accounts = try catalog.require(StandardObjects.account.name)
        let readable = try await access.scope(principal, .read, object: accounts)
        if readable.plan.deniesAll { throw AccessControl.denied(.read, object: accounts.name) }
        let since = ValueFormats.formatDateTime(catalog.calendar.moment(workingDays: Self.dormantAfter, before: now, in: timeZone))
        return try await database.read { db in
            let silent = try await Self.silentCustomers(since: since, on: db)
            var query = ListQuery(object: accounts)
            var out: [Dormant] = []
            for chunk in stride(from: 0, to: silent.count, by: 500).map({ Array(silent[$0..<min($0 + 500, silent.count)]) }) {
                query.filters = [Filter(field: accounts.queryableField("id")!, op: .in, values: chunk.map { .string($0.id) })]
                query.limit = chunk.count
                let last = Dictionary(chunk.map { ($0.id, $0.last) }) { a, _ in a }
                out += try await records.store.list(accounts, query: query, access: readable, on: db).records.map { Dormant(account: $0, last: last[$0.id] ?? nil) }
            }
            return out.sorted { ($0.last ?? "") < ($1.last ?? "") }
        }
    }

    /// Tells each owner, once a week, how many of their customers are dormant. Returns how many owners were told.
    @discardableResult
    public func alertDormant(at now: Date = Date()) async throws -> Int {
        let catalog = try await metadata.catalog()
        let since = ValueFormats.formatDateTime(catalog.calendar.moment(workingDays: Self.dormantAfter, before: now, in: timeZone))
        let week = Int(now.timeIntervalSince1970 / (7 * 86_400))
        return try await database.write { db in
            let byOwner = Dictionary(grouping: try await Self.silentCustomers(since: since, on: db).filter { $0.owner != nil }, by: { $0.owner! })
            for (owner, silent) in byOwner {
                try await records.stages.notifier.tell(
                    zh: "有 \(silent.count) 个客户超过 \(Self.dormantAfter) 个工作日没有真实跟进（电话、拜访、会议、消息或邮件）",
                    en: "\(silent.count) of your customers have had no real follow-up (call, visit, meeting, message or e-mail) for \(Self.dormantAfter) working days",
                    to: [owner], object: StandardObjects.account.name, recordID: nil, key: "dormant:\(week)", at: now, on: db)
            }
            return byOwner.count
        }
    }

    /// Accounts with a deal whose latest real follow-up (on them, their contacts or their deals) is before `since`, or none.
    static func silentCustomers(since: String, on db: any SQLDatabase) async throws -> [(id: String, owner: String?, last: String?)] {
        try await db.raw("""
            SELECT a.id, a.owner, (SELECT MAX(x.occurred_at) FROM activities x WHERE x.type <> 'note' AND (x.related_to = a.id
                OR x.related_to IN (SELECT c.id FROM contacts c WHERE c.account = a.id) OR x.related_to IN (SELECT o.id FROM opportunities o WHERE o.account = a.id))) AS last
            FROM accounts a WHERE EXISTS (SELECT 1 FROM opportunities d WHERE d.account = a.id)
            """).all().compactMap { row in
            let last = try row.decode(column: "last", as: String?.self)
            guard last.map({ $0 < since }) ?? true else { return nil }
            return (try row.decode(column: "id", as: String.self), try row.decode(column: "owner", as: String?.self), last)
        }
    }
}
