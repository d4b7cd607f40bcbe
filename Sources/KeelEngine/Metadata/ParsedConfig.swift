import KeelCore
import KeelStore
import SQLKit
import Synchronization

/// One configuration document (lead routing, the score card…) parsed once per version: each write looks up the
/// version in force — one short query, so a change made by another Keel process is seen at once — and parses the
/// document again only when it or the catalog it was checked against changed.
final class ParsedConfig<Value: Sendable>: Sendable {
    let kind: String
    let id: String
    private let config = ConfigStore()
    private let latest = Mutex<(version: Int, catalog: Int, value: Value)?>(nil)

    init(kind: String, id: String) {
        (self.kind, self.id) = (kind, id)
    }

    /// The document in force parsed by `parse`, nil when none was saved.
    func value(catalog: Int = 0, on db: any SQLDatabase, parse: (ConfigItem) throws -> Value) async throws -> Value? {
        guard let version = try await config.currentVersion(kind: kind, id: id, on: db) else { return nil }
        if let hit = latest.withLock({ $0 }), hit.version == version, hit.catalog == catalog { return hit.value }
        guard let item = try await config.items(kind: kind, id: id, on: db).first else { return nil }
        let value = try parse(item)
        latest.withLock { $0 = (item.version, catalog, value) }
        return value
    }
}
