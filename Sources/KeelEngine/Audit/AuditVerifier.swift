import KeelCore
import KeelStore

/// Walks the whole field history and checks every link of the hash chain.
public struct AuditVerifier: Sendable {
    public struct Report: Sendable, Equatable {
        public var entries: Int
        /// The first entry whose hash or link does not match, and why.
        public var brokenAt: Int64?
        public var reason: String?
        public var ok: Bool { brokenAt == nil }
    }

    let database: KeelDatabase

    public init(database: KeelDatabase) {
        self.database = database
    }

    public func verify(batchSize: Int = 2_000) async throws -> Report {
        let journal = JournalStore(dialect: database.dialect)
        var previous = ""
        var after: Int64 = 0
        var count = 0
        while true {
            let batch = try await database.read { try await journal.chain(afterSeq: after, limit: batchSize, on: $0) }
            if batch.isEmpty { break }
            for entry in batch {
                if entry.prevHash != previous {
                    return Report(entries: count, brokenAt: entry.seq, reason: "entry \(entry.seq) does not follow the entry before it (one was removed or changed)")
                }
                if Digest.sha256Hex(entry.hashInput) != entry.hash {
                    return Report(entries: count, brokenAt: entry.seq, reason: "entry \(entry.seq) was altered after it was written")
                }
                previous = entry.hash
                count += 1
                after = entry.seq
            }
        }
        return Report(entries: count, brokenAt: nil, reason: nil)
    }
}
