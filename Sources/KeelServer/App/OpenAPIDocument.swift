import KeelCore
import KeelEngine

/// The OpenAPI 3.1 description of the API, built from the catalog so custom objects and fields appear at once.
enum OpenAPIDocument {
    /// `registry`: whether a business registry is set up; without one the registry check is not an operation here.
    /// `reserved`: the names a custom object may not take.
    static func build(catalog: Catalog, registry: Bool = false, reserved: Set<String> = []) -> JSONValue {
        // Paths from several places; operations on one path (GET here, DELETE there) are put together.
        var paths: [String: JSONValue] = fixedPaths(catalog).merging(accessPaths(catalog)) { a, _ in a }.merging(automationPaths(catalog)) { a, b in
            .object((a.objectValue ?? [:]).merging(b.objectValue ?? [:]) { first, _ in first })
        }.merging(leadPaths(catalog)) { a, _ in a }.merging(pipelinePaths(catalog)) { a, _ in a }.merging(attachmentPaths(catalog)) { a, _ in a }.merging(importPaths(catalog)) { a, _ in a }.merging(financePaths(catalog)) { a, _ in a }
        var schemas: [String: JSONValue] = fixedSchemas(reserved: reserved.union(catalog.objects.map(\.name)), catalog: catalog)
        for object in catalog.objects {
            let schema = schemaName(object)
            schemas[schema] = recordSchema(object)
            schemas[schema + "Input"] = inputSchema(object, creating: false)
            schemas[schema + "Create"] = inputSchema(object, creating: true)
            let tag: JSONValue = [.string(object.name)]
            let idParam: JSONValue = ["name": "id", "in": "path", "required": true, "schema": idSchema]
            let ref: JSONValue = ["$ref": .string("#/components/schemas/\(schema)")]
            let input: JSONValue = ["required": true, "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)Input")]]]]
            let create: JSONValue = ["required": true, "content": ["application/json": ["schema": ["$ref": .string("#/components/schemas/\(schema)Create")]]]]
            paths["/api/v1/\(object.name)"] = [
                "get": [
                    "tags": tag, "summary": .string("List \(object.labels.en)"), "parameters": listParameters(object),
                    "responses": ["200": ok(["type": "object", "required": ["data", "nextCursor"], "properties": [
                        "data": ["type": "array", "items": ref], "nextCursor": ["type": ["string", "null"]]]]),
                                  "400": errorRef, "401": errorRef],
                ],
                "post": [
                    "tags": tag, "summary": .string("Create a record of \(object.labels.en)"), "requestBody": create,
                    "parameters": [["name": "Idempotency-Key", "in": "header", "schema": ["type": "string", "minLength": 1, "maxLength": 255],
                                    "description": "The same key with the same body answers the first result again; with another body 409"]],
                    "responses": ["201": ok(ref), "400": errorRef, "401": errorRef, "409": ["description": "duplicate: an existing record has the same identity (see error.candidates)",
                                                                                                  "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]],
                                  "413": errorRef, "422": errorRef, "503": busy],
                ],
            ]
            paths["/api/v1/\(object.name)/bulk-update"] = ["post": [
                "tags": tag, "summary": "Set the same fields on up to 500 records, all or none (needs bulk_update and update on each)",
                "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["ids", "set"], "additionalProperties": false,
                    "properties": ["ids": ["type": "array", "minItems": 1, "maxItems": 500, "uniqueItems": true, "items": idSchema],
                                   "set": ["allOf": [["$ref": .string("#/components/schemas/\(schema)Input")], ["minProperties": 1]]]]]]]],
                "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ref]]]),
                              "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef],
            ]]
            paths["/api/v1/\(object.name)/duplicate-check"] = ["post": [
                "tags": tag, "summary": "Records these values (or record id changed to them) may duplicate, with scores and reasons; writes nothing",
                "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["values"], "additionalProperties": false,
                    "properties": ["values": ["$ref": .string("#/components/schemas/\(schema)Input")], "id": idSchema]]]]],
                "responses": ["200": ok(["type": "object", "properties": [
                    "blocked": ["type": "boolean"], "candidates": ["type": "array", "items": ["$ref": "#/components/schemas/DuplicateCandidate"]]]]),
                              "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef],
            ]]
            paths["/api/v1/\(object.name)/{id}"] = [
                "parameters": [idParam],
                "get": ["tags": tag, "summary": "Read a record", "responses": ["200": ok(ref), "401": errorRef, "404": errorRef]],
                "patch": [
                    "tags": tag, "summary": "Change fields of a record", "requestBody": input,
                    "parameters": [ifMatch],
                    "responses": ["200": ok(ref), "400": errorRef, "401": errorRef, "404": errorRef, "409": errorRef, "413": errorRef, "422": errorRef, "503": busy],
                ],
                "delete": [
                    "tags": tag, "summary": "Delete a record",
                    "parameters": [ifMatch],
                    "responses": ["204": ["description": "Deleted"], "401": errorRef, "404": errorRef, "409": errorRef, "503": busy],
                ],
            ]
            let mergeBody: JSONValue = ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["survivor", "merged"],
                "additionalProperties": false, "properties": [
                "survivor": reference(object.name), "merged": ["type": "array", "minItems": 1, "maxItems": 19, "uniqueItems": true,
                                                               "items": reference(object.name), "description": "Other records than the survivor"],
                "versions": ["type": ["object", "null"], "additionalProperties": ["type": "integer", "minimum": 1, "maximum": 999_999_999],
                             "description": "The version of each record the caller saw; a record changed since is a 409"],
                "rule": ["type": ["string", "null"], "enum": .array(SurvivorshipRule.allCases.map { .string($0.rawValue) } + [.null])],
                "sourcePriority": ["type": ["array", "null"], "items": ["type": "string", "enum": .array(WriteSource.allCases.map { .string($0.rawValue) })]],
                "choose": ["type": ["object", "null"], "propertyNames": ["enum": .array(object.fields.filter { $0.formula == nil }.map { .string($0.name) })],
                           "additionalProperties": ["type": "string", "pattern": .string(uuid), "x-keel-choice-of": ["survivor", "merged"]],
                           "description": "Field → the id of the record whose value it keeps: the survivor or one of merged"]]]]]]
            paths["/api/v1/\(object.name)/merge"] = ["post": [
                "tags": tag, "summary": "Merge records into a survivor: fields by rule or choice, phones/e-mails unioned, related records moved; reversible",
                "requestBody": mergeBody,
                "responses": ["200": ok(["type": "object", "properties": ["merge": ["type": "object"], "record": ref]]),
                              "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef],
            ]]
            paths["/api/v1/\(object.name)/merge/preview"] = ["post": [
                "tags": tag, "summary": "The survivor's values a merge would write, and the record each came from; writes nothing",
                "requestBody": mergeBody, "responses": ["200": ok(["type": "object"]), "400": errorRef, "401": errorRef, "404": errorRef, "422": errorRef],
            ]]
            paths["/api/v1/\(object.name)/merges/{merge}/undo"] = [
                "parameters": [["name": "merge", "in": "path", "required": true, "schema": ["type": "string"]]],
                "post": ["tags": tag, "summary": "Undo a merge: the merged records, their related records and the survivor's fields come back (fields edited since are kept)",
                         "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef]],
            ]
            // Batch runs and the review queue exist for objects whose records the duplicate check can identify.
            if object.hasIdentity {
                paths["/api/v1/\(object.name)/dedup-runs"] = ["post": [
                    "tags": tag, "summary": "Start a batch duplicate search over every record (admin); runs in the background",
                    "responses": ["202": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef],
                ]]
                paths["/api/v1/\(object.name)/dedup-runs/{run}"] = [
                    "parameters": [["name": "run", "in": "path", "required": true, "schema": ["type": "string"]]],
                    "get": ["tags": tag, "summary": "A batch run's status, phase, progress and figures (records, clusters, duplicate rate)",
                            "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef]],
                ]
                paths["/api/v1/\(object.name)/duplicate-clusters"] = ["get": [
                    "tags": tag, "summary": "The review queue: open clusters, strongest first, with their records and evidence",
                    "responses": ["200": ok(["type": "object"]), "401": errorRef, "404": errorRef],
                ]]
                let clusterParam: JSONValue = ["name": "cluster", "in": "path", "required": true, "schema": ["type": "string"]]
                paths["/api/v1/\(object.name)/duplicate-clusters/{cluster}/merge"] = [
                    "parameters": [clusterParam],
                    "post": ["tags": tag, "summary": "Merge a cluster into `survivor` (default: its most complete record)",
                             "requestBody": ["content": ["application/json": ["schema": ["type": "object", "additionalProperties": false,
                                                                                         "properties": ["survivor": idSchema]]]]],
                             "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef]],
                ]
                paths["/api/v1/\(object.name)/duplicate-clusters/{cluster}/distinct"] = [
                    "parameters": [clusterParam],
                    "post": ["tags": tag, "summary": "Mark a cluster \"not duplicates\" (remembered by later runs and the duplicate check)",
                             "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef]],
                ]
            }
            paths["/api/v1/\(object.name)/{id}/merges"] = [
                "parameters": [idParam],
                "get": ["tags": tag, "summary": "Merges into the record, newest first, with the records merged: its former identities",
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ["type": "object"]]]]), "401": errorRef, "404": errorRef]],
            ]
            if object.name == StandardObjects.account.name, registry {
                paths["/api/v1/\(object.name)/{id}/registry-check"] = [
                    "parameters": [idParam],
                    "post": ["tags": tag, "summary": "Check the account against the business registry: status, capital; empty legal representative, address, credit code filled",
                             "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "502": errorRef, "503": errorRef]],
                ]
            }
            if object.name == StandardObjects.account.name {
                paths["/api/v1/\(object.name)/{id}/relationships"] = [
                    "parameters": [idParam],
                    "get": ["tags": tag, "summary": "Accounts sharing a legal representative, address, phone, e-mail domain or director, with parent/branch suggestions",
                            "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ["type": "object", "properties": [
                                "account": ["type": "object"], "via": ["type": "array", "items": ["type": "object"]],
                                "suggestion": ["type": ["string", "null"], "enum": ["parent", "branch", nil]]]]]]]),
                                          "401": errorRef, "404": errorRef]],
                ]
            }
            paths["/api/v1/\(object.name)/{id}/roles"] = [
                "parameters": [idParam],
                "get": ["tags": tag, "summary": "Roles the record's required groups suggest, and the contacts in each",
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ["type": "object", "properties": [
                            "role": ["type": "string"], "filledBy": ["type": "array", "items": ["type": "object"]]]]]]]),
                                      "401": errorRef, "404": errorRef]],
            ]
            paths["/api/v1/\(object.name)/{id}/history"] = [
                "parameters": [idParam],
                "get": ["tags": tag, "summary": "Field history of a record, oldest first",
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ["$ref": "#/components/schemas/HistoryEntry"]]]]),
                                      "401": errorRef, "404": errorRef]],
            ]
        }
        (paths, schemas) = contractPaths(paths, schemas: schemas, catalog: catalog)
        return [
            "openapi": "3.1.0",
            "info": ["title": "Keel CRM API", "version": "1", "description": "Records of every object, standard and custom, metadata, and auth."],
            "servers": [["url": "/"]],
            "security": [["bearer": []]],
            "paths": .object(withCommonErrors(paths)),
            "components": [
                "schemas": .object(schemas),
                "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            ],
        ]
    }

    /// Every operation lists the errors any request to it can meet, so a client finds each status it may get: 400 (an
    /// unreadable body, query or header), 404 (an unknown object, record or id in the path), 401 and 403 unless it is
    /// public, and with a body 413 (over 1 MiB) and 422 (every violation of the rules the schemas cannot state).
    static func withCommonErrors(_ paths: [String: JSONValue]) -> [String: JSONValue] {
        let methods: Set<String> = ["get", "put", "post", "patch", "delete"]
        return paths.mapValues { item in
            guard var operations = item.objectValue else { return item }
            for (method, operation) in operations where methods.contains(method) {
                guard var op = operation.objectValue else { continue }
                var responses = op["responses"]?.objectValue ?? [:]
                let isPublic = op["security"] == []
                var codes = ["400", "404"] + (isPublic ? [] : ["401", "403"])
                if op["requestBody"] != nil || ["post", "put", "patch"].contains(method) { codes += ["413", "422"] }
                for code in codes where responses[code] == nil { responses[code] = errorRef }
                op["responses"] = .object(responses)
                operations[method] = .object(op)
            }
            return .object(operations)
        }
    }

    static let errorRef: JSONValue = ["description": "Error", "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]
    /// Too many writes already waiting (SQLite commits them in groups): try again after `Retry-After` seconds.
    static let busy: JSONValue = ["description": "busy: too many writes are waiting; try again after Retry-After seconds",
                                  "headers": ["Retry-After": ["schema": ["type": "integer"]]],
                                  "content": ["application/json": ["schema": ["$ref": "#/components/schemas/Error"]]]]

    static func ok(_ schema: JSONValue) -> JSONValue {
        ["description": "OK", "content": ["application/json": ["schema": schema]]]
    }

    static func schemaName(_ object: ObjectDefinition) -> String {
        object.name.split(separator: "_").map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    /// `filter[<field>][<op>]=<value>`. Which operators a field takes and how its values are written depends on its
    /// type, which the note says and the examples keep (a schema per field makes clients' generators crawl).
    static func filterSchema(_ names: [String]) -> JSONValue {
        ["type": "object", "propertyNames": ["enum": .array(names.map(JSONValue.string))],
         "additionalProperties": ["type": "object", "propertyNames": ["enum": .array(FilterOperator.allCases.map { .string($0.rawValue) })],
                                  "additionalProperties": ["type": "string"]],
         "x-keel-check": "contains and startsWith take text fields; gt, gte, lt, lte no true/false or list fields; isNull takes true or false; a value is written as its field reads it (a number, true/false, YYYY-MM-DD, RFC 3339); in takes up to 200 comma-separated values",
         "examples": [["created_at": ["gte": "2026-01-01T00:00:00Z"]], ["id": ["isNull": "false"], "updated_at": ["lt": "2099-12-31T00:00:00+08:00"]]]]
    }

    static func listParameters(_ object: ObjectDefinition) -> JSONValue {
        let names = (ObjectDefinition.systemFieldDefinitions + object.fields).map(\.name)
        let sortValues = names.flatMap { [JSONValue.string($0), .string("-" + $0)] }
        return [
            ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": JSONValue(ListQuery.maxLimit), "default": 50]],
            ["name": "cursor", "in": "query", "description": "The nextCursor of the previous page, with the same sort",
             "schema": ["type": "string", "x-keel-issued": "nextCursor"]],
            ["name": "sort", "in": "query", "schema": ["type": "string", "enum": .array(sortValues)]],
            ["name": "fields", "in": "query", "description": "Comma-separated field names",
             "schema": ["type": "string", "x-keel-check": "Names of the object's fields, comma-separated", "examples": .array(names.prefix(3).map(JSONValue.string) + [.string(names.prefix(3).joined(separator: ","))])]],
            ["name": "filter", "in": "query", "style": "deepObject", "explode": true,
             "description": .string("filter[<field>][<op>]=<value>; ops: \(FilterOperator.allCases.map(\.rawValue).joined(separator: ", ")); fields: \(names.joined(separator: ", "))"),
             "schema": filterSchema(names)],
        ]
    }

    /// Labels in both languages, each at most 100 characters of plain text.
    static let labels: JSONValue = {
        let label: JSONValue = ["type": ["string", "null"], "maxLength": 100, "pattern": .string(plainText)]
        return ["type": ["object", "null"], "properties": ["zh-CN": label, "en": label]]
    }()

    static func fixedSchemas(reserved: Set<String>, catalog: Catalog) -> [String: JSONValue] {
        [
            "Error": ["type": "object", "required": ["error"], "properties": ["error": [
                "type": "object", "required": ["code", "message", "violations"], "properties": [
                    "code": ["type": "string"], "message": ["type": "string"],
                    "violations": ["type": "array", "items": ["type": "object", "required": ["field", "code", "message"], "properties": [
                        "field": ["type": "string"], "code": ["type": "string"], "message": ["type": "string"]]]],
                    "candidates": ["type": "array", "description": "With code duplicate: the existing records, best first",
                                   "items": ["$ref": "#/components/schemas/DuplicateCandidate"]],
                ]]]],
            "DuplicateCandidate": ["type": "object", "required": ["id"], "description": "A record the caller may not read shows only its id (to ask for access) and hidden: true", "properties": [
                "id": ["type": "string"], "name": ["type": "string"], "hidden": ["type": "boolean"],
                "score": ["type": "number", "description": "Match probability, 0–1"],
                "reasons": ["type": "array", "items": ["type": "object", "properties": [
                    "field": ["type": "string"], "role": ["type": "string"], "match": ["type": "string", "enum": ["same", "similar", "different"]]]]],
            ]],
            "HistoryEntry": ["type": "object", "properties": [
                "seq": ["type": "integer"], "changeId": ["type": "string"], "operation": ["type": "string", "enum": ["create", "update", "delete", "attach"]],
                "field": ["type": "string"], "old": [:], "new": [:], "actor": ["type": ["string", "null"]],
                "source": ["type": "string"], "at": ["type": "string", "format": "date-time"]]],
            "Field": ["type": "object", "required": ["name", "type"], "properties": [
                "name": ["type": "string", "pattern": "^[a-z][a-z0-9_]{0,62}$"],
                "type": ["type": "string", "enum": .array((FieldType.allCases.map(\.rawValue) + ["formula"]).map(JSONValue.string))],
                "expression": ["type": "string", "description": "formula fields: e.g. IF(ISBLANK(amount), 0, amount * 1.13)"],
                "resultType": ["type": "string", "enum": ["number", "text", "boolean", "date", "datetime"]],
                "sensitivity": ["type": "integer", "minimum": 1, "maximum": 4],
                "default": ["description": "a value of the field's type, for new records that leave it out"],
                "labels": ["type": "object", "properties": ["zh-CN": ["type": "string"], "en": ["type": "string"]]],
                "required": ["type": "boolean"], "options": ["type": ["array", "null"], "items": ["type": "string"]],
                "target": ["type": ["string", "null"]], "maxLength": ["type": "integer"]]],
            "Object": ["type": "object", "required": ["name"], "properties": [
                "name": ["type": "string"], "labels": ["type": "object", "properties": ["zh-CN": ["type": "string"], "en": ["type": "string"]]],
                "fields": ["type": "array", "items": ["$ref": "#/components/schemas/Field"]]]],
            "NewObject": ["type": "object", "required": ["name"], "properties": [
                "name": ["type": "string", "pattern": "^[a-z][a-z0-9_]{1,62}$", "not": ["enum": .array(reserved.sorted().map(JSONValue.string))],
                         "x-keel-unique": true, "description": "Not a name Keel or a route of the API uses, nor one an object has (409)"],
                "labels": labels,
                "fields": ["type": ["array", "null"], "items": newField(catalog)]]],
            "User": ["type": "object", "properties": [
                "id": ["type": "string"], "email": ["type": "string"], "name": ["type": "string"],
                "role": ["type": "string", "enum": ["admin", "manager", "member"]], "department": ["type": ["string", "null"]],
                "manager": ["type": ["string", "null"]], "status": ["type": "string", "enum": ["active", "frozen"]],
                "level": ["type": "integer", "minimum": 1, "maximum": 9], "last_active_at": ["type": ["string", "null"]]]],
        ]
    }

    static func fixedPaths(_ catalog: Catalog) -> [String: JSONValue] {
        let objectParam: JSONValue = ["name": "object", "in": "path", "required": true, "schema": ["type": "string"]]
        let objectNames = catalog.objects.map { JSONValue.string($0.name) }
        let field: JSONValue = ["$ref": "#/components/schemas/Field"]
        let object: JSONValue = ["$ref": "#/components/schemas/Object"]
        let user: JSONValue = ["$ref": "#/components/schemas/User"]
        let body = { (schema: JSONValue) -> JSONValue in ["required": true, "content": ["application/json": ["schema": schema]]] }
        let list = { (schema: JSONValue) -> JSONValue in ok(["type": "object", "properties": ["data": ["type": "array", "items": schema]]]) }
        return [
            "/healthz": ["get": ["security": [], "summary": "Liveness and database check", "responses": ["200": ok(["type": "object"])]]],
            "/metrics": ["get": ["security": [], "summary": "Prometheus metrics: for the bearer token of KEEL_METRICS_TOKEN or an address in KEEL_METRICS_ALLOW (loopback by default)",
                                  "responses": ["200": ["description": "Prometheus text format"], "401": ["description": "Neither the metrics token nor an allowed address"]]]],
            "/api/v1/openapi.json": ["get": ["security": [], "summary": "This document", "responses": ["200": ok(["type": "object"])]]],
            "/api/v1/auth/token": [
                "post": ["security": [], "summary": "Exchange email and password for an API token (shown once)",
                         "requestBody": body(["type": "object", "required": ["email", "password"], "properties": [
                             "email": ["type": "string"], "password": ["type": "string"], "name": ["type": "string"]]]),
                         "responses": ["201": ok(["type": "object", "required": ["token"], "properties": ["token": ["type": "string"], "user": user]]),
                                       "400": errorRef, "401": errorRef]],
                "delete": ["summary": "Revoke the token of this request", "responses": ["204": ["description": "Revoked"], "401": errorRef]],
            ],
            "/api/v1/auth/tokens": ["get": ["summary": "My tokens (never their secrets)", "responses": ["200": list(["type": "object"]), "401": errorRef]]],
            "/api/v1/auth/tokens/{id}": ["delete": [
                "summary": "Revoke one of my tokens", "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string"]]],
                "responses": ["204": ["description": "Revoked"], "401": errorRef, "404": errorRef]]],
            "/api/v1/me": ["get": ["summary": "The signed-in user", "responses": ["200": ok(user), "401": errorRef]]],
            "/api/v1/users": [
                "get": ["summary": "Users", "responses": ["200": list(user), "401": errorRef]],
                "post": ["summary": "Create a user (admin)", "requestBody": body(["type": "object", "required": ["email", "password"], "properties": [
                    "email": ["type": "string", "format": "email", "maxLength": 254], "password": ["type": "string", "minLength": 8, "maxLength": 64, "x-keel-check": "password",
                                 "description": "No control characters; not a common password (runs, repeats, keyboard rows, a shipped list); not the user's e-mail or name",
                                 "examples": ["飞鸟与鱼的距离2026", "correct horse battery staple", "西湖龙井-明前-三两"]],
                    "name": ["type": ["string", "null"], "pattern": .string(plainText), "maxLength": 100],
                    "role": ["type": ["string", "null"], "enum": ["admin", "manager", "member", nil]],
                    "department": ["type": ["string", "null"], "pattern": .string(filledText), "maxLength": 100,
                                   "description": "A department's name; created when it does not exist"],
                    "manager": ["type": ["string", "null"], "format": "email", "pattern": "^[^@\\s]+@[^@\\s]+$", "x-keel-reference": "users",
                                "description": "The e-mail of an existing user"],
                    "level": ["type": ["integer", "null"], "minimum": 1, "maximum": 9]]]),
                         "responses": ["201": ok(user), "401": errorRef, "403": errorRef, "409": errorRef, "422": errorRef]],
            ],
            "/api/v1/users/{id}": ["patch": [
                "summary": "Change a user's status, role, level or department (admin, audited), their mobile, Feishu id or leave (admin or the user); freezing ends their sessions and tokens at once",
                "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string"]]],
                "requestBody": body(["type": "object", "minProperties": 1, "additionalProperties": false, "properties": [
                    "status": ["type": "string", "enum": ["active", "frozen"], "description": "An admin cannot freeze their own account"],
                    "role": ["type": "string", "enum": ["admin", "manager", "member"], "description": "An admin cannot take away their own admin role"],
                    "level": ["type": "integer", "minimum": 1, "maximum": 9], "department": reference("departments"),
                    "mobile": ["type": ["string", "null"], "pattern": "^1[3-9][0-9]{9}$", "description": "The mobile robots @-mention and escalations call (a user may set their own)",
                               "x-keel-check": "a mainland China mobile number in a segment in use", "examples": ["13912345678", "18612345678", "15011112222"]],
                    "feishuId": ["type": ["string", "null"], "pattern": "^ou_[A-Za-z0-9_]{1,61}$", "description": "The Feishu open id Feishu robots @-mention"],
                    "away": ["type": ["object", "null"], "required": ["from", "until"], "additionalProperties": false, "x-keel-order": ["from", "until"],
                             "description": "On leave (days included): routing passes the user by; null: back",
                             "properties": ["from": ["type": "string", "format": "date", "pattern": .string(day)],
                                            "until": ["type": "string", "format": "date", "pattern": .string(day)]]]]]),
                "responses": ["200": ok(user), "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef]]],
            "/api/v1/departments": [
                "get": ["summary": "Departments", "responses": ["200": list(["type": "object"]), "401": errorRef]],
                "post": ["summary": "Create a department (admin)", "requestBody": body(["type": "object", "required": ["name"], "properties": [
                    "name": ["type": "string", "minLength": 1, "maxLength": 100, "pattern": .string(filledText)],
                    "parent": reference("departments", optional: true), "manager": reference("users", optional: true)]]),
                         "responses": ["201": ok(["type": "object"]), "401": errorRef, "403": errorRef, "409": errorRef, "422": errorRef]],
            ],
            "/api/v1/metadata/objects": [
                "get": ["summary": "All objects and their fields", "responses": ["200": list(object), "401": errorRef]],
                "post": ["summary": "Create a custom object (admin)", "requestBody": body(["$ref": "#/components/schemas/NewObject"]),
                         "responses": ["201": ok(object), "401": errorRef, "403": errorRef, "409": errorRef, "422": errorRef]],
            ],
            "/api/v1/metadata/objects/{object}": ["parameters": [objectParam], "get": [
                "summary": "One object", "responses": ["200": ok(object), "401": errorRef, "404": errorRef]],
                "patch": ["summary": "Set how sensitive the object's records are, 1–4 (admin, audited)",
                          "requestBody": body(["type": "object", "required": ["sensitivity"], "additionalProperties": false,
                                               "properties": ["sensitivity": ["type": "integer", "minimum": 1, "maximum": 4]]]),
                          "responses": ["200": ok(object), "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef]]],
            "/api/v1/metadata/objects/{object}/fields": [
                "parameters": [objectParam],
                "get": ["summary": "Fields of an object", "responses": ["200": list(field), "401": errorRef, "404": errorRef]],
                "post": ["summary": "Add a custom field (admin); filterable and sortable at once", "requestBody": body(newField(catalog)),
                         "responses": ["201": ok(field), "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef]],
            ],
            "/api/v1/metadata/objects/{object}/dry-run": ["parameters": [objectParam], "post": [
                "summary": "Run a formula or validation rule on the newest records the caller may read; writes nothing (admin)",
                "requestBody": body(["type": "object", "required": ["expression"], "properties": [
                    "expression": formula("a value (a validation rule: true or false); one that does not parse is a 422 naming the position",
                                          examples: ["NULL", "FALSE"]),
                    "kind": ["type": "string", "enum": ["formula", "validation_rule"]],
                    "sample": ["type": ["integer", "null"], "minimum": 1, "maximum": JSONValue(ListQuery.maxLimit)]]]),
                "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef]]],
            "/api/v1/metadata/objects/{object}/validation-rules": [
                "parameters": [objectParam],
                "get": ["summary": "Validation rules of an object", "responses": ["200": list(["type": "object"]), "401": errorRef, "404": errorRef]],
                "post": ["summary": "Add a validation rule (admin): writes fail with message when the expression is true",
                         "requestBody": body(["type": "object", "required": ["name", "expression", "message"], "properties": [
                             "name": ["type": "string", "pattern": "^[a-z][a-z0-9_]{0,62}$", "x-keel-unique": true],
                             "expression": formula("true when the record is wrong", examples: ["FALSE"]),
                             "message": ["type": "string", "pattern": .string(filledText), "maxLength": 500]]]),
                         "responses": ["201": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef]],
            ],
            "/api/v1/metadata/objects/{object}/required-groups": [
                "parameters": [objectParam],
                "get": ["summary": "Required field groups of an object", "responses": ["200": list(requiredGroup), "401": errorRef, "404": errorRef]],
                "post": ["summary": "Add a required field group (admin): its fields are required on every write while `when` holds (always without it)",
                         "requestBody": body(newRequiredGroup),
                         "responses": ["201": ok(requiredGroup), "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef]],
            ],
            "/api/v1/metadata/objects/{object}/required-groups/{name}": [
                "parameters": [objectParam, ["name": "name", "in": "path", "required": true, "schema": ["type": "string"]]],
                "delete": ["summary": "Remove a required field group (admin)", "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef]],
            ],
            "/api/v1/metadata/objects/{object}/identity-rules": [
                "parameters": [objectParam],
                "get": ["summary": "The duplicate check's identity fields, roles and thresholds for an object (default: true when Keel's own)",
                        "responses": ["200": ok(identityRulesInForce), "401": errorRef, "404": errorRef]],
                "put": ["summary": "Set the identity rules (admin); the object's records are re-indexed", "requestBody": body(identityRules),
                        "responses": ["200": ok(identityRulesInForce), "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef]],
                "delete": ["summary": "Back to Keel's default identity rules (admin)",
                           "responses": ["200": ok(identityRulesInForce), "401": errorRef, "403": errorRef, "404": errorRef]],
            ],
            "/api/v1/health/master-data": ["get": [
                "summary": "Master-data health over the records the caller may read: completeness per field (red/yellow/green), required-group gaps, duplicate rate, registry state",
                "responses": ["200": ok(["type": "object"]), "401": errorRef],
            ]],
            "/api/v1/settings/health-report": [
                "get": ["summary": "Health thresholds, recipients and schedule of the report", "responses": ["200": ok(["type": "object"]), "401": errorRef]],
                "put": ["summary": "Set health thresholds, recipients (user:ID, role:NAME as notifications, channel:ENDPOINT as a chat-robot message) and cron (admin); recipients schedule the report",
                        "requestBody": body(["type": "object", "additionalProperties": false, "description": "A member left out or null keeps its default.",
                                             "x-keel-order": ["red", "yellow"],
                                             "properties": ["red": ["type": ["number", "null"], "minimum": 0, "maximum": 1, "default": 0.6,
                                                                    "description": "At most yellow (its default when left out)"],
                                                            "yellow": ["type": ["number", "null"], "minimum": 0, "maximum": 1, "default": 0.85],
                                                            "recipients": ["type": ["array", "null"], "items": ["type": "string",
                                                                "pattern": #"^((user|channel):[\s\S]+|role:(admin|manager|member))$"#,
                                                                "x-keel-check": "user: an existing user's id; channel: an existing webhook endpoint's id",
                                                                "examples": ["role:admin", "role:manager"]]],
                                                            "cron": ["type": ["string", "null"], "x-keel-check": "minute hour day month weekday, each a number, range, list, step or *",
                                                                     "examples": ["0 9 1 * *", "30 8 * * 1-5"]]]]),
                        "responses": ["200": ok(["type": "object"]), "400": errorRef, "401": errorRef, "403": errorRef, "422": errorRef]],
            ],
            "/api/v1/metadata/templates/{template}/apply": [
                "parameters": [["name": "template", "in": "path", "required": true, "schema": ["type": "string", "enum": .array(IndustryTemplate.all.map { .string($0.name) })]]],
                "post": ["summary": "Apply an industry template (admin): adds its custom fields and required group; applying again changes nothing",
                         "responses": ["200": ok(["type": "object", "properties": ["fieldsAdded": ["type": "array", "items": ["type": "string"]],
                                                                                   "groupAdded": ["type": "boolean"], "group": requiredGroup]]),
                                       "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef]],
            ],
        ]
    }

    /// A custom field to add: its name, type and labels; options of a picklist, the target of a reference, the
    /// expression and result type of a formula, the longest value a text may have, a default.
    static func newField(_ catalog: Catalog) -> JSONValue {
        let types = FieldType.allCases.map(\.rawValue) + ["formula"]
        var rules: [JSONValue] = [
            ["if": ["properties": ["type": ["enum": ["picklist", "multi_picklist"]]]],
             "then": ["required": ["options"], "properties": ["options": ["type": "array", "minItems": 1, "uniqueItems": true,
                                                                          "items": ["type": "string", "pattern": .string(trimmedText), "maxLength": 255]]]]],
            ["if": ["properties": ["type": ["const": "reference"]]],
             "then": ["required": ["target"], "properties": ["target": ["enum": .array(catalog.objects.map { .string($0.name) } + ["users", "departments"])]]]],
            ["if": ["properties": ["type": ["const": "formula"]]],
             "then": ["required": ["expression", "resultType"], "properties": [
                 "expression": formula("a value of resultType (NULL gives any)", examples: ["NULL"]),
                 "resultType": ["type": "string", "enum": ["number", "text", "boolean", "date", "datetime"]]]]],
        ]
        // maxLength up to the type's limit; types without one take none.
        for type in FieldType.allCases {
            let limit: JSONValue = type.defaultMaxLength.map { ["type": ["integer", "null"], "minimum": 1, "maximum": JSONValue($0)] } ?? ["type": "null"]
            rules.append(["if": ["properties": ["type": ["const": .string(type.rawValue)]]], "then": ["properties": ["maxLength": limit]]])
        }
        return ["type": "object", "required": ["name", "type"], "allOf": .array(rules), "properties": [
            "name": ["type": "string", "pattern": "^[a-z][a-z0-9_]{0,62}$", "x-keel-unique": true,
                     "not": ["enum": .array(ObjectDefinition.reservedFieldNames.sorted().map(JSONValue.string))]],
            "type": ["type": "string", "enum": .array(types.map(JSONValue.string))],
            "labels": labels,
            "required": ["type": ["boolean", "null"]],
            "sensitivity": ["type": ["integer", "null"], "minimum": 1, "maximum": 4],
            "default": ["x-keel-check": "A value the field accepts, for new records that leave it out", "examples": [nil]],
        ]]
    }

    /// `{"fields": [{"field", "role"}], "block", "warn"}`.
    static let identityRules: JSONValue = ["type": "object", "required": ["fields"], "additionalProperties": false, "x-keel-order": ["warn", "block"],
                                           "properties": [
        "fields": ["type": "array", "minItems": 1, "items": ["type": "object", "required": ["field", "role"], "properties": [
            "field": ["type": "string", "x-keel-field": "any", "description": "A field of the object"],
            "role": ["type": "string", "enum": .array(Keel.identityRoles.map(JSONValue.string))]]]],
        "block": ["type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1, "default": 0.9],
        "warn": ["type": ["number", "null"], "exclusiveMinimum": 0, "maximum": 1, "default": 0.6, "description": "At most block"],
    ]]

    /// `{"name", "labels", "when": {"field", "in"}, "fields", "roles": [{"when", "roles"}]}`.
    /// The rules in force, and whether they are Keel's own.
    static let identityRulesInForce: JSONValue = ["type": "object", "required": ["fields", "block", "warn", "default"], "properties": [
        "fields": ["type": "array", "items": ["type": "object", "properties": ["field": ["type": "string"], "role": ["type": "string"]]]],
        "block": ["type": "number"], "warn": ["type": "number"], "default": ["type": "boolean"],
    ]]

    /// A required group to add: the fields (not formulas) it requires, while `when` holds (always without it), and the
    /// roles it suggests.
    static let newRequiredGroup: JSONValue = {
        let condition: JSONValue = ["type": ["object", "null"], "x-keel-check": "{\"field\", \"in\": [values]}: a field of the object and values it can hold (a picklist's options)",
                                    "examples": [nil]]
        return ["type": "object", "required": ["name", "fields"], "properties": [
            "name": ["type": "string", "pattern": "^[a-z][a-z0-9_]{0,62}$", "x-keel-unique": true],
            "labels": labels,
            "when": condition,
            "fields": ["type": "array", "minItems": 1, "uniqueItems": true, "items": ["type": "string", "x-keel-field": "writable"]],
            "roles": ["type": ["array", "null"], "items": ["type": "object", "required": ["roles"], "properties": [
                "when": condition, "roles": ["type": "array", "minItems": 1, "items": ["type": "string", "pattern": .string(trimmedText), "maxLength": 100]]]]],
        ]]
    }()

    static let requiredGroup: JSONValue = {
        let condition: JSONValue = ["type": ["object", "null"], "required": ["field", "in"], "properties": [
            "field": ["type": "string"], "in": ["type": "array", "items": ["type": "string"]]]]
        return ["type": "object", "required": ["name", "fields"], "properties": [
            "name": ["type": "string"], "labels": ["type": "object"], "when": condition,
            "fields": ["type": "array", "items": ["type": "string"]],
            "roles": ["type": "array", "items": ["type": "object", "properties": ["when": condition, "roles": ["type": "array", "items": ["type": "string"]]]]],
        ]]
    }()
}
