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
    /// A pipeline's stage field, and the working days each stale record has been in its stage.
    public var stageField: String?
    public var staleDays: [String: Int] = [:]
    /// Where the export link goes: the CSV, the step-up page first, or nowhere when the user may not export.
    public var exportHref: String?
    /// The object's duplicate review, when its records are checked for duplicates.
    public var dedupHref: String?
    /// What the references in the shown columns stand for.
    public var names = ReferenceNames()

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

    struct Column {
        var label, arrow, sortHref: String
        var ariaSort: String?
    }

    struct Row {
        struct Cell {
            var text: String
            /// The record's page, on the first column.
            var href: String?
            /// "停滞 12 个工作日", beside the stage of a deal past its stage's limit.
            var flag: String?
        }

        var cells: [Cell]
    }

    struct FieldChoice {
        var name, label: String
        var selected: Bool
    }

    struct OperatorChoice {
        var op, label: String
        var selected: Bool
    }

    struct FilterRow {
        var index: Int
        var fields: [FieldChoice]
        var fv: String
        var ops: [OperatorChoice]
    }

    struct ColumnChoice {
        var name, label: String
        var checked: Bool
    }

    struct View {
        var name, href: String
        var current, shared, deletable: Bool
        var deleteAction: String
    }

    public struct Context: PageContext {
        public static let template = Template.list

        var title, object: String
        var count: Int
        var csrf: String
        /// Records written only through another's page (a quote's lines): no "new" here.
        var writtenThrough: Bool
        var columns: [Column]
        var rows: [Row]
        var columnCount: Int
        var filterRows: [FilterRow]
        var columnChoices: [ColumnChoice]
        var views: [View]
        var hasViews, canShare: Bool
        var sort: String
        /// The saved view shown, nil for all records.
        var viewID: String?
        /// The list's state, carried by the save-view form.
        var stateColumns: [String]
        var stateFilters: [SavedView.Condition]
        var allHref: String
        var error, exportHref, dedupHref, nextHref, firstHref: String?
    }

    public func context(_ t: Strings, csrf: String) -> Context {
        let lang = t.language
        let base = "/o/\(object.name)?"
        let columns = state.columns.compactMap(object.queryableField)
        let sortField = state.sort.map { $0.hasPrefix("-") ? String($0.dropFirst()) : $0 }
        let descending = state.sort?.hasPrefix("-") == true
        let fieldChoices = { (selected: String?) -> [FieldChoice] in
            allFields.map { FieldChoice(name: $0.name, label: lang.label($0.labels), selected: $0.name == selected) }
        }
        let views = views.map { v in
            View(name: v.name, href: base + "view=" + URLQuery.escape(v.id), current: v.id == state.viewID, shared: v.shared,
                 deletable: v.ownerID == userID, deleteAction: "/o/\(object.name)/views/\(v.id)/delete")
        }
        return Context(
            title: lang.label(object.labels), object: object.name, count: count, csrf: csrf,
            writtenThrough: StandardObjects.writtenThrough[object.name] != nil,
            columns: columns.map { f in
                let current = sortField == f.name
                return Column(label: lang.label(f.labels), arrow: current ? (descending ? " ↓" : " ↑") : "",
                              sortHref: base + state.query(sort: current && !descending ? "-" + f.name : f.name),
                              ariaSort: current ? (descending ? "descending" : "ascending") : nil)
            },
            rows: records.map { r in
                Row(cells: columns.enumerated().map { i, f in
                    let (text, href) = names.display(r, f, t)
                    let flag = f.name == stageField ? staleDays[r.id].map { t["stale_days"].replacingOccurrences(of: "{1}", with: String($0)) } : nil
                    return Row.Cell(text: text, href: i == 0 ? "/o/\(object.name)/\(r.id)" : href, flag: flag)
                })
            },
            columnCount: max(columns.count, 1),
            filterRows: (state.filters + [SavedView.Condition(field: "", op: "eq", value: "")]).enumerated().map { i, f in
                FilterRow(index: i, fields: fieldChoices(f.field.isEmpty ? nil : f.field), fv: f.op == "isNull" ? "" : f.value,
                          ops: Self.ops.map { OperatorChoice(op: $0, label: t["op_" + $0], selected: $0 == f.op) })
            },
            columnChoices: allFields.map { ColumnChoice(name: $0.name, label: lang.label($0.labels), checked: state.columns.contains($0.name)) },
            views: views, hasViews: !views.isEmpty, canShare: canShare, sort: state.sort ?? "", viewID: state.viewID,
            stateColumns: state.columns, stateFilters: state.filters, allHref: "/o/\(object.name)",
            error: error, exportHref: exportHref, dedupHref: dedupHref,
            nextHref: nextCursor.map { base + state.query(cursor: $0) }, firstHref: hasCursor ? base + state.query() : nil)
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
