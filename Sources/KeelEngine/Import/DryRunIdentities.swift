import Foundation
import KeelCore
import KeelMatching
import Synchronization

/// What a dry run's earlier batches would have created (each batch is rolled back, so the database forgets them): each
/// record's values, found by its match keys, so that a later row repeating one is reported as the real run will treat
/// it. Kept compact — the values as canonical JSON, the keys as hashes (a collision only costs a comparison): a
/// 100,000-row dry run held 7 MB more than the real run.
final class DryRunIdentities: Sendable {
    private struct Created {
        var row: Int32
        var id: UUID
        var values: String
    }

    private let state = Mutex<(byKey: [Int: [Int32]], created: [Created])>(([:], []))

    /// The record a row before `row` would have created that `values` duplicates (scoring at the block threshold).
    func match(_ object: ObjectDefinition, _ values: [String: JSONValue], before row: Int, ahead: DuplicateCheck.PreparedIdentities?) -> Record? {
        guard let identity = DuplicateCheck.Identity(object, values, ahead: ahead) else { return nil }
        let keys = identity.matcher.keys(prepared: identity.prepared)
        let candidates = state.withLock { s in
            Set(keys.flatMap { s.byKey[$0.hashValue] ?? [] }).sorted().map { s.created[Int($0)] }.filter { $0.row < row }
        }
        for candidate in candidates {
            let stored = (try? JSONValue.parse(text: candidate.values))?.objectValue ?? [:]
            let other = identity.matcher.prepared(DuplicateCheck.text(stored, identity.matcher))
            guard identity.matcher.score(identity.prepared, other).probability >= identity.matcher.block else { continue }
            return Record(object: object.name, id: candidate.id.uuidString.lowercased(), version: 1, createdAt: "", updatedAt: "", createdBy: nil, updatedBy: nil,
                          values: stored)
        }
        return nil
    }

    /// Remembers a record the dry run created.
    func add(_ object: ObjectDefinition, row: Int, _ record: Record, ahead: DuplicateCheck.PreparedIdentities?) {
        guard let identity = DuplicateCheck.Identity(object, record.values, ahead: ahead), let id = UUID(uuidString: record.id) else { return }
        let keys = identity.matcher.keys(prepared: identity.prepared)
        let values = JSONValue.object(record.values.filter { !$0.value.isNull }).canonicalText()
        state.withLock { s in
            let index = Int32(s.created.count)
            s.created.append(Created(row: Int32(row), id: id, values: values))
            for key in keys { s.byKey[key.hashValue, default: []].append(index) }
        }
    }
}
