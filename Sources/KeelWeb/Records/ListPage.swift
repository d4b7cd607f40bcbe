import KeelCore

/// The list view of any object: chosen columns, filter rows, sortable headers, saved views, a count and keyset pages.
public struct ListPage {
    public var object: ObjectDefinition
    public var records: [Record]
    public var count: Int
    public var nextCursor: String?
    public var state: ListState
    public var hasCursor: Bool
    public var views: [SavedView]
    public var userID: String
    public var canShare: Bool
    /// Why the filters could not be applied, in the reader's language.
    public var error: String?
    /// Where the export link goes: the CSV, the step-up page first, or nowhere when the user may not export.
    public var exportHref: String?

    public init(object: ObjectDefinition, records: [Record], count: Int, nextCursor: String?, state: ListState, hasCursor: Bool,
                views: [SavedView], userID: String, canShare: Bool, error: String?, exportHref: String? = nil) {
        self.exportHref = exportHref
        self.object = object
        self.records = records
        self.count = count
        self.nextCursor = nextCursor
        self.state = state
        self.hasCursor = hasCursor
        self.views = views
        self.userID = userID
        self.canShare = canShare
        self.error = error
    }

    static let ops = ["eq", "neq", "contains", "startsWith", "gt", "gte", "lt", "lte", "isNull"]

    var allFields: [FieldDefinition] {
        object.fields + ObjectDefinition.systemFieldDefinitions.filter { $0.name != "version" }
    }

    public func context(_ t: Strings, csrf: String) -> [String: Any] {
        let lang = t.language
        let base = "/o/\(object.name)?"
        let columns = state.columns.compactMap(object.queryableField)
        let sortField = state.sort.map { $0.hasPrefix("-") ? String($0.dropFirst()) : $0 }
        let cols: [[String: Any]] = columns.map { f in
            let current = sortField == f.name
            let descending = state.sort?.hasPrefix("-") == true
            var col: [String: Any] = ["label": lang.label(f.labels), "arrow": current ? (descending ? " ↓" : " ↑") : "",
                                      "sortHref": base + state.query(sort: current && !descending ? "-" + f.name : f.name)]
            col["ariaSort"] = current ? (descending ? "descending" : "ascending") : nil
            return col
        }
        let rows: [[String: Any]] = records.map { r in
            ["cells": columns.enumerated().map { i, f -> [String: Any] in
                var cell: [String: Any] = ["text": ValueDisplay.text(of: r, f, t)]
                if i == 0 { cell["href"] = "/o/\(object.name)/\(r.id)" }
                return cell
            }]
        }
        let fieldOptions = { (selected: String?) -> [[String: Any]] in
            allFields.map { ["name": $0.name, "label": lang.label($0.labels), "selected": $0.name == selected] }
        }
        let filterRows: [[String: Any]] = (state.filters + [SavedView.Condition(field: "", op: "eq", value: "")]).enumerated().map { i, f in
            ["index": i, "fields": fieldOptions(f.field.isEmpty ? nil : f.field), "fv": f.op == "isNull" ? "" : f.value,
             "ops": Self.ops.map { ["op": $0, "label": t["op_" + $0], "selected": $0 == f.op] }]
        }
        let views: [[String: Any]] = views.map { v in
            ["name": v.name, "href": base + "view=" + URLQuery.escape(v.id), "current": v.id == state.viewID, "shared": v.shared,
             "deletable": v.ownerID == userID, "deleteAction": "/o/\(object.name)/views/\(v.id)/delete"]
        }
        var context: [String: Any] = [
            "title": lang.label(object.labels), "object": object.name, "count": count, "csrf": csrf,
            "columns": cols, "rows": rows, "columnCount": max(columns.count, 1), "filterRows": filterRows,
            "columnChoices": allFields.map { ["name": $0.name, "label": lang.label($0.labels), "checked": state.columns.contains($0.name)] },
            "views": views, "hasViews": !views.isEmpty, "canShare": canShare, "sort": state.sort ?? "", "viewID": state.viewID ?? "",
            "stateColumns": state.columns, "stateFilters": state.filters.map { ["field": $0.field, "op": $0.op, "value": $0.value] },
            "allHref": "/o/\(object.name)",
        ]
        context["error"] = error
        context["exportHref"] = exportHref
        context["nextHref"] = nextCursor.map { base + state.query(cursor: $0) }
        context["firstHref"] = hasCursor ? base + state.query() : nil
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
