import Foundation
import Hummingbird
import KeelCore
import KeelEngine

/// `/api/v1/imports`: a file uploaded (multipart with a `file` part, or the CSV itself as the body, streamed to disk)
/// and imported in the background; its progress, counts and report; its error report as CSV; taking it back (in the
/// background too). `/api/v1/import-mappings`: mappings saved under a name, shared by the team.
struct ImportsAPI {
    let keel: Keel

    /// The fields an upload takes besides the file (as form parts, or as query parameters with a raw body).
    static let fields: Set<String> = ["object", "mapping", "onDuplicate", "update", "encoding", "preset", "sheet", "dryRun"]

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.post("imports") { request, context in
            let principal = try context.requirePrincipal()
            var request = request
            let path = try keel.imports.uploadPath(for: principal)
            let (filename, fields) = try await Self.receive(&request, at: path, limit: Imports.maxUploadBytes, fields: Self.fields)
            do {
                let (plan, dryRun) = try await Self.plan(fields, keel: keel)
                let job = try await keel.imports.start(uploaded: path, filename: filename, plan: plan, dryRun: dryRun, as: principal)
                keel.imports.enqueue(job.id)
                return APIResponse.json(Self.json(job, problems: []), status: .accepted, headers: [.location: "/api/v1/imports/\(job.id)"])
            } catch {
                try? FileManager.default.removeItem(atPath: path)
                throw error
            }
        }
        group.get("imports") { _, context in
            APIResponse.json(["data": .array(try await keel.imports.jobs(as: try context.requirePrincipal()).map { Self.json($0, problems: nil) })])
        }
        group.get("imports/:id") { _, context in
            let principal = try context.requirePrincipal()
            let job = try await keel.imports.job(try context.parameters.require("id"), as: principal)
            let problems = try await keel.imports.rows(job.id, outcomes: [.failed], limit: 100, as: principal)
            return APIResponse.json(Self.json(job, problems: problems))
        }
        group.get("imports/:id/rows") { request, context in
            let query = try request.queryPairs()
            let after = try Self.integer(query, "after", default: 0, in: 0...Int(Int32.max))
            let limit = try Self.integer(query, "limit", default: 500, in: 1...1_000)
            let rows = try await keel.imports.rows(try context.parameters.require("id"), after: after, limit: limit, as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(rows.map(\.json))])
        }
        group.get("imports/:id/errors.csv") { _, context in
            let principal = try context.requirePrincipal()
            return try await ImportReport.errorsResponse(try context.parameters.require("id"), imports: keel.imports, as: principal)
        }
        group.post("imports/:id/revert") { _, context in
            let job = try await keel.imports.beginRevert(try context.parameters.require("id"), as: try context.requirePrincipal())
            keel.imports.enqueueRevert(job.id)
            return APIResponse.json(Self.json(job, problems: nil), status: .accepted, headers: [.location: "/api/v1/imports/\(job.id)"])
        }
        group.get("import-mappings") { request, context in
            let object = try request.queryPairs().last { $0.0 == "object" }?.1
            let mappings = try await keel.imports.mappings(object: object, as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(mappings.map(\.json))])
        }
        group.post("import-mappings") { request, context in
            var request = request
            let principal = try context.requirePrincipal()
            var body = try await request.jsonObject(context: context)
            var missing: [Violation] = []
            if body["name"]?.stringValue == nil { missing.append(Violation(field: "name", code: "required", message: "A mapping is saved under a name (text).")) }
            if body["object"]?.stringValue == nil { missing.append(Violation(field: "object", code: "required", message: "Name the object the mapping is for (text).")) }
            guard missing.isEmpty, let name = body.removeValue(forKey: "name")?.stringValue, let objectName = body["object"]?.stringValue else {
                throw KeelError.validation(missing)
            }
            let plan = try ImportPlan.parse(.object(body), object: try await keel.metadata.catalog().require(objectName))
            let saved = try await keel.imports.saveMapping(name: name, plan: plan, as: principal)
            return APIResponse.json(saved.json, status: .created, headers: [.location: "/api/v1/import-mappings/\(saved.id)"])
        }
        group.get("import-mappings/:id") { _, context in
            APIResponse.json(try await keel.imports.mapping(try context.parameters.require("id"), as: try context.requirePrincipal()).json)
        }
        group.delete("import-mappings/:id") { _, context in
            try await keel.imports.deleteMapping(try context.parameters.require("id"), as: try context.requirePrincipal())
            return Response(status: .noContent)
        }
    }

    /// An import as the API answers it: progress, counts, and (when asked) its first problem rows.
    static func json(_ job: ImportJob, problems: [ImportRowResult]?) -> JSONValue {
        var out = job.json.objectValue ?? [:]
        out["progress"] = JSONValue(job.totalRows == 0 ? 1.0 : (Double(job.doneRows) / Double(job.totalRows) * 1000).rounded() / 1000)
        out["errorsCsv"] = .string("/api/v1/imports/\(job.id)/errors.csv")
        if let problems { out["problems"] = .array(problems.map(\.json)) }
        return .object(out)
    }

    static func integer(_ query: [(String, String)], _ name: String, default value: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = query.last(where: { $0.0 == name })?.1 else { return value }
        guard let n = Int(text), range.contains(n) else {
            throw KeelError(.badRequest, code: "invalid_query", message: "\(name) is a whole number from \(range.lowerBound) to \(range.upperBound).",
                            violations: [Violation(field: name, code: "out_of_range", message: "\(name) is \(range.lowerBound)–\(range.upperBound).")])
        }
        return n
    }

    /// Receives the upload at `path`: a multipart form (its `file` part and the other fields), or the CSV itself as the
    /// body (`text/csv`, streamed to disk, the fields as query parameters). `fields`: those it takes besides the file.
    /// Over `limit`: 413, nothing kept.
    static func receive(_ request: inout Request, at path: String, limit: Int, fields: Set<String>) async throws -> (filename: String, fields: [String: String]) {
        let type = (request.headers[.contentType] ?? "").lowercased()
        if type.hasPrefix("multipart/form-data") {
            let upload = try await AttachmentsAPI.upload(&request, limit: limit, fields: fields)
            guard FileManager.default.createFile(atPath: path, contents: Data(upload.bytes)) else {
                throw KeelError(.internalError, code: "file_not_stored", message: "The uploaded file could not be stored.")
            }
            return (upload.filename, upload.fields)
        }
        guard type.hasPrefix("text/csv") || type.hasPrefix("application/octet-stream") else {
            throw KeelError(.unsupportedMediaType, code: "unsupported_upload",
                            message: "Send the file as multipart/form-data (a part named file) or as the body with Content-Type text/csv.")
        }
        let query = try request.queryPairs()
        let unknown = Set(query.map(\.0)).subtracting(fields.union(["filename"]))
        guard unknown.isEmpty else {
            throw KeelError.validation(unknown.sorted().map { Violation(field: $0, code: "unknown_field", message: "\($0) is not part of an upload.") })
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw KeelError(.internalError, code: "file_not_stored", message: "The uploaded file could not be stored.")
        }
        defer { try? handle.close() }
        var size = 0
        do {
            for try await buffer in request.body {
                size += buffer.readableBytes
                guard size <= limit else { throw KeelError(.payloadTooLarge, code: "file_too_large", message: "A file may be at most \(limit / 1_048_576) MB.") }
                try handle.write(contentsOf: buffer.readableBytesView)
            }
        } catch {
            try? FileManager.default.removeItem(atPath: path)
            throw error
        }
        var given: [String: String] = [:]
        for (k, v) in query where k != "filename" { given[k] = v }
        return (query.last { $0.0 == "filename" }?.1 ?? "upload.csv", given)
    }

    /// The plan and dry-run flag an upload's fields say: `object` (required), `mapping` (JSON), `onDuplicate`,
    /// `update`, `encoding`, `preset`, `sheet` (a workbook's), `dryRun` (true/false). Each problem is a violation.
    static func plan(_ fields: [String: String], keel: Keel) async throws -> (ImportPlan, Bool) {
        guard let name = fields["object"], !name.isEmpty else {
            throw KeelError.validation([Violation(field: "object", code: "required", message: "Name the object to import into.")])
        }
        let object = try await keel.metadata.catalog().require(name)
        var body: [String: JSONValue] = [:]
        if let mapping = fields["mapping"], !mapping.isEmpty {
            guard let json = try? JSONValue.parse(text: mapping), let mapped = json.objectValue else {
                throw KeelError.validation([Violation(field: "mapping", code: "invalid_json", message: "mapping is a JSON object: {\"columns\": {header: field}}.")])
            }
            body = mapped
        }
        for key in ["onDuplicate", "update", "encoding", "preset", "sheet"] { if let v = fields[key], !v.isEmpty { body[key] = .string(v) } }
        let plan = try ImportPlan.parse(.object(body), object: object)
        let dry = fields["dryRun"]?.lowercased()
        guard dry == nil || ["true", "false", "1", "0", ""].contains(dry!) else {
            throw KeelError.validation([Violation(field: "dryRun", code: "invalid_type", message: "dryRun is true or false.")])
        }
        return (plan, dry == "true" || dry == "1")
    }
}
