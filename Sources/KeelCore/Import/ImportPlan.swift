import Foundation

/// What to do with a row that matches a record Keel already holds (or a row earlier in the same file).
public enum DuplicatePolicy: String, Sendable, CaseIterable, Codable {
    /// Leave the record as it is; the row is reported as skipped.
    case skip
    /// Write the row's cells into the record: only its empty fields (`fill`), or every mapped field (`overwrite`).
    case update
    /// Fold the row into the record as a merge does: empty fields take the row's values, and a phone or e-mail that
    /// differs goes to the record's other phones / e-mails; nothing the record holds is lost.
    case merge
    /// Create a new record anyway (the dedup queue will show the pair).
    case create
}

/// How `update` writes a duplicate's cells.
public enum UpdateMode: String, Sendable, CaseIterable, Codable {
    case fill, overwrite
}

/// How a file is imported: into which object, which field each column fills, how cell text maps to picklist values,
/// and what a duplicate does. Saved as a mapping (`{"columns": {header: field}, "values": {field: {text: value}}}`)
/// and sent with an import.
public struct ImportPlan: Sendable, Equatable {
    public var object: String
    /// Header → field. A header not listed is suggested (`ImportMapping.suggest`); one mapped to "" is left out.
    public var columns: [String: String]
    /// Field → cell text → the value stored (picklist options, regions, owners' names …).
    public var values: [String: [String: String]]
    public var onDuplicate: DuplicatePolicy
    public var update: UpdateMode
    /// The file's encoding, when detection should not decide.
    public var encoding: TextEncoding?
    /// The other CRM the file was exported from, whose headers map to fields without a mapping.
    public var preset: ImportPreset?
    /// A workbook's sheet to read (the first when nil).
    public var sheet: String?

    public init(object: String, columns: [String: String] = [:], values: [String: [String: String]] = [:],
                onDuplicate: DuplicatePolicy = .skip, update: UpdateMode = .overwrite, encoding: TextEncoding? = nil, preset: ImportPreset? = nil, sheet: String? = nil) {
        self.object = object
        self.columns = columns
        self.values = values
        self.onDuplicate = onDuplicate
        self.update = update
        self.encoding = encoding
        self.preset = preset
        self.sheet = sheet
    }

    static let keys: Set<String> = ["object", "columns", "values", "onDuplicate", "update", "encoding", "preset", "sheet"]

    /// Reads a plan (a saved mapping, a request): unknown keys, fields and options are each a violation. `object`
    /// in the document, when present, must be `object`.
    public static func parse(_ json: JSONValue, object: ObjectDefinition) throws -> ImportPlan {
        guard let body = json.objectValue else {
            throw KeelError.validation([Violation(field: "mapping", code: "invalid_type", message: "A mapping is a JSON object: {\"columns\": {header: field}, \"values\"?: {field: {text: value}}}.")])
        }
        var plan = ImportPlan(object: object.name)
        var violations: [Violation] = body.keys.filter { !keys.contains($0) }.sorted().map {
            Violation(field: $0, code: "unknown_field", message: "\($0) is not part of a mapping (\(keys.sorted().joined(separator: ", "))).")
        }
        let types = ["object": "string", "columns": "object", "values": "object", "onDuplicate": "string", "update": "string", "encoding": "string",
                     "preset": "string", "sheet": "string"]
        violations += body.wrongTypes(types)
        // Left out, a key takes its default; null is no value of its type.
        violations += body.filter { types[$0.key] != nil && $0.value.isNull }.keys.sorted().map {
            Violation(field: $0, code: "invalid_type", message: "\($0) must be of JSON type \(types[$0]!), not null (leave it out instead).")
        }
        if let named = body["object"]?.stringValue, named != object.name {
            violations.append(Violation(field: "object", code: "invalid_option", message: "This mapping is for \(named), not \(object.name)."))
        }
        let writable = Set(object.fields.filter { $0.formula == nil }.map(\.name))
        for (header, field) in body["columns"]?.objectValue ?? [:] {
            guard let name = field.stringValue, name.isEmpty || writable.contains(name) else {
                violations.append(Violation(field: "columns.\(header)", code: "unknown_field", message: "\(field.stringValue ?? "?") is not a field of \(object.name) that an import writes."))
                continue
            }
            plan.columns[header] = name
        }
        for (field, map) in body["values"]?.objectValue ?? [:] {
            guard writable.contains(field), let entries = map.objectValue, entries.values.allSatisfy({ $0.stringValue != nil }) else {
                violations.append(Violation(field: "values.\(field)", code: "invalid_value_map", message: "values.\(field) maps cell text to a value of a field of \(object.name): {\"text\": \"value\"}."))
                continue
            }
            plan.values[field] = entries.compactMapValues(\.stringValue)
        }
        func option<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> T? where T.RawValue == String {
            guard let raw = body[key]?.stringValue else { return nil }
            if let value = T(rawValue: raw) { return value }
            violations.append(Violation(field: key, code: "invalid_option", message: "\(key) is one of \(T.allCases.map(\.rawValue).joined(separator: ", "))."))
            return nil
        }
        plan.onDuplicate = option("onDuplicate", DuplicatePolicy.self) ?? .skip
        plan.update = option("update", UpdateMode.self) ?? .overwrite
        plan.encoding = option("encoding", TextEncoding.self)
        plan.preset = option("preset", ImportPreset.self)
        plan.sheet = body["sheet"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return plan
    }

    public var json: JSONValue {
        var out: [String: JSONValue] = ["object": .string(object), "columns": .object(columns.mapValues(JSONValue.string)),
                                        "values": .object(values.mapValues { .object($0.mapValues(JSONValue.string)) }),
                                        "onDuplicate": .string(onDuplicate.rawValue), "update": .string(update.rawValue)]
        if let encoding { out["encoding"] = .string(encoding.rawValue) }
        if let preset { out["preset"] = .string(preset.rawValue) }
        if let sheet { out["sheet"] = .string(sheet) }
        return .object(out)
    }

    /// A plan as Keel stored it (already checked).
    public init(stored json: JSONValue) {
        self.init(object: json["object"]?.stringValue ?? "", columns: json["columns"]?.objectValue?.compactMapValues(\.stringValue) ?? [:],
                  values: json["values"]?.objectValue?.compactMapValues { $0.objectValue?.compactMapValues(\.stringValue) } ?? [:],
                  onDuplicate: json["onDuplicate"]?.stringValue.flatMap(DuplicatePolicy.init(rawValue:)) ?? .skip,
                  update: json["update"]?.stringValue.flatMap(UpdateMode.init(rawValue:)) ?? .overwrite,
                  encoding: json["encoding"]?.stringValue.flatMap(TextEncoding.init(rawValue:)),
                  preset: json["preset"]?.stringValue.flatMap(ImportPreset.init(rawValue:)), sheet: json["sheet"]?.stringValue)
    }

    /// Which field each column fills: the plan's own mapping where it names the header, then the preset's, then the
    /// suggestion. Only a preset maps two columns to one field (a first and a last name).
    public func fields(headers: [String], samples: [[String]], object: ObjectDefinition) -> [String?] {
        let suggested = ImportMapping.suggest(headers: headers, samples: samples, object: object)
        let preset = self.preset?.columns(for: object.name) ?? [:]
        let writable = Set(object.fields.filter { $0.formula == nil }.map(\.name))
        var taken = Set(columns.values.filter { !$0.isEmpty })
        for header in headers where columns[header] == nil { if let field = preset[header], !field.isEmpty { taken.insert(field) } }
        return headers.enumerated().map { i, header in
            if let mapped = columns[header] ?? preset[header] { return mapped.isEmpty || !writable.contains(mapped) ? nil : mapped }
            guard let field = suggested[i].field, !taken.contains(field) else { return nil }
            taken.insert(field)
            return field
        }
    }
}
