import KeelCore
import KeelEngine

extension OpenAPIDocument {
    /// Automations, webhooks, approval processes and requests, notifications.
    static func automationPaths(_ catalog: Catalog) -> [String: JSONValue] {
        let json = { (schema: JSONValue) -> JSONValue in ["required": true, "content": ["application/json": ["schema": schema]]] }
        let any: JSONValue = ["type": "object"]
        let denied: JSONValue = ["401": errorRef, "403": errorRef]
        let path = { (name: String) -> JSONValue in ["name": .string(name), "in": "path", "required": true, "schema": ["type": "string"]] }
        func responses(_ extra: [String: JSONValue]) -> JSONValue { .object(denied.objectValue!.merging(extra) { _, b in b }) }
        func op(_ tag: String, _ summary: String, parameters: [JSONValue] = [], body: JSONValue? = nil, _ codes: [String: JSONValue]) -> JSONValue {
            var o: [String: JSONValue] = ["tags": [.string(tag)], "summary": .string(summary), "responses": responses(codes)]
            if !parameters.isEmpty { o["parameters"] = .array(parameters) }
            if let body { o["requestBody"] = json(body) }
            return .object(o)
        }
        let definition = automationSchema(catalog)
        // The dry run takes a definition and how many of the newest records to try it on.
        let dryRun: JSONValue = ["oneOf": .array((definition["oneOf"]?.arrayValue ?? []).map { variant in
            var v = variant.objectValue ?? [:]
            v["properties"] = .object((v["properties"]?.objectValue ?? [:]).merging(["sample": ["type": ["integer", "null"], "minimum": 1, "maximum": 200]]) { a, _ in a })
            return .object(v)
        })]
        return [
            "/api/v1/automations": [
                "get": op("automations", "Automations with the version in force, status (active, disabled, halted + reason) and run counts", ["200": ok(any)]),
                "post": op("automations", "Publish an automation: checked against the metadata, a new immutable version (201 for the first)",
                           body: definition, ["200": ok(any), "201": ok(any), "422": errorRef]),
            ],
            "/api/v1/automations/dry-run": ["post": op(
                "automations", "Sandbox: what the definition would do on the newest records (`sample`, default 20); writes nothing",
                body: dryRun, ["200": ok(any), "422": errorRef])],
            "/api/v1/automations/{id}": ["get": op("automations", "Every published version, newest first", parameters: [path("id")], ["200": ok(any), "404": errorRef])],
            "/api/v1/automations/{id}/enable": ["post": op("automations", "Turn on (resumes a halted automation that still fits the metadata)",
                                                          parameters: [path("id")], ["200": ok(any), "404": errorRef, "422": errorRef])],
            "/api/v1/automations/{id}/disable": ["post": op("automations", "Turn off", parameters: [path("id")], ["200": ok(any), "404": errorRef])],
            "/api/v1/automations/{id}/runs": ["get": op("automations", "Run log: runs with status, reason and every attempt", parameters: [path("id")], ["200": ok(any)])],
            "/api/v1/webhooks": [
                "get": op("webhooks", "Webhook endpoints (secrets are not shown again)", ["200": ok(any)]),
                "post": op("webhooks", "Add an endpoint; loopback and private addresses are refused unless allowPrivate. Returns the whsec_ secret once",
                           body: ["type": "object", "required": ["id", "url"], "properties": [
                               "id": ["type": "string", "pattern": "^[A-Za-z0-9_-]{1,64}$", "x-keel-unique": true],
                               "url": ["type": "string", "pattern": #"^[Hh][Tt][Tt][Pp][Ss]?://[^\s@/?#]+([/?#][^\s]*)?$"#,
                                       "x-keel-check": "Without allowPrivate, the host must resolve, and only to public addresses (no loopback, private, link-local or shared network)",
                                       "examples": ["https://203.0.113.10/keel-events"]],
                               "objects": ["type": ["array", "null"], "items": ["type": "string", "enum": .array(["*"] + catalog.objects.map { .string($0.name) })]],
                               "events": ["type": ["array", "null"], "items": ["type": "string", "enum": ["*", "created", "updated", "deleted"]]],
                               "allowPrivate": ["type": ["boolean", "null"]]]], ["201": ok(any), "409": errorRef, "422": errorRef]),
            ],
            "/api/v1/webhooks/{id}/enable": ["post": op("webhooks", "Resume deliveries", parameters: [path("id")], ["200": ok(any), "404": errorRef])],
            "/api/v1/webhooks/{id}/disable": ["post": op("webhooks", "Stop deliveries", parameters: [path("id")], ["200": ok(any), "404": errorRef])],
            "/api/v1/webhooks/{id}/deliveries": ["get": op("webhooks", "Delivery log: each delivery with every attempt (HTTP status, time, error)",
                                                           parameters: [path("id")], ["200": ok(any)])],
            "/api/v1/webhooks/deliveries/{job}/replay": ["post": op("webhooks", "Send a dead (or failed) delivery again, same webhook-id",
                                                                    parameters: [path("job")], ["202": ok(any), "404": errorRef, "409": errorRef])],
            "/api/v1/approval-processes": [
                "get": op("approvals", "Approval processes with the version in force", ["200": ok(any)]),
                "post": op("approvals", "Publish a process: steps (manager, user:<id>, role:<role>, department:<id>) with optional conditions",
                           body: approvalProcessSchema(catalog), ["200": ok(any), "201": ok(any), "422": errorRef]),
            ],
            "/api/v1/approvals": [
                "get": op("approvals", "Requests I submitted or may decide (all for admins); ?status=pending|approved|rejected", ["200": ok(any)]),
                "post": op("approvals", "Submit a record; it is locked until decided",
                           body: ["type": "object", "required": ["process", "object", "recordId"], "properties": [
                               "process": ["type": "string"], "object": ["type": "string"], "recordId": ["type": "string"]]],
                           ["201": ok(any), "404": errorRef, "409": errorRef, "422": errorRef]),
            ],
            "/api/v1/approvals/{id}": ["get": op("approvals", "One request with its decisions", parameters: [path("id")], ["200": ok(any), "404": errorRef])],
            "/api/v1/approvals/{id}/decision": ["post": op(
                "approvals", "Approve or reject the waiting step (its approver only; a rejection needs a comment)", parameters: [path("id")],
                body: ["type": "object", "required": ["decision"], "properties": [
                    "decision": ["type": "string", "enum": ["approve", "reject"]], "comment": ["type": ["string", "null"], "maxLength": 1000]],
                       "if": ["properties": ["decision": ["const": "reject"]]],
                       "then": ["required": ["comment"], "properties": ["comment": ["type": "string", "pattern": .string(filledText)]]]],
                ["200": ok(any), "404": errorRef, "409": errorRef, "422": errorRef])],
            "/api/v1/settings/calendar": [
                "get": op("settings", "The working calendar: workingWeekdays (1 Monday … 7 Sunday), holidays, workingWeekends (YYYY-MM-DD)", ["200": ok(any)]),
                "put": op("settings", "Set the working calendar (manage_metadata); WORKDAYS_BETWEEN, working-day timers use it",
                          body: ["type": "object", "properties": [
                              "workingWeekdays": ["type": ["array", "null"], "items": ["type": "integer", "minimum": 1, "maximum": 7],
                                                  "description": "Left out: Monday to Friday. A calendar with neither working weekdays nor working weekends is a 422"],
                              "holidays": ["type": ["array", "null"], "items": ["type": "string", "format": "date", "pattern": .string(day)]],
                              "workingWeekends": ["type": ["array", "null"], "items": ["type": "string", "format": "date", "pattern": .string(day)]],
                              "workingHours": ["type": ["object", "null"], "required": ["opens", "closes"], "additionalProperties": false,
                                               "description": "Working hours of a working day, opening before closing (left out: 09:00 to 18:00)",
                                               "x-keel-check": "opens before closes",
                                               "examples": [["opens": "09:00", "closes": "18:00"], ["opens": "08:30", "closes": "17:30"], ["opens": "00:00", "closes": "24:00"]],
                                               "properties": ["opens": ["type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"],
                                                              "closes": ["type": "string", "pattern": "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$"]]]],
                                 // No working weekdays: then some working weekends.
                                 "if": ["required": ["workingWeekdays"], "properties": ["workingWeekdays": ["type": "array", "maxItems": 0]]],
                                 "then": ["required": ["workingWeekends"], "properties": ["workingWeekends": ["type": "array", "minItems": 1]]]],
                          ["200": ok(any), "422": errorRef]),
            ],
            "/api/v1/notifications": ["get": op("notifications", "My notifications, newest first, with the unread count", ["200": ok(any)])],
            "/api/v1/notifications/read": ["post": op("notifications", "Mark one (`id`) or all read", body: any, ["200": ok(any)])],
            "/api/v1/metadata/objects/{object}/fields/{field}": ["delete": op(
                "metadata", "Delete a custom field; rules, formula fields, automations and processes that read it are disabled and admins alerted",
                parameters: [path("object"), path("field")], ["200": ok(any), "404": errorRef, "422": errorRef])],
        ]
    }
}
