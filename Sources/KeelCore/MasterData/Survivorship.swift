/// How a merge picks each field's value among the records being merged: a person's choice for a field wins; else the
/// first record, in the rule's order, that has a value. Phones and e-mails are never lost: those the chosen fields do
/// not hold go to the survivor's "other phones" / "other e-mails", one per line.
public enum SurvivorshipRule: String, Sendable, CaseIterable {
    /// The record with the most fields filled in first (the survivor on a tie).
    case mostComplete = "most_complete"
    /// The most recently updated record first.
    case mostRecent = "most_recent"
    /// Records in the order of the source they were created from (`sourcePriority`), e.g. ["import", "api", "web"].
    case sourcePriority = "source_priority"
}

public struct MergePlan: Sendable {
    /// The survivor's values after the merge, for every writable field.
    public var values: [String: JSONValue]
    /// For each field whose value came from another record than the survivor, that record's id.
    public var sources: [String: String]
}

public enum Survivorship {
    /// The survivor's values after merging `records` (the survivor first). `choices` maps a field to the record whose
    /// value it takes; `sourceRank` maps a record to its source's rank (lower first) for `.sourcePriority`.
    public static func plan(_ object: ObjectDefinition, records: [Record], rule: SurvivorshipRule, choices: [String: String] = [:],
                            sourceRank: [String: Int] = [:]) -> MergePlan {
        let order = ordered(object, records, rule: rule, sourceRank: sourceRank)
        let byID = Dictionary(records.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        var values: [String: JSONValue] = [:]
        var sources: [String: String] = [:]
        let writable = object.fields.filter { $0.formula == nil && $0.name != StandardObjects.otherPhones.name && $0.name != StandardObjects.otherEmails.name }
        for field in writable {
            let from = choices[field.name].flatMap { byID[$0] } ?? order.first { !$0.value(field.name).isNull } ?? records[0]
            values[field.name] = from.value(field.name)
            if from.id != records[0].id { sources[field.name] = from.id }
        }
        func union(_ list: FieldDefinition, of type: FieldType, key: (String) -> String) {
            guard object.field(list.name) != nil else { return }
            let fields = object.fields.filter { $0.type == type }
            var seen = Set(fields.compactMap { values[$0.name]?.stringValue }.map(key))
            var extra: [String] = []
            for record in records {
                let theirs = fields.compactMap { record.value($0.name).stringValue }
                    + (record.value(list.name).stringValue ?? "").split(whereSeparator: \.isNewline).map(String.init)
                for value in theirs where seen.insert(key(value)).inserted { extra.append(value) }
            }
            values[list.name] = extra.isEmpty ? .null : .string(extra.joined(separator: "\n"))
        }
        union(StandardObjects.otherPhones, of: .phone) { SearchKey.phone($0) ?? $0 }
        union(StandardObjects.otherEmails, of: .email) { $0.lowercased() }
        return MergePlan(values: values, sources: sources)
    }

    /// The records in the rule's order (ties keep the given order).
    public static func ordered(_ object: ObjectDefinition, _ records: [Record], rule: SurvivorshipRule, sourceRank: [String: Int]) -> [Record] {
        let indexed = Array(records.enumerated())
        func filled(_ r: Record) -> Int { object.fields.filter { !r.value($0.name).isNull }.count }
        return indexed.sorted { a, b in
            switch rule {
            case .mostComplete where filled(a.element) != filled(b.element): filled(a.element) > filled(b.element)
            case .mostRecent where a.element.updatedAt != b.element.updatedAt: a.element.updatedAt > b.element.updatedAt
            case .sourcePriority where sourceRank[a.element.id, default: .max] != sourceRank[b.element.id, default: .max]:
                sourceRank[a.element.id, default: .max] < sourceRank[b.element.id, default: .max]
            default: a.offset < b.offset
            }
        }.map(\.element)
    }
}
