import KeelCore
import KeelStore

extension RecordService {
    /// Text fields the search box looks inside.
    static let searchedTextFields = ["name", "subject", "company"]

    /// Records matching a search box entry, grouped by object in catalog order: phones in any written form,
    /// emails and credit codes by their search keys; otherwise names (and subjects, lead companies) by substring.
    /// Records are read through `list`, so they pass the same access policies as any list.
    public func search(_ text: String, perObject: Int = 10, as principal: Principal) async throws -> [(object: ObjectDefinition, records: [Record])] {
        let q = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !q.isEmpty else { return [] }
        let keys = SearchKey.query(q)
        let hits = try await database.read { try await store.findKeys(exact: keys.exact, prefix: keys.phonePrefix, limit: ListQuery.maxInValues, on: $0) }
        let hitIDs = Dictionary(grouping: hits, by: \.object).mapValues { $0.map(\.id) }
        var groups: [(object: ObjectDefinition, records: [Record])] = []
        for object in try await metadata.catalog().objects {
            // Objects the reader may not read are not searched; nor are fields masked for them, which would reveal values.
            let plan = try await access.scope(principal, .read, object: object).plan
            if plan.deniesAll { continue }
            let keyed = object.fields.contains { SearchKey.isKeyed($0) && plan.fields[$0.name] != nil }
            var found: [Record] = []
            if let ids = hitIDs[object.name], !keyed {
                found += try await list(object.name, params: [("filter[id][in]", ids.joined(separator: ",")), ("limit", String(perObject))], as: principal).records
            }
            // An entry that found records by phone, email or credit code is not also looked for inside names.
            for field in Self.searchedTextFields where hits.isEmpty && object.field(field)?.type == .text && plan.fields[field] == nil
                && found.count < perObject {
                let more = try await list(object.name, params: [("filter[\(field)][contains]", q), ("limit", String(perObject))], as: principal).records
                found += more.filter { r in !found.contains { $0.id == r.id } }
            }
            if !found.isEmpty { groups.append((object, Array(found.prefix(perObject)))) }
        }
        return groups
    }
}
