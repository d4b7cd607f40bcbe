import Foundation
import KeelMatching

extension ListQuery {
    /// Parses list parameters (`filter[f][op]=v`, `sort`, `fields`, `limit`, `cursor`).
    /// Throws a 400 listing every problem found.
    public static func parse(_ params: [(String, String)], object: ObjectDefinition) throws(KeelError) -> ListQuery {
        var query = ListQuery(object: object)
        var violations: [Violation] = []
        func bad(_ field: String, _ code: String, _ message: String) {
            violations.append(Violation(field: field, code: code, message: message))
        }
        for (key, value) in params {
            switch key {
            case "sort":
                let descending = value.hasPrefix("-")
                let name = descending ? String(value.dropFirst()) : value
                guard let field = object.queryableField(name) else { bad("sort", "unknown_field", "Cannot sort by unknown field \(name)."); continue }
                query.sort = SortKey(field: field, descending: descending)
            case "fields":
                let names = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
                let unknown = names.filter { object.queryableField($0) == nil }
                if unknown.isEmpty { query.fields = names } else { bad("fields", "unknown_field", "Unknown field(s): \(unknown.joined(separator: ", ")).") }
            case "limit":
                if let n = Int(value), (1...maxLimit).contains(n) { query.limit = n } else { bad("limit", "invalid_limit", "limit must be a whole number from 1 to \(maxLimit).") }
            case "cursor":
                if let c = Cursor.decode(value) { query.cursor = c } else { bad("cursor", "invalid_cursor", "The cursor is not one this server issued.") }
            default:
                guard key.hasPrefix("filter") else { continue }
                do throws(KeelError) { query.filters.append(try parseFilter(key: key, value: value, object: object)) }
                catch { violations += error.violations }
            }
        }
        if let c = query.cursor, c.sort != query.sort.spec {
            bad("cursor", "invalid_cursor", "The cursor belongs to a listing sorted by \(c.sort), not \(query.sort.spec).")
        }
        guard violations.isEmpty else {
            throw KeelError(.badRequest, code: "invalid_query", message: "The list parameters are invalid.", violations: violations)
        }
        return query
    }

    static func parseFilter(key: String, value: String, object: ObjectDefinition) throws(KeelError) -> Filter {
        func bad(_ code: String, _ message: String) -> KeelError {
            KeelError(.badRequest, code: "invalid_filter", message: message, violations: [Violation(field: key, code: code, message: message)])
        }
        // filter[<field>][<op>]
        let parts = key.dropFirst("filter".count)
        guard parts.hasPrefix("["), parts.hasSuffix("]") else { throw bad("invalid_filter", "Write filters as filter[<field>][<op>]=<value>.") }
        let inner = parts.dropFirst().dropLast().components(separatedBy: "][")
        guard inner.count == 2, !inner[0].isEmpty else { throw bad("invalid_filter", "Write filters as filter[<field>][<op>]=<value>.") }
        guard let field = object.queryableField(inner[0]) else { throw bad("unknown_field", "\(object.name) has no field named \(inner[0]).") }
        guard let op = FilterOperator(rawValue: inner[1]) else {
            throw bad("unknown_operator", "Unknown operator \(inner[1]); use one of \(FilterOperator.allCases.map(\.rawValue).joined(separator: ", ")).")
        }
        let storage = field.type.storage
        switch op {
        case .isNull:
            guard value == "true" || value == "false" else { throw bad("invalid_value", "isNull takes true or false.") }
            return Filter(field: field, op: op, values: [.bool(value == "true")])
        case .contains, .startsWith:
            guard storage == .text || storage == .list else { throw bad("invalid_operator", "\(op.rawValue) applies to text fields only.") }
            guard !value.isEmpty else { throw bad("invalid_value", "\(op.rawValue) needs a value.") }
            return Filter(field: field, op: op, values: [.string(value)])
        case .gt, .gte, .lt, .lte:
            guard storage != .boolean, storage != .list else { throw bad("invalid_operator", "\(op.rawValue) does not apply to \(field.type.rawValue) fields.") }
        case .eq, .neq, .in:
            guard storage != .list else { throw bad("invalid_operator", "Use contains to filter \(field.type.rawValue) fields.") }
        }
        let raw = op == .in ? value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) : [value]
        guard raw.count <= maxInValues else { throw bad("too_many_values", "in takes at most \(maxInValues) values.") }
        var values: [JSONValue] = []
        for item in raw {
            guard let typed = operand(item, for: field) else {
                throw bad("invalid_value", "\(item) is not a valid \(field.type.rawValue) value for \(field.name).")
            }
            values.append(typed)
        }
        return Filter(field: field, op: op, values: values)
    }

    /// Converts the text of a query parameter into a value comparable with the stored one.
    static func operand(_ text: String, for field: FieldDefinition) -> JSONValue? {
        switch field.type.storage {
        case .number: return Decimal(numberText: text).map(JSONValue.number)
        case .boolean: return text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        case .list: return .string(text)
        case .text:
            switch field.type {
            case .date: return ValueFormats.isDate(text) ? .string(text) : nil
            case .datetime: return ValueFormats.parseDateTime(text).map { .string(ValueFormats.formatDateTime($0)) }
            case .email, .reference: return .string(text.lowercased())
            case _ where field.validator == .creditCode: return .string(CreditCode.normalize(text))
            default: return .string(text)
            }
        }
    }
}
