import Foundation
import KeelCore
import KeelMatching
import KeelStore
import SQLKit

/// Duplicate prevention at the source. Each record of an object with identity fields is indexed under its identity
/// keys (`match_keys`, in the record's own transaction); a new or changed record is scored against the records sharing
/// a key, and one scoring at or above the block threshold is refused with 409 `duplicate`, naming the candidates.
struct DuplicateCheck: Sendable {
    let store: RecordStore
    let keys = MatchKeyStore()
    let merges = MergeStore()
    /// The most candidates scored per check.
    static let candidateLimit = 20

    struct Candidate: Sendable {
        var id: String
        /// The candidate's name, nil when the writer may not read the record.
        var name: String?
        var score: IdentityMatcher.Score

        /// A record the writer may not read shows only its id, to ask for access with (`POST /api/v1/access-requests`):
        /// neither its name nor how well, or on which fields, it matched.
        var json: JSONValue {
            guard let name else { return ["id": .string(id), "hidden": true] }
            return ["id": .string(id), "name": .string(name), "score": JSONValue((score.probability * 1000).rounded() / 1000),
                    "reasons": .array(score.reasons.map { ["field": .string($0.field), "role": .string($0.role.rawValue), "match": .string($0.agreement.label)] })]
        }
    }

    /// The identity fields of an object — the admin's rules if set, else company full name (and the region in it) +
    /// credit code; a person's name + ID number + phones + e-mail — restricted to the fields the object has; nil for
    /// objects without identity.
    static func matcher(for object: ObjectDefinition) -> IdentityMatcher? {
        if let rules = object.identityRules {
            let fields = rules.fields.compactMap { f in FieldRole(rawValue: f.role).map { IdentityMatcher.Field(f.field, $0) } }
                .filter { object.field($0.field) != nil }
            return fields.isEmpty ? nil : IdentityMatcher(fields: fields, block: rules.block, warn: rules.warn)
        }
        let person: [IdentityMatcher.Field] = [.init("name", .name), .init("id_number", .idNumber), .init("mobile", .phone),
                                               .init("phone", .phone), .init("email", .email), .init("account", .employer), .init("company", .employer)]
        let wanted: [IdentityMatcher.Field] = switch object.name {
        case StandardObjects.account.name: [.init("name", .company), .init("name", .region), .init("credit_code", .creditCode)]
        case StandardObjects.contact.name, StandardObjects.lead.name: person
        default: []
        }
        let present = wanted.filter { object.field($0.field) != nil }
        return present.isEmpty ? nil : IdentityMatcher(fields: present)
    }

    static func text(_ values: [String: JSONValue], _ matcher: IdentityMatcher) -> [String: String] {
        var out: [String: String] = [:]
        for f in matcher.fields { if let s = values[f.field]?.stringValue { out[f.field] = s } }
        return out
    }

    /// The records that may be the same as `values` (scoring at or above the warn threshold), best first.
    func candidates(_ object: ObjectDefinition, values: [String: JSONValue], excluding id: String?, readable: AccessScope,
                    on db: any SQLDatabase) async throws -> [Candidate] {
        guard let identity = Identity(object, values) else { return [] }
        return try await candidates(object, identity, excluding: id, readable: readable, on: db)
    }

    /// A record's identity fields prepared for their roles — once per write, for both its check and its index keys
    /// (preparing a company's or a person's name is most of the check's own work).
    struct Identity: Sendable {
        let matcher: IdentityMatcher
        let text: [String: String]
        let prepared: [PreparedValue]

        /// `ahead`: identities prepared before the write, used when they are this record's.
        init?(_ object: ObjectDefinition, _ values: [String: JSONValue], ahead: PreparedIdentities? = nil) {
            guard let matcher = DuplicateCheck.matcher(for: object) else { return nil }
            self.matcher = matcher
            let text = DuplicateCheck.text(values, matcher)
            self.text = text
            prepared = ahead.flatMap { $0.object == object.name ? $0.prepared[text] : nil } ?? matcher.prepared(text)
        }
    }

    /// Identities prepared ahead of their writes, by their identity fields' text: an import prepares a batch's rows
    /// on every core before it writes them one by one.
    struct PreparedIdentities: Sendable {
        let object: String
        let matcher: IdentityMatcher
        let prepared: [[String: String]: [PreparedValue]]

        /// The identities of records with these values (as they will be written), prepared on every core.
        init?(_ object: ObjectDefinition, _ values: [[String: JSONValue]]) async {
            guard let matcher = DuplicateCheck.matcher(for: object) else { return nil }
            self = await PreparedIdentities(object: object.name, matcher: matcher, prepared: [:]).adding(values)
        }

        private init(object: String, matcher: IdentityMatcher, prepared: [[String: String]: [PreparedValue]]) {
            (self.object, self.matcher, self.prepared) = (object, matcher, prepared)
        }

        /// These and the identities of other records' values, prepared on every core.
        func adding(_ values: [[String: JSONValue]]) async -> PreparedIdentities {
            let texts = Array(Set(values.map { DuplicateCheck.text($0, matcher) }).filter { prepared[$0] == nil })
            guard !texts.isEmpty else { return self }
            var all = prepared
            for (text, identity) in zip(texts, await texts.concurrentMap { matcher.prepared($0) }) { all[text] = identity }
            return PreparedIdentities(object: object, matcher: matcher, prepared: all)
        }
    }

    /// Within a batch: reads at once the records under every key of these identities, for each row's check to find
    /// its candidates without a statement of its own; returns the identities with those of the candidates, prepared
    /// side by side rather than one by one as each check scores them.
    func prefetch(_ object: ObjectDefinition, _ identities: PreparedIdentities, on db: any SQLDatabase) async throws -> PreparedIdentities {
        let keyed = identities.prepared.values.map { identities.matcher.keys(prepared: $0) }
        try await keys.prefetch(object: object.name, keys: keyed.reduce(into: Set()) { $0.formUnion($1) }, limit: Self.candidateLimit, on: db)
        // And the records the checks will score (found under the keys now: the batch's own rows are held back).
        var ids = Set<String>()
        for keys in keyed { ids.formUnion(try await self.keys.candidates(object: object.name, keys: keys, excluding: nil, limit: Self.candidateLimit, on: db)) }
        return await identities.adding(try await store.prefetch(object, ids: ids, on: db).map(\.values))
    }

    func candidates(_ object: ObjectDefinition, _ identity: Identity, excluding id: String?, readable: AccessScope,
                    ahead: PreparedIdentities? = nil, on db: any SQLDatabase) async throws -> [Candidate] {
        let (matcher, prepared) = (identity.matcher, identity.prepared)
        var ids = try await keys.candidates(object: object.name, keys: matcher.keys(prepared: prepared), excluding: id, limit: Self.candidateLimit, on: db)
        // Records someone said are not this one (or that a merge was undone for) are not its duplicates.
        if let id, !ids.isEmpty {
            let distinct = try await merges.distinct(object: object.name, from: id, on: db)
            ids.removeAll(where: distinct.contains)
        }
        guard !ids.isEmpty else { return [] }
        // A record is also what was merged into it: it scores by the best of its identities.
        let former = try await merges.formerIdentities(object: object.name, of: ids, on: db)
        let records = try await store.fetch(object, ids: ids, on: db).sorted { $0.id < $1.id }
        // Reading each candidate's name apart is most of the check's work: one prepared ahead (in an import's batch) is
        // not read again, and several are scored side by side.
        let scores = await records.concurrentMap(minimumPerTask: 4) { record in
            ([record.values] + former[record.id, default: []]).map { values in
                let text = Self.text(values, matcher)
                return matcher.score(prepared, ahead?.prepared[text] ?? matcher.prepared(text))
            }.max { $0.probability < $1.probability }!
        }
        let scored = zip(records, scores).filter { $0.1.probability >= matcher.warn }
        guard !scored.isEmpty else { return [] }
        // What the writer may see of them: everything when no policy limits the records or their names (no second read).
        let seesAll = readable.plan.rows == .always && readable.plan.fields["name"] == nil
        let visible = readable.plan.deniesAll ? [:] : Dictionary(uniqueKeysWithValues: try await (seesAll ? scored.map(\.0)
            : fetch(object, ids: scored.map(\.0.id), access: readable, on: db)).map { ($0.id, $0) })
        return scored.map { record, score in
            Candidate(id: record.id, name: visible[record.id].map { $0.value("name").stringValue ?? record.id }, score: score)
        }.sorted { $0.score.probability > $1.score.probability }
    }

    /// The records with these ids that `access` lets through, in one query.
    func fetch(_ object: ObjectDefinition, ids: [String], access: AccessScope, on db: any SQLDatabase) async throws -> [Record] {
        var query = ListQuery(object: object)
        query.limit = ids.count
        query.filters = [Filter(field: object.queryableField("id")!, op: .in, values: ids.map(JSONValue.string))]
        return try await store.list(object, query: query, access: access, on: db).records
    }

    /// Refuses the write when a candidate scores at or above the block threshold; returns the identity it checked.
    @discardableResult
    func refuseDuplicates(_ object: ObjectDefinition, values: [String: JSONValue], excluding id: String?, readable: AccessScope,
                          ahead: PreparedIdentities? = nil, on db: any SQLDatabase) async throws -> Identity? {
        guard let identity = Identity(object, values, ahead: ahead) else { return nil }
        let blocking = try await candidates(object, identity, excluding: id, readable: readable, ahead: ahead, on: db)
            .filter { $0.score.probability >= identity.matcher.block }
        guard let best = blocking.first else { return identity }
        let percent = Int((best.score.probability * 100).rounded(.down))
        let message = best.name.map { "This looks like an existing \(object.name) record: \($0) (\(best.id)), match \(percent)%. Link to it or merge instead." }
            ?? "A matching \(object.name) record already exists that you may not see. Ask for access to it (an access request with the candidate's id) instead of creating another."
        throw KeelError(.conflict, code: "duplicate", message: message, details: ["candidates": .array(blocking.map(\.json))])
    }

    /// Indexes the record under its identity keys and those of the records merged into it (replacing earlier keys);
    /// `values` nil removes it from the index.
    func index(_ object: ObjectDefinition, id: String, values: [String: JSONValue]?, on db: any SQLDatabase) async throws {
        try await index(object, [(id, values)], on: db)
    }

    /// Indexes a record just inserted: nothing was merged into it and it has no keys yet. `checked` is the identity
    /// its duplicate check prepared, used again unless the identifying values changed since.
    func indexNew(_ object: ObjectDefinition, id: String, values: [String: JSONValue], checked: Identity?, on db: any SQLDatabase) async throws {
        guard let matcher = checked?.matcher ?? Self.matcher(for: object) else { return }
        let text = Self.text(values, matcher)
        let prepared = checked?.text == text ? checked!.prepared : matcher.prepared(text)
        try await keys.insert(object: object.name, keys: [id: matcher.keys(prepared: prepared)], on: db)
    }

    /// Indexes many records at once (a page of a re-index): one look-up of former identities, a few statements.
    func index(_ object: ObjectDefinition, _ records: [(id: String, values: [String: JSONValue]?)], on db: any SQLDatabase) async throws {
        guard let matcher = Self.matcher(for: object), !records.isEmpty else { return }
        let former = try await merges.formerIdentities(object: object.name, of: records.filter { $0.values != nil }.map(\.id), on: db)
        var all: [String: Set<String>] = [:]
        for (id, values) in records {
            var keys = Set<String>()
            for identity in values.map({ [$0] + (former[id] ?? []) }) ?? [] { keys.formUnion(matcher.keys(Self.text(identity, matcher))) }
            all[id] = keys
        }
        try await keys.replace(object: object.name, keys: all, on: db)
    }
}

extension ObjectDefinition {
    /// Whether the duplicate check knows what identifies this object's records (batch runs and the review queue need it).
    public var hasIdentity: Bool { DuplicateCheck.matcher(for: self) != nil }
}
