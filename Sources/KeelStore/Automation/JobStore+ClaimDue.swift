import Foundation
import KeelCore

extension JobStore {
    /// Takes up to `limit` due jobs of `kinds` for `worker`, each held for `lease` from `now`: a read first, so that an
    /// idle worker never takes the writer, then the claim. How every background service starts its round.
    public func claimDue(_ kinds: [String], worker: String, now: Date, lease: TimeInterval, limit: Int, in database: KeelDatabase) async throws -> [Job] {
        let at = ValueFormats.formatDateTime(now)
        guard try await database.read({ try await anyDue(now: at, kinds: kinds, on: $0) }) else { return [] }
        return try await database.write { db in
            try await claim(now: at, leaseUntil: ValueFormats.formatDateTime(now.addingTimeInterval(lease)), worker: worker, kinds: kinds, limit: limit, on: db)
        }
    }
}
