import Foundation
import KeelCore
import KeelStore

/// Records leaving Keel in bulk: what the reader may both read and export, masked alike, watermarked and audited.
/// The records are read a page at a time as the file is written, so memory stays bounded whatever the export's size.
public struct RecordExport: Sendable {
    public var id: String
    public var object: ObjectDefinition
    /// How many records match (counted before the export starts).
    public var rows: Int
    /// Who exported, when, and the export's id: printed on the file.
    public var watermark: String
    public let pages: Pages

    /// The export's records in its order, page by page, each page read on its own.
    public final class Pages: @unchecked Sendable {
        let read: @Sendable (ListQuery) async throws -> ([Record], String?)
        var query: ListQuery?

        init(query: ListQuery, read: @escaping @Sendable (ListQuery) async throws -> ([Record], String?)) {
            (self.query, self.read) = (query, read)
        }

        /// The next page; nil when every record has been given.
        public func next() async throws -> [Record]? {
            guard var current = query else { return nil }
            let (records, cursor) = try await read(current)
            current.cursor = cursor.flatMap(Cursor.decode)
            query = current.cursor == nil ? nil : current
            return records.isEmpty && query == nil ? nil : records
        }
    }
}

extension RecordService {
    /// The most rows one export carries; larger exports must be narrowed by filters.
    public static let maxExportRows = 100_000

    /// Every record matching the request's filters that the caller may read and export, in the request's order. More
    /// than `maxExportRows`: 422 before anything is written.
    public func export(_ objectName: String, params: [(String, String)], as principal: Principal) async throws -> RecordExport {
        let object = try await metadata.catalog().require(objectName)
        let (scope, query, rows) = try await exportPlan(object, params: params, as: principal)
        if rows > Self.maxExportRows {
            throw KeelError(.unprocessable, code: "export_too_large",
                            message: "\(rows) records match, more than \(Self.maxExportRows); narrow the filters and export in parts.")
        }
        let id = RecordID.make()
        let now = Date()
        let watermark = "Keel export \(id) | " + Watermark.text(for: principal, timeZone: access.timeZone, at: now)
        try await access.audit(AuditEntry(at: ValueFormats.formatDateTime(now), actor: principal.userID, action: "export", object: object.name,
                                          detail: ["export": .string(id), "rows": JSONValue(rows),
                                                   "query": .array(params.map { .string("\($0.0)=\($0.1)") })]))
        let (database, records) = (self.database, self.store)
        return RecordExport(id: id, object: object, rows: rows, watermark: watermark, pages: RecordExport.Pages(query: query) { query in
            let page = try await database.read { try await records.list(object, query: query, access: scope, on: $0) }
            return (page.records, page.nextCursor)
        })
    }

    /// What an export of the request's records may carry: the records and fields the caller may both read and export,
    /// decided for as many records as match, and how many that is (the export's cap is checked on it). 403 `step_up_required` when a freshly re-entered password (step-up) would
    /// let them export more, so nobody gets a file quietly thinner than the one they asked for. `matching`: how many
    /// records the caller may read match the filters, when the caller has counted them already (a list page has).
    public func exportPlan(_ object: ObjectDefinition, params: [(String, String)], as principal: Principal,
                           matching: Int? = nil) async throws -> (AccessScope, ListQuery, rows: Int) {
        let read = try await readScope(principal, .read, object: object)
        var query = try ListQuery.parse(params.filter { $0.0 != "cursor" && $0.0 != "limit" }, object: object)
        func exportable(by who: Principal, rows: Int) async throws -> AccessScope {
            var scope = read
            scope.plan = read.plan.intersecting(try await access.scope(who, .export, object: object, exportRows: rows).plan)
            return scope
        }
        var steppedUp = principal
        steppedUp.stepUpAt = Date()
        // Someone who may not export even after a step-up is told so before anything is counted.
        if try await exportable(by: steppedUp, rows: 0).plan.deniesAll { throw AccessControl.denied(.export, object: object.name) }
        let rows = if let matching { matching } else { try await database.read { try await store.count(object, query: query, access: read, on: $0) } }
        let scope = try await exportable(by: principal, rows: rows)
        if try await exportable(by: steppedUp, rows: rows).plan != scope.plan {
            throw KeelError(.forbidden, code: "step_up_required",
                            message: "Enter your password again (POST /api/v1/auth/step-up) before this export: the policies ask for it for sensitive data and large exports.")
        }
        if scope.plan.deniesAll { throw AccessControl.denied(.export, object: object.name) }
        try Self.checkQueryable(query.filters.map(\.field.name) + [query.sort.field.name], scope: scope)
        query.limit = ListQuery.maxLimit
        return (scope, query, rows)
    }
}
