import Foundation
import KeelCore
import KeelStore

/// Records leaving Keel in bulk: what the reader may both read and export, masked alike, watermarked and audited.
public struct RecordExport: Sendable {
    public var id: String
    public var object: ObjectDefinition
    public var records: [Record]
    /// Who exported, when, and the export's id: printed on the file.
    public var watermark: String
}

extension RecordService {
    /// The most rows one export carries; larger exports must be narrowed by filters.
    public static let maxExportRows = 100_000

    /// Every record matching the request's filters that the caller may read and export, in the request's order.
    public func export(_ objectName: String, params: [(String, String)], as principal: Principal) async throws -> RecordExport {
        let object = try await metadata.catalog().require(objectName)
        var (scope, query) = try await exportPlan(object, params: params, as: principal)
        var records: [Record] = []
        try await database.read { db in
            repeat {
                let page = try await store.list(object, query: query, access: scope, on: db)
                records += page.records
                query.cursor = page.nextCursor.flatMap(Cursor.decode)
                if records.count > Self.maxExportRows {
                    throw KeelError(.unprocessable, code: "export_too_large",
                                    message: "More than \(Self.maxExportRows) records match; narrow the filters and export in parts.")
                }
            } while query.cursor != nil
        }
        let id = RecordID.make()
        let now = Date()
        let watermark = "Keel export \(id) | " + Watermark.text(for: principal, timeZone: access.timeZone, at: now)
        try await access.audit(AuditEntry(at: ValueFormats.formatDateTime(now), actor: principal.userID, action: "export", object: object.name,
                                          detail: ["export": .string(id), "rows": .number(Double(records.count)),
                                                   "query": .array(params.map { .string("\($0.0)=\($0.1)") })]))
        return RecordExport(id: id, object: object, records: records, watermark: watermark)
    }

    /// What an export of the request's records may carry: the records and fields the caller may both read and export,
    /// decided for as many records as match. 403 `step_up_required` when a freshly re-entered password (step-up) would
    /// let them export more, so nobody gets a file quietly thinner than the one they asked for. `matching`: how many
    /// records the caller may read match the filters, when the caller has counted them already (a list page has).
    public func exportPlan(_ object: ObjectDefinition, params: [(String, String)], as principal: Principal,
                           matching: Int? = nil) async throws -> (AccessScope, ListQuery) {
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
        return (scope, query)
    }
}
