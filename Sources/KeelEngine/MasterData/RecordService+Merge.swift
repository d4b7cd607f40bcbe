import Foundation
import KeelCore
import KeelStore
import SQLKit

/// What a caller asks to merge: records of one object into a survivor, how each field's value is chosen, and
/// optionally the versions the caller saw (a record changed since is a 409 and nothing is merged).
public struct MergeRequest: Sendable {
    public var survivor: String
    public var merged: [String]
    public var versions: [String: Int]
    public var rule: SurvivorshipRule
    public var sourcePriority: [String]
    /// Field → the id of the record whose value it takes.
    public var choices: [String: String]

    /// The most records one merge takes.
    public static let maxRecords = 20

    /// Reads `{"survivor", "merged": [...], "versions"?: {id: n}, "rule"?, "sourcePriority"?: [...], "choose"?: {field: id}}`.
    public static func parse(_ body: [String: JSONValue]) throws -> MergeRequest {
        let known: Set<String> = ["survivor", "merged", "versions", "rule", "sourcePriority", "choose"]
        guard let survivor = body["survivor"]?.stringValue, let list = body["merged"]?.arrayValue, Set(body.keys).isSubset(of: known) else {
            throw KeelError(.badRequest, code: "invalid_body",
                            message: "Send {\"survivor\": id, \"merged\": [ids], \"versions\"?: {id: version}, \"rule\"?, \"sourcePriority\"?, \"choose\"?: {field: id}}.")
        }
        var violations = body.wrongTypes(["versions": "object", "rule": "string", "sourcePriority": "array", "choose": "object"])
        let merged = list.compactMap(\.stringValue)
        if merged.isEmpty || merged.count != list.count || Set(merged).count != merged.count || merged.contains(survivor) || merged.count >= maxRecords {
            violations.append(Violation(field: "merged", code: "invalid_records",
                                        message: "merged lists 1 to \(maxRecords - 1) distinct record ids, not the survivor."))
        }
        var versions: [String: Int] = [:]
        for (id, v) in body["versions"]?.objectValue ?? [:] {
            // As in If-Match: 1 to 999,999,999.
            guard let n = v.intValue, (1...999_999_999).contains(n) else {
                violations.append(Violation(field: "versions.\(id)", code: "invalid_type", message: "A version is a whole number from 1 to 999,999,999."))
                continue
            }
            versions[id] = n
        }
        let ruleName = body["rule"]?.stringValue ?? SurvivorshipRule.mostComplete.rawValue
        let rule = SurvivorshipRule(rawValue: ruleName)
        if rule == nil {
            violations.append(Violation(field: "rule", code: "invalid_option",
                                        message: "rule is one of \(SurvivorshipRule.allCases.map(\.rawValue).joined(separator: ", "))."))
        }
        let sourceList = body["sourcePriority"]?.arrayValue ?? []
        let sources = sourceList.compactMap(\.stringValue)
        if sources.count != sourceList.count {
            violations.append(Violation(field: "sourcePriority", code: "invalid_type", message: "sourcePriority is a list of sources."))
        } else if let unknown = sources.first(where: { WriteSource(rawValue: $0) == nil }) {
            violations.append(Violation(field: "sourcePriority", code: "invalid_option", message: "\(unknown) is not a source Keel writes from."))
        }
        var choices: [String: String] = [:]
        for (field, id) in body["choose"]?.objectValue ?? [:] {
            guard let id = id.stringValue, id == survivor || merged.contains(id) else {
                violations.append(Violation(field: "choose.\(field)", code: "invalid_choice", message: "A choice names one of the records being merged."))
                continue
            }
            choices[field] = id
        }
        guard violations.isEmpty, let rule else { throw KeelError.validation(violations) }
        return MergeRequest(survivor: survivor, merged: merged, versions: versions, rule: rule, sourcePriority: sources, choices: choices)
    }
}

extension RecordService {
    /// What a merge would write, without writing: the survivor's values field by field, and where each came from.
    static func refuseUnmergeable(_ object: ObjectDefinition) throws(KeelError) {
        guard StandardObjects.unmergeable.contains(object.name) else { return }
        throw KeelError(.unprocessable, code: "not_mergeable", message: "\(object.labels.en) are not merged: a quote keeps its own lines, a line the product it was priced from.")
    }

    public func previewMerge(_ objectName: String, _ request: MergeRequest, as principal: Principal) async throws -> JSONValue {
        let object = try await metadata.catalog().require(objectName)
        try Self.refuseUnmergeable(object)
        let readable = try await access.scope(principal, .read, object: object)
        return try await database.read { db in
            var records: [Record] = []
            for id in [request.survivor] + request.merged {
                guard let record = try await store.fetch(object, id: id, access: readable, on: db) else { throw KeelError.notFound("\(object.name)/\(id)") }
                records.append(record)
            }
            try Self.checkChoices(request, object: object)
            let plan = Survivorship.plan(object, records: records, rule: request.rule, choices: request.choices,
                                         sourceRank: try await sourceRanks(records, object: object, priority: request.sourcePriority, on: db))
            return ["values": .object(plan.values), "sources": .object(plan.sources.mapValues(JSONValue.string)),
                    "records": .array(records.map { $0.json(object: object) })]
        }
    }

    /// Merges records into the survivor in ONE transaction: field by field as the rule and choices say, phones and
    /// e-mails unioned, records pointing at the merged ones moved to the survivor, the merged records removed (kept
    /// in the merge's snapshot and as the survivor's former identities), all in the field history. Needs update on
    /// the survivor, delete on the others, and every field of every record visible (else 403).
    public func merge(_ objectName: String, _ request: MergeRequest, context: WriteContext) async throws -> (merge: JSONValue, record: Record) {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        try Self.refuseUnmergeable(object)
        let principal = context.principal
        let merging = try await mergeScope(principal, object: object)
        var updatable = try await access.scope(principal, .update, object: object)
        var deletable = try await access.scope(principal, .delete, object: object)
        updatable.plan = updatable.plan.intersecting(merging.plan)
        deletable.plan = deletable.plan.intersecting(merging.plan)
        let readable = try await access.scope(principal, .read, object: object)
        try Self.checkChoices(request, object: object)
        let context = WriteContext(principal: principal, source: .merge, depth: context.depth)
        return try await database.write { db in
            try await journal.lockChain(on: db)
            var records: [Record] = []
            for id in [request.survivor] + request.merged {
                let (operation, scope) = id == request.survivor ? (Action.update, updatable) : (.delete, deletable)
                records.append(try await lockedForMerge(object, id: id, expectedVersion: request.versions[id], operation, scope: scope,
                                                        readable: readable, catalog: catalog, as: principal, on: db))
            }
            let (survivor, merged) = (records[0], Array(records.dropFirst()))
            let plan = Survivorship.plan(object, records: records, rule: request.rule, choices: request.choices,
                                         sourceRank: try await sourceRanks(records, object: object, priority: request.sourcePriority, on: db))
            let now = ValueFormats.formatDateTime(Date())
            // Every identity the survivor had (its own values before the merge, and the merged records') still finds it.
            var identities: [JSONValue] = [.object(survivor.values)]
            let former = try await MergeStore().formerIdentities(object: object.name, of: merged.map(\.id), on: db)
            for record in merged {
                identities.append(.object(record.values))
                identities += former[record.id, default: []].map(JSONValue.object)
                guard try await store.delete(object, id: record.id, expectedVersion: record.version, on: db) else { throw Self.stale(record.id) }
                try await duplicates.index(object, id: record.id, values: nil, on: db)
                try await journal(object.fields.compactMap { f in record.value(f.name).isNull ? nil : (f.name, record.value(f.name), JSONValue.null) },
                                  record: record, operation: "delete", context: context, at: now, on: db)
            }
            let moved = try await moveReferences(to: object, from: Dictionary(uniqueKeysWithValues: merged.map { ($0.id, survivor.id) }),
                                                 catalog: catalog, context: context, on: db)
            let changes = plan.values.filter { survivor.value($0.key) != $0.value }
            let entry = MergeEntry(id: RecordID.make(), object: object.name, survivorID: survivor.id, snapshot: [
                "rule": .string(request.rule.rawValue), "choices": .object(request.choices.mapValues(JSONValue.string)),
                "before": .object(changes.keys.reduce(into: [:]) { $0[$1] = survivor.value($1) }),
                "after": .object(changes), "records": .array(merged.map { $0.json(object: object) }), "moved": .array(moved),
                "identities": .array(identities),
            ], mergedAt: now, mergedBy: principal.userID)
            try await MergeStore().insert(entry, on: db)
            let after = try await applyUpdate(object, id: survivor.id, changes, expectedVersion: survivor.version, .update, scope: updatable,
                                              readable: readable, catalog: catalog, context: context, on: db)
            try await duplicates.index(object, id: survivor.id, values: after.values, on: db)
            return (Self.json(entry, object: object), after)
        }
    }

    /// Undoes a merge: the merged records come back with their ids and values, the records moved to the survivor
    /// move back, and the survivor's fields return to what they were — except fields changed since the merge, which
    /// keep their newer value and are listed in `kept`. The restored records are remembered as not duplicates of the
    /// survivor.
    public func unmerge(_ objectName: String, mergeID: String, context: WriteContext) async throws -> JSONValue {
        let catalog = try await metadata.catalog()
        let object = try catalog.require(objectName)
        let principal = context.principal
        var updatable = try await access.scope(principal, .update, object: object)
        updatable.plan = updatable.plan.intersecting(try await mergeScope(principal, object: object).plan)
        let readable = try await access.scope(principal, .read, object: object)
        if try await access.scope(principal, .create, object: object).plan.deniesAll { throw AccessControl.denied(.create, object: object.name) }
        let context = WriteContext(principal: principal, source: .merge, depth: context.depth)
        let merges = MergeStore()
        return try await database.write { db in
            try await journal.lockChain(on: db)
            guard let merge = try await merges.merge(mergeID, on: db), merge.object == object.name else { throw KeelError.notFound("merge \(mergeID)") }
            guard merge.undoneAt == nil else {
                throw KeelError(.conflict, code: "already_undone", message: "This merge was undone on \(merge.undoneAt ?? "")." )
            }
            guard try await store.exists(object, id: merge.survivorID, on: db) else {
                throw KeelError(.conflict, code: "survivor_gone",
                                message: "Record \(merge.survivorID) no longer exists (deleted, or merged into another record: undo that first).")
            }
            let survivor = try await lockedCurrent(object, id: merge.survivorID, expectedVersion: nil, .update, scope: updatable, readable: readable, on: db)
            let after = merge.snapshot["after"]?.objectValue ?? [:]
            let before = merge.snapshot["before"]?.objectValue ?? [:]
            let kept = after.keys.sorted().filter { survivor.record.value($0) != after[$0] }
            var restore: [String: JSONValue] = [:]
            for (field, value) in before where !kept.contains(field) && object.field(field) != nil { restore[field] = value }
            let now = ValueFormats.formatDateTime(Date())
            var record = try await applyUpdate(object, id: survivor.record.id, restore, expectedVersion: nil, .update, scope: updatable,
                                               readable: readable, catalog: catalog, context: context, on: db)
            var restored: [String] = []
            for json in merge.snapshot["records"]?.arrayValue ?? [] {
                guard let id = json["id"]?.stringValue else { continue }
                guard try await !store.exists(object, id: id, on: db) else {
                    throw KeelError(.conflict, code: "record_exists", message: "Record \(id) exists again; the merge cannot be undone over it.")
                }
                let values = Dictionary(uniqueKeysWithValues: object.fields.compactMap { f in json[f.name].flatMap { $0.isNull ? nil : (f.name, $0) } })
                let back = Record(object: object.name, id: id, version: (json["version"]?.intValue ?? 0) + 1,
                                  createdAt: json["created_at"]?.stringValue ?? now, updatedAt: now,
                                  createdBy: json["created_by"]?.stringValue, updatedBy: principal.userID, values: values)
                try await store.insert(back, object: object, on: db)
                try await duplicates.index(object, id: id, values: values, on: db)
                try await journal(values.keys.sorted().map { ($0, JSONValue.null, values[$0]!) }, record: back, operation: "create",
                                  context: context, at: now, on: db)
                try await merges.markDistinct(object: object.name, survivor.record.id, id, by: principal.userID, at: now, on: db)
                restored.append(id)
            }
            var movedBack: [String: [String: String]] = [:]
            for m in merge.snapshot["moved"]?.arrayValue ?? [] {
                guard let other = m["object"]?.stringValue, let id = m["id"]?.stringValue, let field = m["field"]?.stringValue,
                      let from = m["from"]?.stringValue else { continue }
                movedBack[other + "." + field, default: [:]][id] = from
            }
            try await moveBack(movedBack, from: survivor.record.id, catalog: catalog, context: context, on: db)
            try await merges.markUndone(merge.id, by: principal.userID, at: now, on: db)
            try await duplicates.index(object, id: record.id, values: record.values, on: db)
            record = try await store.fetch(object, id: record.id, access: readable, on: db) ?? record
            return ["restored": .array(restored.map(JSONValue.string)), "kept": .array(kept.map(JSONValue.string)), "record": record.json(object: object)]
        }
    }

    /// Folds what someone typed for a new record into the existing record it duplicates: empty fields take the typed
    /// values, phones and e-mails that differ go to its other phones / e-mails; nothing the record holds is overwritten.
    public func absorb(_ objectName: String, id: String, _ input: [String: JSONValue], context: WriteContext) async throws -> Record {
        let (existing, object) = try await get(objectName, id: id, as: context.principal)
        let typed = RecordValidator.validate(input, object: object, mode: .update)
        guard typed.violations.isEmpty else { throw KeelError.validation(typed.violations) }
        return try await update(object.name, id: id, Self.absorbing(typed.values, into: existing, object), expectedVersion: existing.version, context: context)
    }

    /// The changes that fold `values` (validated) into `existing`, as `absorb` writes them.
    static func absorbing(_ values: [String: JSONValue], into existing: Record, _ object: ObjectDefinition) -> [String: JSONValue] {
        let incoming = Record(object: object.name, id: "", version: 0, createdAt: "", updatedAt: "", createdBy: nil, updatedBy: nil, values: values)
        let plan = Survivorship.plan(object, records: [existing, incoming], rule: .sourcePriority, sourceRank: [existing.id: 0, "": 1])
        return plan.values.filter { existing.value($0.key) != $0.value && !existing.masked.contains($0.key) }
    }

    /// The merges into a record, newest first, with the records they absorbed: its former identities.
    public func merges(_ objectName: String, id: String, as principal: Principal) async throws -> [JSONValue] {
        let (record, object) = try await get(objectName, id: id, as: principal)
        return try await database.read { db in
            try await MergeStore().merges(object: object.name, survivors: [record.id], undone: true, on: db).map { Self.json($0, object: object) }
        }
    }

    static func json(_ merge: MergeEntry, object: ObjectDefinition) -> JSONValue {
        [
            "id": .string(merge.id), "object": .string(merge.object), "survivor": .string(merge.survivorID),
            "mergedAt": .string(merge.mergedAt), "mergedBy": .string(merge.mergedBy),
            "undoneAt": merge.undoneAt.map(JSONValue.string) ?? .null, "undoneBy": merge.undoneBy.map(JSONValue.string) ?? .null,
            "rule": merge.snapshot["rule"] ?? .null, "changed": .array((merge.snapshot["after"]?.objectValue ?? [:]).keys.sorted().map(JSONValue.string)),
            "records": merge.snapshot["records"] ?? [], "moved": JSONValue(merge.snapshot["moved"]?.arrayValue?.count ?? 0),
        ]
    }

    /// Where the `merge` permission reaches; none at all is 403 at once.
    func mergeScope(_ principal: Principal, object: ObjectDefinition) async throws -> AccessScope {
        let scope = try await access.scope(principal, .merge, object: object)
        if scope.plan.deniesAll { throw AccessControl.denied(.merge, object: object.name) }
        return scope
    }

    /// Fields a choice names must be fields the merge writes.
    static func checkChoices(_ request: MergeRequest, object: ObjectDefinition) throws {
        let bad = request.choices.keys.sorted().filter { name in object.field(name).map { $0.formula != nil } ?? true }
        guard bad.isEmpty else {
            throw KeelError.validation(bad.map { Violation(field: "choose.\($0)", code: "unknown_field", message: "\(object.name) has no writable field named \($0).") })
        }
    }

    /// A record to merge, locked. A record of another object is 422; one the caller may not see is "not found"; one
    /// they may see but not change (or remove), or not see every field of, is 403; one changed since `expectedVersion` is 409.
    func lockedForMerge(_ object: ObjectDefinition, id: String, expectedVersion: Int?, _ operation: Action, scope: AccessScope, readable: AccessScope,
                        catalog: Catalog, as principal: Principal, on db: any SQLDatabase) async throws -> Record {
        if try await !store.exists(object, id: id, on: db) {
            for other in catalog.objects where other.name != object.name {
                if try await referenceExists(id, target: other.name, catalog: catalog, as: principal, on: db) {
                    throw KeelError(.unprocessable, code: "different_objects",
                                    message: "\(id) is a record of \(other.name), not \(object.name): only records of one object can be merged.")
                }
            }
            throw KeelError.notFound("\(object.name)/\(id)")
        }
        let (record, _) = try await lockedCurrent(object, id: id, expectedVersion: expectedVersion, operation, scope: scope, readable: readable, on: db)
        guard let seen = try await store.fetch(object, id: id, access: readable, on: db), seen.masked.isEmpty else {
            throw KeelError(.forbidden, code: "merge_forbidden", message: "You cannot see every field of \(id), so you cannot merge it.")
        }
        try await checkUnlocked(object, id: id, on: db)
        return record
    }

    /// Each record's rank by the source it was created from, in `priority` order (unlisted sources last).
    func sourceRanks(_ records: [Record], object: ObjectDefinition, priority: [String], on db: any SQLDatabase) async throws -> [String: Int] {
        guard !priority.isEmpty else { return [:] }
        var ranks: [String: Int] = [:]
        for record in records {
            let created = try await journal.history(recordID: record.id, object: object.name, on: db).first { $0.operation == "create" }
            ranks[record.id] = created.flatMap { priority.firstIndex(of: $0.source) } ?? priority.count
        }
        return ranks
    }

    /// Points every reference to a merged record (any object, any reference field) at its survivor, with history;
    /// returns what moved so an undo can move it back.
    func moveReferences(to object: ObjectDefinition, from survivors: [String: String], catalog: Catalog, context: WriteContext,
                        on db: any SQLDatabase) async throws -> [JSONValue] {
        var moved: [JSONValue] = []
        for other in catalog.objects {
            for field in other.fields where field.type == .reference && (field.target == object.name || field.target == StandardObjects.anyObject) {
                var query = ListQuery(object: other)
                query.limit = ListQuery.maxLimit
                query.filters = [Filter(field: field, op: .in, values: survivors.keys.sorted().map(JSONValue.string))]
                let everything = AccessScope(plan: AccessPlan(rows: .always), object: other, userID: "", now: "")
                // Each page moved leaves the filter, so the first page is always the next one.
                while true {
                    let page = try await store.list(other, query: query, access: everything, on: db).records
                    if page.isEmpty { break }
                    for record in page {
                        let from = record.value(field.name).stringValue ?? ""
                        try await repoint(record, other, field: field.name, to: survivors[from] ?? from, catalog: catalog, context: context, on: db)
                        moved.append(["object": .string(other.name), "id": .string(record.id), "field": .string(field.name), "from": .string(from)])
                    }
                }
            }
        }
        return moved
    }

    /// Moves back what a merge moved, where it still points at the survivor.
    func moveBack(_ moves: [String: [String: String]], from survivor: String, catalog: Catalog, context: WriteContext, on db: any SQLDatabase) async throws {
        for (key, ids) in moves.sorted(by: { $0.key < $1.key }) {
            let parts = key.split(separator: ".", maxSplits: 1).map(String.init)
            guard parts.count == 2, let other = catalog.object(parts[0]) else { continue }
            for (id, original) in ids.sorted(by: { $0.key < $1.key }) {
                guard let record = try await store.fetch(other, id: id, on: db, forUpdate: true), record.value(parts[1]).stringValue == survivor else { continue }
                try await repoint(record, other, field: parts[1], to: original, catalog: catalog, context: context, on: db)
            }
        }
    }

    /// Sets one reference of a record, recomputing its formulas, with history.
    func repoint(_ record: Record, _ object: ObjectDefinition, field: String, to target: String, catalog: Catalog, context: WriteContext,
                 on db: any SQLDatabase) async throws {
        var next = record
        next.version += 1
        next.updatedAt = ValueFormats.formatDateTime(Date())
        next.updatedBy = context.principal.userID
        next.values[field] = .string(target)
        for (k, v) in try await formulas(catalog).formulaValues(object, state: next.values, on: db) { next.values[k] = v }
        guard try await store.update(next, replacing: record, object: object, on: db) else { throw Self.stale(record.id) }
        let changed = object.fields.map(\.name).filter { record.value($0) != next.value($0) }
        try await journal(changed.map { ($0, record.value($0), next.value($0)) }, record: next, operation: "update", context: context, at: next.updatedAt, on: db)
    }
}
