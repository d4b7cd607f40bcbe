import Foundation
import KeelCore
import KeelStore
import SQLKit

/// How reps answer their leads, for whoever may read those leads: the assignments behind the response heatmap and
/// the efficiency figures, and the morning digest each user gets on a working day.
extension RecordService {
    /// The reps whose figures `principal` may see: the owners of the leads they may read.
    public func leadOwners(visibleTo principal: Principal) async throws -> [String] {
        try await aggregate(StandardObjects.lead.name, groupBy: ["owner"], params: [], as: principal).compactMap { $0.keys.first?.stringValue }
    }

    /// The assignments made since `since` to the reps whose leads `principal` may read.
    public func responseSamples(visibleTo principal: Principal, since: Date) async throws -> [ResponseStats.Sample] {
        try await responseSamples(of: try await leadOwners(visibleTo: principal), since: since)
    }

    func responseSamples(of owners: [String], since: Date) async throws -> [ResponseStats.Sample] {
        try await database.read { db in try await router.store.responseSamples(owners: owners, since: ValueFormats.formatDateTime(since), on: db) }
    }

    /// One user's digest at `date`: what came in since the previous working day's opening `since`.
    public func leadDigest(for principal: Principal, since: Date, at date: Date) async throws -> LeadDigest {
        let owners = try await leadOwners(visibleTo: principal)
        let me = principal.userID
        let samples = try await responseSamples(of: owners, since: since).filter { $0.assignedAt < date }
        func perOwner(_ params: [(String, String)]) async throws -> [String: Int] {
            Dictionary(try await aggregate(StandardObjects.lead.name, groupBy: ["owner"], params: [("filter[status][eq]", "new")] + params, as: principal)
                .compactMap { row in row.keys.first?.stringValue.map { ($0, row.count) } }, uniquingKeysWith: +)
        }
        let waiting = try await perOwner([]), overdue = try await perOwner([("filter[sla_breached_at][isNull]", "false")])
        func figures(_ who: (String) -> Bool) -> LeadDigest.Figures? {
            guard owners.contains(where: who) else { return nil }
            let mine = samples.filter { who($0.owner) }
            return LeadDigest.Figures(received: mine.count, medianResponse: ResponseStats.median(mine.compactMap(\.responseTime)),
                                      waiting: waiting.filter { who($0.key) }.values.reduce(0, +), overdue: overdue.filter { who($0.key) }.values.reduce(0, +))
        }
        let unassigned = principal.role == .member ? 0 : try await aggregate(StandardObjects.lead.name, groupBy: ["status"], params: [
            ("filter[owner][isNull]", "true"), ("filter[pooled_at][isNull]", "true"), ("filter[status][in]", "new,contacted"),
        ], as: principal).reduce(0) { $0 + $1.count }
        let pool = try await database.read { try await router.store.poolSize(on: $0) }
        return LeadDigest(mine: figures { $0 == me }, team: figures { $0 != me }, unassigned: unassigned, pool: pool)
    }

    public static let digestKind = "lead_digest"

    /// In a working day's hours: sends each active user with something to read their digest, once per day whatever the
    /// number of processes (the day's job key is taken first). Returns the digests sent.
    @discardableResult
    public func sendLeadDigests(at date: Date = Date()) async throws -> Int {
        let catalog = try await metadata.catalog()
        let calendar = catalog.calendar
        guard let (today, previous) = calendar.openings(before: date, in: access.timeZone),
              date.timeIntervalSince(today) < Double((calendar.closes - calendar.opens) * 60) else { return 0 }
        let day = ValueFormats.formatDateTime(today)
        let (routing, sent, users) = try await database.read { db in
            (try await router.document(on: db), try await JobStore(dialect: database.dialect).jobs(kind: Self.digestKind, ref: day, limit: 1, on: db),
             try await directory.users(on: db))
        }
        guard routing?.enabled == true, sent.isEmpty else { return 0 }
        var digests: [(String, LeadDigest)] = []
        for user in users where user.status == .active {
            let digest = try await leadDigest(for: user.principal, since: previous, at: date)
            if !digest.isEmpty { digests.append((user.id, digest)) }
        }
        let now = ValueFormats.formatDateTime(date)
        return try await database.write { db in
            let jobs = JobStore(dialect: database.dialect)
            let job = Job(kind: Self.digestKind, ref: day, key: "\(Self.digestKind):\(day)", nextAt: now, createdAt: now)
            guard try await jobs.enqueue(job, on: db) else { return 0 }
            for (user, digest) in digests {
                let text = { (english: Bool) in LeadDigest.title(english: english) + (english ? ": " : "：") + digest.lines(english: english).joined(separator: " ") }
                try await router.notifier.tell(zh: text(false), en: text(true), to: [user], object: nil, recordID: nil,
                                               key: "\(Self.digestKind):\(day):\(user)", at: date, on: db)
            }
            try await jobs.finish(job.id, status: "done", error: nil, at: now, on: db)
            return digests.count
        }
    }
}
