import KeelCore

/// The list view of any object: columns, a filter, sortable headers, a count and keyset pages.
public struct ListPage {
    public var object: ObjectDefinition
    public var records: [Record]
    public var count: Int
    public var nextCursor: String?
    public var sort: SortKey
    /// The simple filter the form shows: field, operator, value.
    public var filter: (field: String, op: String, value: String)?
    public var hasCursor: Bool

    public init(object: ObjectDefinition, records: [Record], count: Int, nextCursor: String?, sort: SortKey,
                filter: (field: String, op: String, value: String)?, hasCursor: Bool) {
        self.object = object
        self.records = records
        self.count = count
        self.nextCursor = nextCursor
        self.sort = sort
        self.filter = filter
        self.hasCursor = hasCursor
    }

    static let ops = ["eq", "neq", "contains", "startsWith", "gt", "lt", "isNull"]

    /// Columns shown: the first eight fields.
    var columns: [FieldDefinition] { Array(object.fields.prefix(8)) }

    func href(sort: String? = nil, cursor: String? = nil) -> String {
        var params: [(String, String)] = []
        if let filter { params += [("ff", filter.field), ("fo", filter.op), ("fv", filter.value)] }
        params.append(("sort", sort ?? self.sort.spec))
        if let cursor { params.append(("cursor", cursor)) }
        return "/o/\(object.name)?" + params.map { "\(URLQuery.escape($0.0))=\(URLQuery.escape($0.1))" }.joined(separator: "&")
    }

    public func context(_ t: Strings) -> [String: Any] {
        let lang = t.language
        let cols: [[String: Any]] = columns.map { f in
            let current = sort.field.name == f.name
            return ["label": lang.label(f.labels), "arrow": current ? (sort.descending ? " ↓" : " ↑") : "",
                    "sortHref": href(sort: current && !sort.descending ? "-" + f.name : f.name)]
        }
        let rows: [[String: Any]] = records.map { r in
            ["cells": columns.enumerated().map { i, f -> [String: Any] in
                var cell: [String: Any] = ["text": ValueDisplay.text(r.value(f.name), f, t)]
                if i == 0 { cell["href"] = "/o/\(object.name)/\(r.id)" }
                return cell
            }]
        }
        var context: [String: Any] = [
            "title": lang.label(object.labels), "object": object.name, "count": count,
            "columns": cols, "rows": rows, "columnCount": columns.count,
            "filterFields": object.fields.map { ["name": $0.name, "label": lang.label($0.labels), "selected": $0.name == filter?.field] },
            "ops": Self.ops.map { ["op": $0, "label": t["op_" + $0], "selected": $0 == filter?.op] },
            "fv": filter?.value ?? "",
        ]
        context["nextHref"] = nextCursor.map { href(cursor: $0) }
        context["firstHref"] = hasCursor ? href() : nil
        return context
    }
}

/// Percent-encoding for query strings built into links.
public enum URLQuery {
    static let allowed: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8))

    public static func escape(_ s: String) -> String {
        var out = ""
        for byte in s.utf8 {
            if allowed.contains(byte) { out.append(Character(Unicode.Scalar(byte))) } else { out += String(format: "%%%02X", byte) }
        }
        return out
    }
}
