import Foundation
import HTTPTypes
import Hummingbird
import KeelCore
import KeelEngine

/// `/api/v1/{object}`: list, create, read, update, delete and history of records of any object.
struct RecordsAPI {
    let keel: Keel

    func register(on group: RouterGroup<KeelRequestContext>) {
        group.get(":object") { request, context in try await list(request, context) }
        group.post(":object") { request, context in try await create(request, context) }
        group.get(":object/:id") { request, context in try await get(request, context) }
        group.patch(":object/:id") { request, context in try await update(request, context) }
        group.delete(":object/:id") { request, context in try await delete(request, context) }
        group.get(":object/:id/history") { request, context in try await history(request, context) }
        group.get(":object/:id/roles") { _, context in
            let roles = try await keel.records.roleCoverage(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                            as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(roles.map(\.json))])
        }
        group.post(":object/bulk-update") { request, context in try await bulkUpdate(request, context) }
        group.post(":object/duplicate-check") { request, context in try await duplicateCheck(request, context) }
        group.post(":object/merge") { request, context in
            var request = request
            let merge = try MergeRequest.parse(try await request.jsonObject(context: context))
            let object = try context.parameters.require("object")
            let (entry, record) = try await keel.records.merge(object, merge, context: WriteContext(principal: try context.requirePrincipal(), source: .api))
            return APIResponse.json(["merge": entry, "record": record.json(object: try await keel.metadata.catalog().require(object))])
        }
        group.post(":object/merge/preview") { request, context in
            var request = request
            let merge = try MergeRequest.parse(try await request.jsonObject(context: context))
            return APIResponse.json(try await keel.records.previewMerge(try context.parameters.require("object"), merge, as: try context.requirePrincipal()))
        }
        group.post(":object/dedup-runs") { _, context in
            APIResponse.json(try await keel.dedup.start(try context.parameters.require("object"), as: try context.requirePrincipal()), status: .accepted)
        }
        group.get(":object/dedup-runs/:run") { _, context in
            let run = try await keel.dedup.run(try context.parameters.require("run"), as: try context.requirePrincipal())
            guard run["object"] == .string(try context.parameters.require("object")) else { throw KeelError.notFound("dedup run") }
            return APIResponse.json(run)
        }
        group.get(":object/duplicate-clusters") { _, context in
            APIResponse.json(try await keel.dedup.queue(try context.parameters.require("object"), as: try context.requirePrincipal()))
        }
        group.post(":object/duplicate-clusters/:cluster/merge") { request, context in
            var request = request
            let body = try await request.jsonObject(context: context, optional: true)
            guard Set(body.keys).isSubset(of: ["survivor"]), body["survivor"] == nil || body["survivor"]?.stringValue != nil else {
                throw KeelError(.badRequest, code: "invalid_body", message: "Send {} or {\"survivor\": id}.")
            }
            return APIResponse.json(try await keel.dedup.merge(try context.parameters.require("object"), cluster: try context.parameters.require("cluster"),
                                                               survivor: body["survivor"]?.stringValue,
                                                               context: WriteContext(principal: try context.requirePrincipal(), source: .api)))
        }
        group.post(":object/duplicate-clusters/:cluster/distinct") { _, context in
            try await keel.dedup.markDistinct(try context.parameters.require("object"), cluster: try context.parameters.require("cluster"),
                                              as: try context.requirePrincipal())
            return APIResponse.json(["status": "distinct"])
        }
        group.get(":object/:id/relationships") { _, context in
            let links = try await keel.records.relationships(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                             as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(links.map(\.json))])
        }
        group.post(":object/:id/registry-check") { _, context in
            guard try context.parameters.require("object") == StandardObjects.account.name else {
                throw KeelError(.unprocessable, code: "not_accounts", message: "Only accounts are checked against the business registry.")
            }
            return APIResponse.json(try await keel.checkRegistry(account: try context.parameters.require("id"),
                                                                 context: WriteContext(principal: try context.requirePrincipal(), source: .api)))
        }
        group.get(":object/:id/merges") { _, context in
            let merges = try await keel.records.merges(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                       as: try context.requirePrincipal())
            return APIResponse.json(["data": .array(merges)])
        }
        group.post(":object/merges/:merge/undo") { _, context in
            APIResponse.json(try await keel.records.unmerge(try context.parameters.require("object"), mergeID: try context.parameters.require("merge"),
                                                            context: WriteContext(principal: try context.requirePrincipal(), source: .api)))
        }
    }

    /// `{"values": {...}, "id": "…"?}`: the records these values (or record `id` changed to them) may duplicate,
    /// with scores and reasons, and whether a write would be refused. Writes nothing.
    func duplicateCheck(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        var request = request
        let body = try await request.jsonObject(context: context)
        guard let values = body["values"]?.objectValue, Set(body.keys).isSubset(of: ["values", "id"]),
              body["id"] == nil || body["id"]?.stringValue != nil else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"values\": {...}} and, for an existing record, \"id\".")
        }
        return APIResponse.json(try await keel.records.possibleDuplicates(try context.parameters.require("object"), values, id: body["id"]?.stringValue,
                                                                          principal: try context.requirePrincipal()))
    }

    /// `{"ids": [...], "set": {...}}`: the same change on many records, all or none.
    func bulkUpdate(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let object = try context.parameters.require("object")
        var request = request
        let body = try await request.jsonObject(context: context)
        guard let ids = body["ids"]?.arrayValue?.compactMap(\.stringValue), let set = body["set"]?.objectValue, body.count == 2 else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"ids\": [...], \"set\": {...}}.")
        }
        let records = try await keel.records.bulkUpdate(object, ids: ids, set, context: WriteContext(principal: try context.requirePrincipal(), source: .api))
        let definition = try await keel.metadata.catalog().require(object)
        return APIResponse.json(["data": .array(records.map { $0.json(object: definition) })])
    }

    func list(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let page = try await keel.records.list(try context.parameters.require("object"), params: try request.queryPairs(),
                                               as: try context.requirePrincipal())
        let data = page.records.map { $0.json(object: page.object, fields: page.query.fields) }
        return APIResponse.json(["data": .array(data), "nextCursor": page.nextCursor.map(JSONValue.string) ?? .null])
    }

    func create(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let object = try context.parameters.require("object")
        if object == StandardObjects.quote.name { return try await ContractsAPI(keel: keel).create(request, context) }
        var request = request
        let body = try await request.jsonObject(context: context)
        var idempotency: IdempotencyKey?
        if let key = request.headers[.idempotencyKey] {
            guard !key.isEmpty, key.count <= 255 else {
                throw KeelError(.badRequest, code: "invalid_idempotency_key", message: "Idempotency-Key must have 1 to 255 characters.")
            }
            idempotency = IdempotencyKey(key: key, requestHash: Digest.sha256Hex(object + "\n" + JSONValue.object(body).canonicalText()))
        }
        let result = try await keel.records.create(object, body, context: WriteContext(principal: try context.requirePrincipal(), source: .api),
                                                   idempotency: idempotency)
        var headers: HTTPFields = [:]
        if let id = result.json["id"]?.stringValue { headers[.location] = "/api/v1/\(object)/\(id)" }
        if result.replayed { headers[.idempotentReplayed] = "true" }
        return APIResponse.json(result.json, status: .created, headers: headers)
    }

    func get(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let (record, object) = try await keel.records.get(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                          as: try context.requirePrincipal())
        let fields = try request.queryPairs().last { $0.0 == "fields" }.map { pair in
            pair.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        }
        if let unknown = fields?.first(where: { object.queryableField($0) == nil }) {
            throw KeelError(.badRequest, code: "invalid_query", message: "Unknown field \(unknown).",
                            violations: [Violation(field: "fields", code: "unknown_field", message: "Unknown field \(unknown).")])
        }
        var headers: HTTPFields = [:]
        if object.sensitivity(of: record) >= 3 { headers[.keelWatermark] = Watermark.text(for: try context.requirePrincipal(), timeZone: keel.timeZone) }
        return APIResponse.json(record.json(object: object, fields: fields), headers: headers)
    }

    func update(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let object = try context.parameters.require("object")
        let id = try context.parameters.require("id")
        var request = request
        let expected = try request.ifMatchVersion()
        let body = try await request.jsonObject(context: context)
        let catalog = try await keel.metadata.catalog()
        let definition = try catalog.require(object)
        let record = try await keel.records.update(object, id: id, body, expectedVersion: expected,
                                                   context: WriteContext(principal: try context.requirePrincipal(), source: .api))
        return APIResponse.json(record.json(object: definition))
    }

    func delete(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        try await keel.records.delete(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                      expectedVersion: try request.ifMatchVersion(),
                                      context: WriteContext(principal: try context.requirePrincipal(), source: .api))
        return Response(status: .noContent)
    }

    func history(_ request: Request, _ context: KeelRequestContext) async throws -> Response {
        let entries = try await keel.records.history(try context.parameters.require("object"), id: try context.parameters.require("id"),
                                                     as: try context.requirePrincipal())
        return APIResponse.json(["data": .array(entries.map(\.json))])
    }
}

extension HTTPField.Name {
    static let idempotencyKey = HTTPField.Name("Idempotency-Key")!
    static let idempotentReplayed = HTTPField.Name("Idempotent-Replayed")!
    /// Who is looking, and when: sent with sensitive (L3+) records and exports.
    static let keelWatermark = HTTPField.Name("Keel-Watermark")!
}
