import KeelCore
import KeelEngine

extension OpenAPIDocument {
    /// Lead routing: the routing document and each lead's assignments.
    static func leadPaths(_ catalog: Catalog) -> [String: JSONValue] {
        let leadFields = (catalog.object(StandardObjects.lead.name)?.fields.map(\.name) ?? []).sorted()
        let user: JSONValue = ["type": "string", "x-keel-reference": "users", "x-keel-may-repeat": true, "description": "A user's id or e-mail"]
        let members: JSONValue = ["type": ["array", "null"], "maxItems": 50, "items": ["oneOf": [
            user, ["type": "object", "additionalProperties": false, "required": ["user"],
                   "properties": ["user": user, "weight": ["type": "integer", "minimum": 1, "maximum": 100, "default": 1]]],
        ]]]
        let sla: JSONValue = [
            "type": ["object", "null"], "additionalProperties": false, "required": ["targets"],
            "description": "Response SLA: each target's deadline counts from the assignment; a missed one escalates — tier 1 the owner (inbox, browser) at the deadline, tier 2 the robot @-mentioning the owner robotAfter minutes later (manager told), tier 3 a call (SMS if it cannot be placed) callAfter minutes later",
            "properties": [
                "targets": ["type": "object", "minProperties": 1, "description": "Event → minutes to meet it",
                            "propertyNames": ["enum": .array(ResponseSLA.Event.allCases.map { .string($0.rawValue) })],
                            "additionalProperties": ["type": "integer", "minimum": 1, "maximum": 43_200]],
                "calendar": ["type": ["string", "null"], "enum": ["working", "24x7", .null], "default": "working",
                             "description": "working: working days and hours of settings/calendar"],
                "robot": ["type": ["string", "null"], "minLength": 1, "maxLength": 64, "description": "A robot of settings/channels (one not set up is a warning)"],
                "robotAfter": ["type": ["integer", "null"], "minimum": 0, "maximum": 10_080, "default": 10],
                "callAfter": ["type": ["integer", "null"], "minimum": 0, "maximum": 10_080, "description": "Left out: no call"],
            ],
        ]
        let regionExamples: [JSONValue] = ["广东", "上海市", "深圳", "CN-ZJ", "SA", "沙特", "United States", "中国"]
        let rule: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["id", "members"],
            "properties": [
                "id": ["type": "string", "minLength": 1, "maxLength": 40, "x-keel-unique": true, "description": "Unique among the rules"],
                "name": ["type": ["string", "null"], "maxLength": 100],
                "when": ["type": ["object", "null"], "description": "All must hold: a region (or a place inside it), a score band, each lead field's listed values",
                         "propertyNames": ["enum": .array((["regions", "score"] + leadFields).map(JSONValue.string))],
                         "properties": [
                             "regions": ["type": "array", "minItems": 1, "items": ["type": "string", "x-keel-check": "a country, province or city name, alias or code",
                                                                                   "examples": .array(regionExamples)]],
                             "score": ["type": "object", "additionalProperties": false, "x-keel-order": ["min", "max"],
                                       "properties": ["min": ["type": "number"], "max": ["type": "number"]]],
                         ],
                         "additionalProperties": ["type": "array", "minItems": 1, "items": ["type": "string"]]],
                "strategy": ["type": ["string", "null"], "enum": .array(LeadRouting.Strategy.allCases.map { .string($0.rawValue) } + [.null]), "default": "round_robin"],
                "members": members.objectValue!.merging(["minItems": 1, "type": "array"]) { _, b in b }.json,
                "capacity": ["type": ["integer", "null"], "minimum": 1, "maximum": 10_000, "description": "Open uncontacted leads per member at most"],
                "top": ["type": ["integer", "null"], "minimum": 1, "maximum": 50, "description": "best_performer: how many share the leads"],
                "sla": sla,
            ],
        ]
        let document: JSONValue = [
            "type": "object", "additionalProperties": false,
            "properties": ["enabled": ["type": ["boolean", "null"], "default": true], "rules": ["type": ["array", "null"], "maxItems": 100, "items": rule], "fallback": members,
                           "pool": ["type": ["object", "null"], "additionalProperties": false, "description": "The public pool (公海)", "properties": [
                               "returnAfterDays": ["type": ["integer", "null"], "minimum": 1, "maximum": 365, "default": 7,
                                                   "description": "A lead still new this long after assignment, with no activity, returns to the pool; null: never"],
                               "claimsPerDay": ["type": ["integer", "null"], "minimum": 1, "maximum": 1000, "default": 10],
                               "cooldownDays": ["type": ["integer", "null"], "minimum": 0, "maximum": 365, "default": 3]]],
                           "sla": sla.objectValue!.merging(["description": "The response SLA of rules that set none"]) { _, b in b }.json,
                           "existingCustomers": ["type": ["string", "null"], "enum": ["owner", "link", "off", .null], "default": "owner",
                                                 "description": "A new lead that is an existing contact or account: linked (customer_account, customer_contact) and given to its owner (owner), linked only (link), or neither (off)"]],
        ]
        let publicURL: JSONValue = ["type": "string", "minLength": 1, "maxLength": 2000, "pattern": #"^[Hh][Tt][Tt][Pp][Ss]?://[^\s@/?#]+([/?#][^\s]*)?$"#,
                                    "x-keel-check": "Without allowPrivate, the host must resolve, and only to public addresses",
                                    "examples": ["https://203.0.113.10/robot/send?access_token=demo"]]
        let text: JSONValue = ["type": "string", "minLength": 1, "maxLength": 200]
        let endpoint = publicURL.objectValue!.merging(["type": ["string", "null"], "description": "Left out or null: Aliyun's own"]) { _, b in b }.json
        let channels: JSONValue = [
            "type": "object", "additionalProperties": false,
            "properties": [
                "robots": ["type": ["array", "null"], "maxItems": 20, "items": [
                    "type": "object", "additionalProperties": false, "required": ["id", "kind", "url"],
                    "properties": ["id": ["type": "string", "minLength": 1, "maxLength": 64, "x-keel-unique": true],
                                   "kind": ["type": "string", "enum": .array(EscalationChannels.Robot.Kind.allCases.map { .string($0.rawValue) })],
                                   "url": publicURL, "secret": text.objectValue!.merging(["type": ["string", "null"]]) { _, b in b }.json,
                                   "allowPrivate": ["type": ["boolean", "null"]], "hasSecret": ["type": ["boolean", "null"]]],
                    "if": ["properties": ["kind": ["enum": ["dingtalk", "feishu"]]]], "then": ["required": ["secret"], "properties": ["secret": ["type": "string"]]],
                    "description": "A DingTalk or Feishu robot signs with its secret (加签), sent with every save (it is never shown)"]],
                "voice": ["type": ["object", "null"], "additionalProperties": false,
                          "required": ["accessKeyId", "accessKeySecret", "signName", "smsTemplate", "ttsCode", "calledShowNumber"],
                          "description": "Aliyun SMS (SendSms) and voice (SingleCallByTts); the templates' parameters are name and lead",
                          "properties": ["accessKeyId": text, "accessKeySecret": text, "signName": text, "smsTemplate": text, "ttsCode": text,
                                         "calledShowNumber": text, "smsEndpoint": endpoint, "voiceEndpoint": endpoint,
                                         "allowPrivate": ["type": ["boolean", "null"]], "hasSecret": ["type": ["boolean", "null"]]]],
            ],
        ]
        let denied: JSONValue = ["401": errorRef, "403": errorRef]
        let visitorFields = (catalog.object(StandardObjects.lead.name).map { Array(LeadForm.visitorFields(of: $0)) } ?? []).sorted()
        let form: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["id"],
            "properties": [
                "id": ["type": "string", "pattern": "^[a-z][a-z0-9_-]{0,63}$", "description": "Publishing an id again replaces that form (its key stays)"],
                "label": ["type": ["string", "null"], "maxLength": 100],
                "origins": ["type": ["array", "null"], "maxItems": 20, "items": ["type": "string", "pattern": "^https?://[a-z0-9.-]+(:[0-9]{1,5})?$",
                                                                        "description": "A site whose pages may post the form (CORS)"]],
                "fields": ["type": ["object", "null"], "description": "Visitor field → lead field; a lead field named as itself needs no entry",
                           "additionalProperties": ["type": "string", "enum": .array(visitorFields.map(JSONValue.string))]],
                "required": ["type": ["array", "null"], "items": ["type": "string", "enum": .array(visitorFields.map(JSONValue.string))]],
                "honeypot": ["type": ["string", "null"], "x-keel-check": "a field name that is no lead field nor a visitor field of this form",
                             "examples": ["website_url", "hp_fax", "confirm_address"]],
                "perHour": ["type": ["integer", "null"], "minimum": 1, "maximum": 10_000, "default": 20],
                "channel": ["type": ["string", "null"], "enum": .array((catalog.object(StandardObjects.lead.name)?.field("channel")?.options ?? []).map(JSONValue.string) + [.null])],
                "rotateKey": ["type": ["boolean", "null"], "description": "A new public key; the old one stops working"],
            ],
        ]
        return [
            "/api/v1/settings/lead-scoring": [
                "get": ["tags": ["leads"], "summary": "The lead score card in force: dimensions, each a formula worth 0 to 20",
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"])]) { _, b in b }.json],
                "put": ["tags": ["leads"], "summary": "Replace the score card (manage_metadata); leads are scored on arrival and on every change",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": [
                            "type": "object", "additionalProperties": false,
                            "properties": [
                                "enabled": ["type": ["boolean", "null"], "default": true],
                                "dimensions": ["type": ["array", "null"], "maxItems": 10, "items": [
                                    "type": "object", "additionalProperties": false, "required": ["id", "formula"],
                                    "properties": [
                                        "id": ["type": "string", "pattern": "^[a-z][a-z0-9_]{0,39}$", "x-keel-unique": true],
                                        "labels": ["type": ["object", "null"], "additionalProperties": false,
                                                   "properties": ["zh-CN": ["type": ["string", "null"], "maxLength": 100], "en": ["type": ["string", "null"], "maxLength": 100]]],
                                        "formula": ["type": "string", "x-keel-check": "a number formula over leads' fields (0 to 20)",
                                                    "examples": ["IF(ISBLANK(company), 0, 15)", "IF(ISPICKVAL(channel, \"referral\"), 20, 8)", "MIN(20, time_on_page / 10)"]],
                                    ]]],
                            ]]]]],
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"]), "422": errorRef]) { _, b in b }.json],
            ],
            "/api/v1/settings/shopify": [
                "get": ["tags": ["leads"], "summary": "Whether Shopify is connected (never the secret)",
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"])]) { _, b in b }.json],
                "put": ["tags": ["leads"], "summary": "Connect Shopify: the app's client secret its webhooks are signed with (manage_metadata)",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": [
                            "type": "object", "additionalProperties": false, "required": ["secret"],
                            "properties": ["secret": ["type": "string", "minLength": 16, "maxLength": 200]]]]]],
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"]), "422": errorRef]) { _, b in b }.json],
            ],
            "/api/v1/integrations/shopify/webhooks": [
                "post": ["tags": ["leads"], "security": [],
                         "summary": "Shopify's customers/create and orders/create webhooks: X-Shopify-Hmac-Sha256 must sign the raw body; each X-Shopify-Event-Id is taken once",
                         "parameters": [
                            ["name": "X-Shopify-Topic", "in": "header", "required": true, "schema": ["type": "string", "minLength": 1]],
                            ["name": "X-Shopify-Hmac-Sha256", "in": "header", "required": true, "schema": ["type": "string", "minLength": 1]],
                            ["name": "X-Shopify-Event-Id", "in": "header", "required": true, "schema": ["type": "string", "minLength": 1, "maxLength": 200]]],
                         "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object"]]]],
                         "responses": ["200": ok(["type": "object"]), "400": errorRef, "401": errorRef, "404": errorRef, "409": errorRef, "422": errorRef, "503": errorRef]],
            ],
            "/api/v1/forms": [
                "get": ["tags": ["leads"], "summary": "Published web forms with their public keys (manage_metadata)",
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"])]) { _, b in b }.json],
                "post": ["tags": ["leads"], "summary": "Publish a web form: the fields it takes, the sites that may post it, its honeypot and hourly limit per address",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": form]]],
                         "responses": denied.objectValue!.merging(["201": ok(["type": "object"]), "422": errorRef]) { _, b in b }.json],
            ],
            "/api/v1/forms/{key}/submissions": [
                "parameters": [["name": "key", "in": "path", "required": true, "schema": ["type": "string"]]],
                "post": ["tags": ["leads"], "security": [], "summary": "A visitor's submission, no login: JSON or a form post, at most 16 KiB; a lead is created and routed",
                         "requestBody": ["required": true, "content": [
                            "application/json": ["schema": ["type": "object", "additionalProperties": ["type": ["string", "number", "null"]]]],
                            "application/x-www-form-urlencoded": ["schema": ["type": "object", "additionalProperties": ["type": "string"]]]]],
                         "responses": ["201": ok(["type": "object"]), "403": errorRef, "404": errorRef, "413": errorRef, "422": errorRef, "429": errorRef, "503": errorRef]],
            ],
            "/api/v1/settings/lead-routing": [
                "get": ["tags": ["leads"], "summary": "The lead-routing document in force, its version and warnings (regions no rule covers, rules with no active member)",
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"])]) { _, b in b }.json],
                "put": ["tags": ["leads"], "summary": "Replace the routing document (manage_metadata): ordered rules, the first a new lead meets decides its owner",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": document]]],
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"]), "422": errorRef]) { _, b in b }.json],
            ],
            "/api/v1/\(StandardObjects.lead.name)/pool": [
                "get": ["tags": ["leads"], "summary": "The public pool (公海): leads nobody owns, to claim; no phone or e-mail until claimed",
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ["type": "object"]]]]), "401": errorRef]],
            ],
            "/api/v1/\(StandardObjects.lead.name)/{id}/claim": [
                "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string"]]],
                "post": ["tags": ["leads"], "summary": "Claim a lead from the pool (within the daily limit, not one that left you within the cooldown)",
                         "responses": ["200": ok(["type": "object"]), "401": errorRef, "404": errorRef, "409": errorRef]],
            ],
            "/api/v1/\(StandardObjects.lead.name)/{id}/release": [
                "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string"]]],
                "post": ["tags": ["leads"], "summary": "Give a lead back to the pool, saying why",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": [
                            "type": "object", "additionalProperties": false, "required": ["reason"],
                            "properties": ["reason": ["type": "string", "minLength": 1, "maxLength": 500, "pattern": "\\S"]]]]]],
                         "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef]],
            ],
            "/api/v1/settings/channels": [
                "get": ["tags": ["leads"], "summary": "Where escalations go: group robots (WeCom, DingTalk, Feishu) and the voice/SMS provider; secrets only as hasSecret",
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"])]) { _, b in b }.json],
                "put": ["tags": ["leads"], "summary": "Replace the channels (manage_metadata); secrets are sent with every save and never shown",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": channels]]],
                        "responses": denied.objectValue!.merging(["200": ok(["type": "object"]), "422": errorRef]) { _, b in b }.json],
            ],
            "/api/v1/\(StandardObjects.lead.name)/{id}/sla": [
                "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string"]]],
                "get": ["tags": ["leads"], "summary": "A lead's response SLA: state (none, on_track, breached, met), the next deadline, the targets missed, and every timer with what its escalation did",
                        "responses": ["200": ok(["type": "object", "required": ["state", "timers"], "properties": [
                            "state": ["type": "string", "enum": ["none", "on_track", "breached", "met"]],
                            "nextDeadline": ["type": ["string", "null"], "format": "date-time"], "timers": ["type": "array", "items": ["type": "object"]]]]),
                                      "401": errorRef, "404": errorRef]],
            ],
            "/api/v1/\(StandardObjects.lead.name)/{id}/assignments": [
                "parameters": [["name": "id", "in": "path", "required": true, "schema": ["type": "string"]]],
                "get": ["tags": ["leads"], "summary": "A lead's assignments, oldest first: owner, rule, strategy, reason (zh-CN, en), when",
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ["type": "object"]]]]),
                                      "401": errorRef, "404": errorRef]],
            ],
        ]
    }
}

private extension [String: JSONValue] {
    var json: JSONValue { .object(self) }
}
