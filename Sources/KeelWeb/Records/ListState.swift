import KeelCore

/// What a list page shows, as its query string carries it: `col` (repeated), filter rows `ff`/`fo`/`fv`
/// (repeated, in step), `sort`, and the saved `view` it started from.
public struct ListState: Sendable {
    public var columns: [String]
    public var filters: [SavedView.Condition]
    public var sort: String?
    public var viewID: String?

    /// Shown when nobody chose columns: the object's first eight fields.
    public static func defaultColumns(_ object: ObjectDefinition) -> [String] {
        chosenColumns[object.name]?.filter { object.queryableField($0) != nil } ?? object.fields.filter { $0.formula == nil }.prefix(8).map(\.name)
    }

    /// What a salesperson scans each standard list for; other objects show their first eight fields.
    static let chosenColumns = [
        "accounts": ["name", "industry", "city", "phone", "owner", "updated_at"],
        "contacts": ["name", "account", "title", "mobile", "email", "owner"],
        "leads": ["name", "company", "phone", "channel", "status", "score", "owner", "created_at"],
        "activities": ["type", "subject", "related_to", "occurred_at", "next_step", "owner"],
        "tasks": ["subject", "due", "status", "assignee", "related_to"],
        "products": ["name", "sku", "unit", "unit_price", "tax_rate", "tax_included", "active"],
        "quotes": ["name", "account", "status", "total_incl_tax", "valid_until", "owner", "updated_at"],
        "quote_lines": ["quote", "name", "quantity", "unit_price", "discount", "amount_incl_tax"],
    ]

    /// The state in `pairs`; what they leave out comes from `view`, then from the defaults.
    public static func parse(_ pairs: [(String, String)], object: ObjectDefinition, view: SavedView?) -> ListState {
        func all(_ name: String) -> [String] { pairs.filter { $0.0 == name }.map(\.1) }
        let cols = all("col").filter { !$0.isEmpty }
        let ff = all("ff"), fo = all("fo"), fv = all("fv")
        var filters: [SavedView.Condition] = []
        for i in ff.indices where !ff[i].isEmpty && i < fo.count {
            let value = i < fv.count ? fv[i] : ""
            if value.isEmpty && fo[i] != "isNull" { continue }
            filters.append(SavedView.Condition(field: ff[i], op: fo[i], value: fo[i] == "isNull" ? "true" : value))
        }
        let sort = all("sort").last.flatMap { $0.isEmpty ? nil : $0 }
        let explicit = !cols.isEmpty || !ff.isEmpty || sort != nil
        if let view, !explicit {
            return ListState(columns: view.columns, filters: view.filters, sort: view.sort, viewID: view.id)
        }
        return ListState(columns: cols.isEmpty ? (view?.columns ?? defaultColumns(object)) : cols, filters: filters, sort: sort, viewID: view?.id)
    }

    /// The list API parameters of this state.
    public var apiParams: [(String, String)] {
        filters.map(\.parameter) + (sort.map { [("sort", $0)] } ?? [])
    }

    /// The query string that reproduces this state, with another sort or a cursor.
    public func query(sort: String? = nil, cursor: String? = nil) -> String {
        var params: [(String, String)] = []
        if let viewID { params.append(("view", viewID)) }
        params += columns.map { ("col", $0) }
        for f in filters { params += [("ff", f.field), ("fo", f.op), ("fv", f.value)] }
        if let s = sort ?? self.sort { params.append(("sort", s)) }
        if let cursor { params.append(("cursor", cursor)) }
        return params.map { "\(URLQuery.escape($0.0))=\(URLQuery.escape($0.1))" }.joined(separator: "&")
    }
}
