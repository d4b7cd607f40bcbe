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
        let read = try await readScope(principal, .read, object: object)
        let exportable = try await readScope(principal, .export, object: object)
        var scope = read
        scope.plan = read.plan.intersecting(exportable.plan)
        if scope.plan.deniesAll { throw AccessControl.denied(.export, object: object.name) }
        var query = try ListQuery.parse(params.filter { $0.0 != "cursor" && $0.0 != "limit" }, object: object)
        try Self.checkQueryable(query.filters.map(\.field.name) + [query.sort.field.name], scope: scope)
        query.limit = ListQuery.maxLimit
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
}
