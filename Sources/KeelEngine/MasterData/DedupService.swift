import Foundation
import KeelCore
import KeelMatching
import KeelStore

/// Cleaning what is already there: a background run reads every record of an object, finds clusters of duplicates
/// with the matching engine (blocking, comparison, weights learned by EM, clustering) and puts each cluster in a
/// review queue with its evidence. A person merges a cluster or marks it "not duplicates", which later runs remember.
public final class DedupService: Sendable {
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let clock: any KeelClock
    let jobs: JobStore
    let store = DedupStore()

    public static let kind = "dedup"
    /// How long a worker holds a run before another may take it over (a run whose process died starts again).
    static let lease: TimeInterval = 600

    init(database: KeelDatabase, metadata: MetadataService, records: RecordService, access: AccessControl, clock: any KeelClock) {
        self.database = database
        self.metadata = metadata
        self.records = records
        self.access = access
        self.clock = clock
        self.jobs = JobStore(dialect: database.dialect)
    }

    /// The fields a batch run compares: the identity fields plus the contact details that tell records apart.
    public static func fields(for object: ObjectDefinition) -> [IdentityMatcher.Field] {
        let extra: [IdentityMatcher.Field] = [.init("phone", .phone), .init("email", .email), .init("address", .address), .init("company", .company)]
        var fields = DuplicateCheck.matcher(for: object)?.fields ?? []
        for f in extra where object.field(f.field) != nil && !fields.contains(where: { $0.field == f.field }) { fields.append(f) }
        return fields
    }

    /// Queues a run over every record of the object (admins: it reads records the caller may not see).
    public func start(_ objectName: String, as principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        let object = try await metadata.catalog().require(objectName)
        guard !Self.fields(for: object).isEmpty else {
            throw KeelError(.unprocessable, code: "no_identity", message: "\(object.name) has no fields to find duplicates by.")
        }
        let id = RecordID.make()
        let now = ValueFormats.formatDateTime(clock.now())
        return try await database.write { db in
            try await store.insertRun(id: id, object: object.name, by: principal.userID, at: now, on: db)
            try await jobs.enqueue(Job(kind: Self.kind, ref: id, key: "dedup:" + id, object: object.name, nextAt: now, createdAt: now), on: db)
            return try await store.run(id, on: db) ?? .null
        }
    }

    public func run(_ id: String, as principal: Principal) async throws -> JSONValue {
        try await access.require(principal, .manageMetadata)
        guard let run = try await database.read({ try await store.run(id, on: $0) }) else { throw KeelError.notFound("dedup run \(id)") }
        return run
    }

    /// The newest run of the object and the open clusters, strongest first, with the records as the caller may see them.
    public func queue(_ objectName: String, limit: Int = 50, as principal: Principal) async throws -> JSONValue {
        let object = try await metadata.catalog().require(objectName)
        let (run, clusters, open) = try await database.read { db in
            (try await store.latestRun(object: object.name, on: db), try await store.clusters(object: object.name, status: "open", limit: limit, on: db),
             try await store.countClusters(object: object.name, status: "open", on: db))
        }
        var data: [JSONValue] = []
        for cluster in clusters {
            var c = cluster.objectValue ?? [:]
            let ids = cluster["records"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let visible = try await records.list(object.name, params: [("filter[id][in]", ids.joined(separator: ",")), ("limit", "\(ids.count)")],
                                                 as: principal).records
            c["records"] = .array(ids.map { id in visible.first { $0.id == id }.map { $0.json(object: object) } ?? ["id": .string(id), "_hidden": true] })
            data.append(.object(c))
        }
        return ["run": run ?? .null, "open": JSONValue(open), "data": .array(data)]
    }

    /// Merges a cluster into `survivor` (default: its most complete record) through the record service — its
    /// permissions, checks and undo. Records gone since the run are left out; a cluster left with one is closed as stale.
    public func merge(_ objectName: String, cluster id: String, survivor: String?, context: WriteContext) async throws -> JSONValue {
        let (cluster, object) = try await openCluster(objectName, id)
        let present = try await database.read { db in
            var out: [Record] = []
            for rid in cluster["records"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
                if let r = try await RecordStore(dialect: self.database.dialect).fetch(object, id: rid, on: db) { out.append(r) }
            }
            return out
        }
        guard present.count >= 2 else {
            _ = try await database.write { try await self.store.decide(id, status: "stale", by: context.principal.userID, at: self.now, on: $0) }
            throw KeelError(.conflict, code: "cluster_stale", message: "The records of this cluster were merged or deleted since; nothing is left to merge.")
        }
        if let survivor, !present.contains(where: { $0.id == survivor }) {
            throw KeelError.validation([Violation(field: "survivor", code: "invalid_choice", message: "The survivor must be one of the cluster's records.")])
        }
        let keep = survivor ?? Survivorship.ordered(object, present, rule: .mostComplete, sourceRank: [:])[0].id
        let request = MergeRequest(survivor: keep, merged: present.map(\.id).filter { $0 != keep }, versions: [:], rule: .mostComplete,
                                   sourcePriority: [], choices: [:])
        let (merge, record) = try await records.merge(object.name, request, context: context)
        _ = try await database.write { try await self.store.decide(id, status: "merged", mergeID: merge["id"]?.stringValue, by: context.principal.userID, at: self.now, on: $0) }
        return ["merge": merge, "record": record.json(object: object)]
    }

    /// Marks every pair of the cluster as not duplicates (remembered: later runs and the duplicate check leave them be).
    public func markDistinct(_ objectName: String, cluster id: String, as principal: Principal) async throws {
        try await access.require(principal, .manageMetadata)
        let (cluster, object) = try await openCluster(objectName, id)
        let ids = cluster["records"]?.arrayValue?.compactMap(\.stringValue) ?? []
        try await database.write { db in
            for (i, a) in ids.enumerated() {
                for b in ids[(i + 1)...] { try await MergeStore().markDistinct(object: object.name, a, b, by: principal.userID, at: self.now, on: db) }
            }
            guard try await self.store.decide(id, status: "distinct", by: principal.userID, at: self.now, on: db) else {
                throw KeelError(.conflict, code: "cluster_decided", message: "This cluster was already decided.")
            }
        }
    }

    func openCluster(_ objectName: String, _ id: String) async throws -> (JSONValue, ObjectDefinition) {
        guard let cluster = try await database.read({ try await store.cluster(id, on: $0) }), cluster["object"] == .string(objectName) else {
            throw KeelError.notFound("\(objectName) cluster \(id)")
        }
        guard cluster["status"] == "open" else {
            throw KeelError(.conflict, code: "cluster_decided", message: "This cluster was already decided (\(cluster["status"]?.stringValue ?? "")).")
        }
        return (cluster, try await metadata.catalog().require(cluster["object"]?.stringValue ?? ""))
    }

    var now: String { ValueFormats.formatDateTime(clock.now()) }

    // MARK: Running

    /// Runs the due runs (one at a time: each uses every core).
    public func runDue(worker: String) async throws -> Int {
        let claimed = try await jobs.claimDue([Self.kind], worker: worker, now: clock.now(), lease: Self.lease, limit: 1, in: database)
        for job in claimed {
            do {
                try await execute(runID: job.ref, object: job.object ?? "")
                try await database.write { try await self.jobs.finish(job.id, status: "done", error: nil, at: self.now, on: $0) }
            } catch {
                let message = (error as? KeelError)?.message ?? String(describing: error)
                try await database.write { db in
                    try await self.store.progress(job.ref, status: "failed", phase: "failed", done: 0, total: 0, error: message, finishedAt: self.now, on: db)
                    try await self.jobs.finish(job.id, status: "failed", error: message, at: self.now, on: db)
                }
            }
        }
        return claimed.count
    }

    /// Reads the records page by page (progress after each), matches them, and queues the clusters. Started again
    /// after a crash it does the same work and queues nothing twice (a cluster is known by its records).
    func execute(runID: String, object objectName: String) async throws {
        let object = try await metadata.catalog().require(objectName)
        let fields = Self.fields(for: object)
        let everything = AccessScope(plan: AccessPlan(rows: .always), object: object, userID: "", now: "")
        let total = try await database.read { try await self.records.store.filledCounts(object, fields: [], access: everything, on: $0).total }
        var ids: [String] = []
        var rows: [[String]] = []
        var query = ListQuery(object: object)
        query.limit = ListQuery.maxLimit
        repeat {
            let page = try await database.read { try await self.records.store.list(object, query: query, access: everything, on: $0) }
            for r in page.records {
                ids.append(r.id)
                rows.append(fields.map { r.value($0.field).stringValue ?? "" })
            }
            try await database.write { try await self.store.progress(runID, status: "running", phase: "reading", done: ids.count, total: total, on: $0) }
            query.cursor = page.nextCursor.flatMap(Cursor.decode)
        } while query.cursor != nil
        try await database.write { try await self.store.progress(runID, status: "running", phase: "matching", done: 0, total: ids.count, on: $0) }
        let engine = Deduplicator(roles: fields.map(\.role))
        let result = engine.run(rows)
        let distinct = try await database.read { try await MergeStore().distinctPairs(object: object.name, on: $0) }
        var members: [Int: [Int]] = [:]
        for (i, root) in result.cluster.enumerated() { members[root, default: []].append(i) }
        let groups = members.values.filter { $0.count > 1 }.map { $0.sorted() }.sorted { $0[0] < $1[0] }
        // The links that made each cluster: a row with little evidence joins its entity on a weaker link (half the threshold).
        let pairsByRoot = Dictionary(grouping: result.pairs.filter { result.cluster[$0.a] == result.cluster[$0.b] && $0.probability >= engine.thresholds.review / 2 }) {
            result.cluster[$0.a]
        }
        var queued = 0
        for group in groups {
            let groupIDs = group.map { ids[$0] }
            // A cluster whose every pair someone said are different people or companies is not asked again.
            let pairs = (pairsByRoot[result.cluster[group[0]]] ?? []).sorted { $0.probability > $1.probability }
            if !pairs.isEmpty, pairs.allSatisfy({ distinct.contains(MergeStore.pairKey(ids[$0.a], ids[$0.b])) }) { continue }
            let evidence: [JSONValue] = pairs.prefix(10).map { pair in
                let agreements = engine.pattern(of: pair.code)
                return ["a": .string(ids[pair.a]), "b": .string(ids[pair.b]), "score": JSONValue((pair.probability * 1000).rounded() / 1000),
                        "fields": .array(fields.indices.filter { agreements[$0] != .missing }.map {
                            ["field": .string(fields[$0].field), "role": .string(fields[$0].role.rawValue), "match": .string(agreements[$0].label)]
                        })]
            }
            let score = pairs.first?.probability ?? 0
            try await database.write { db in
                try await self.store.insertCluster(id: RecordID.make(), runID: runID, object: object.name, recordIDs: groupIDs, score: score,
                                                   evidence: .array(evidence), at: self.now, on: db)
            }
            queued += 1
        }
        let duplicates = groups.reduce(0) { $0 + $1.count - 1 }
        let stats: JSONValue = ["records": JSONValue(ids.count), "pairsCompared": JSONValue(result.pairs.count),
                                "clusters": JSONValue(groups.count), "queued": JSONValue(queued),
                                "duplicateRate": JSONValue(ids.isEmpty ? 0 : (Double(duplicates) / Double(ids.count) * 10000).rounded() / 10000)]
        try await database.write { db in
            try await self.store.progress(runID, status: "done", phase: "done", done: ids.count, total: ids.count, stats: stats, finishedAt: self.now, on: db)
        }
    }
}
