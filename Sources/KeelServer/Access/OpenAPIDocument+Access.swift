import KeelCore
import KeelEngine

extension OpenAPIDocument {
    /// Policies, explanations, health, audit, access requests, exports, step-up and sensitivity levels.
    static func accessPaths(_ catalog: Catalog) -> [String: JSONValue] {
        let objectNames = JSONValue.array(catalog.objects.map { .string($0.name) })
        let actions = JSONValue.array(Action.allCases.map { .string($0.rawValue) })
        // `"*"` or a list of names.
        let names = { (known: JSONValue, empty: Bool) -> JSONValue in
            ["oneOf": [["const": "*"], ["type": "array", "minItems": empty ? 0 : 1, "items": ["enum": known]]]]
        }
        let condition: JSONValue = ["type": "object", "x-keel-check": "A condition: {\"all\"|\"any\": [...]}, {\"not\": …}, {\"const\": true|false} or {\"attr\", \"op\", \"value\"|\"ref\"} over user.*, record.*, context.* and field.* attributes (see the policy guide)",
                                    "examples": [["const": true], ["const": false]]]
        let policy: JSONValue = ["type": "object", "additionalProperties": false, "required": ["id", "effect", "actions", "objects"], "properties": [
            "id": ["type": "string", "minLength": 1, "maxLength": 100, "x-keel-unique": true], "description": ["type": "string"],
            "effect": ["enum": ["permit", "forbid"]], "actions": names(actions, false), "objects": names(objectNames, false), "when": condition]]
        let expectation: JSONValue = ["type": "object", "additionalProperties": false, "required": ["id"], "properties": [
            "id": ["type": "string", "minLength": 1, "maxLength": 100, "x-keel-unique": true], "description": ["type": "string"],
            "who": condition, "must": names(actions, true), "mustNot": names(actions, true), "objects": names(objectNames, false)]]
        let tag: JSONValue = ["access"]
        let json = { (schema: JSONValue) -> JSONValue in ["required": true, "content": ["application/json": ["schema": schema]]] }
        let any: JSONValue = ["type": "object"]
        let denied: JSONValue = ["401": errorRef, "403": errorRef]
        let path = { (name: String) -> JSONValue in ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]] }
        let query = { (name: String, required: Bool) -> JSONValue in ["name": .string(name), "in": "query", "required": .bool(required), "schema": ["type": "string"]] }
        func responses(_ extra: [String: JSONValue]) -> JSONValue { .object(denied.objectValue!.merging(extra) { _, b in b }) }
        let sensitivity = json(["type": "object", "required": ["sensitivity"], "properties": ["sensitivity": ["type": "integer", "minimum": 1, "maximum": 4]]])
        return [
            "/api/v1/access/policies": [
                "get": ["tags": tag, "summary": "The policy set in force, with its version and expectations (manage_policies)", "responses": responses(["200": ok(any)])],
                "put": ["tags": tag, "summary": "Replace the policy set: checked, versioned, audited; refused when it would lock every admin out",
                        "requestBody": json(["type": "object", "required": ["policies"], "properties": [
                            "policies": ["type": "array", "items": policy], "expectations": ["type": ["array", "null"], "items": expectation]]]),
                        "responses": responses(["200": ok(any), "400": errorRef, "409": errorRef, "422": errorRef])],
            ],
            "/api/v1/access/policies/versions": ["get": ["tags": tag, "summary": "Stored versions, newest first", "responses": responses(["200": ok(any)])]],
            "/api/v1/access/policies/versions/{version}": ["get": [
                "tags": tag, "summary": "One stored version (0: the defaults)", "parameters": [path("version")],
                "responses": responses(["200": ok(any), "404": errorRef])]],
            "/api/v1/access/explain": ["get": [
                "tags": tag, "summary": "Why an action is allowed or denied, naming the policies; for another user needs manage_policies",
                "parameters": [["name": "action", "in": "query", "required": true, "schema": ["enum": actions]], query("object", true),
                               query("record", false), query("user", false)],
                "responses": responses(["200": ok(any), "400": errorRef, "404": errorRef])]],
            "/api/v1/access/health": ["get": [
                "tags": tag, "summary": "Permission health scan: over-authorised users, islands, zombie accounts, unused permits",
                "responses": responses(["200": ok(any)])]],
            "/api/v1/audit": ["get": [
                "tags": tag, "summary": "Audit log, newest first (read_audit): policy and user changes, exports, sensitive reads, step-ups, access requests",
                "parameters": [query("actor", false), query("action", false), query("record", false), query("before", false), query("limit", false)],
                "responses": responses(["200": ok(any)])]],
            "/api/v1/access-requests": [
                "get": ["tags": tag, "summary": "Access requests I made or must decide", "responses": responses(["200": ok(any)])],
                "post": ["tags": tag, "summary": "Ask a named approver for access to one secret (L4) record",
                         "requestBody": json(["type": "object", "required": ["object", "record", "approver", "reason"], "properties": [
                             "object": ["enum": objectNames], "record": idSchema,
                             "approver": ["type": "string", "pattern": .string(uuid), "x-keel-reference": "users", "x-keel-not-self": true,
                                          "description": "An active user other than the caller"],
                             "reason": ["type": "string", "pattern": .string(filledLongText), "maxLength": 500]]]),
                         "responses": responses(["201": ok(any), "422": errorRef])],
            ],
            "/api/v1/access-requests/{id}/decision": ["post": [
                "tags": tag, "summary": "Grant (for 1–168 hours, default 24) or reject; only the named approver, whom the policies allow to approve",
                "parameters": [path("id")],
                "requestBody": json(["type": "object", "required": ["decision"], "properties": [
                    "decision": ["type": "string", "enum": ["grant", "reject"]],
                    "hours": ["type": ["integer", "null"], "minimum": 1, "maximum": JSONValue(AccessControl.maxGrantHours)],
                    "comment": ["type": ["string", "null"]]]]),
                "responses": responses(["200": ok(any), "404": errorRef, "409": errorRef, "422": errorRef])]],
            "/api/v1/exports/{object}": ["get": [
                "tags": tag, "summary": "The matching records the caller may read and export, as watermarked CSV or an Excel workbook, written as they are read (audited; masked fields as ***; text a spreadsheet would run as a formula neutralised); 403 step_up_required when the policies ask for a fresh step-up first (by default: L3+ data, more than 1,000 records)",
                "parameters": [path("object"), ["name": "format", "in": "query", "schema": ["type": "string", "enum": ["csv", "xlsx"], "default": "csv"]]],
                "responses": responses(["200": ["description": "CSV or an Excel workbook", "content": [
                    "text/csv": ["schema": ["type": "string"]],
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ["schema": ["type": "string", "format": "binary"]]]], "422": errorRef])]],
            "/api/v1/auth/step-up": ["post": [
                "tags": tag, "summary": "Re-enter the password: for 15 minutes this token counts as stepped up (context.step_up)",
                "requestBody": json(["type": "object", "required": ["password"], "properties": ["password": ["type": "string"]]]),
                "responses": responses(["200": ok(any), "429": errorRef])]],
            "/api/v1/metadata/objects/{object}/fields/{field}": ["patch": [
                "tags": tag, "summary": "Set how sensitive a field's values are (1–4)", "parameters": [path("object"), path("field")],
                "requestBody": sensitivity, "responses": responses(["200": ok(any), "404": errorRef, "422": errorRef])]],
        ]
    }
}
