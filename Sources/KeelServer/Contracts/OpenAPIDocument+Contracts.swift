import KeelCore
import KeelEngine

/// Quotes: created with their lines and priced by Keel; their lines are read here, written only through the quote.
/// Contracts: made from quotes, with payment plans.
extension OpenAPIDocument {
    static func contractPaths(_ paths: [String: JSONValue], schemas: [String: JSONValue], catalog: Catalog)
        -> (paths: [String: JSONValue], schemas: [String: JSONValue]) {
        var paths = paths, schemas = schemas
        guard let quotes = catalog.object(StandardObjects.quote.name) else { return (paths, schemas) }
        // Records written through another's: only their reads are operations (a write is a 405).
        for (child, _) in StandardObjects.writtenThrough {
            for (path, item) in paths where path == "/api/v1/\(child)" || path.hasPrefix("/api/v1/\(child)/") {
                let reads = (item.objectValue ?? [:]).filter { ["get", "parameters"].contains($0.key) }
                paths[path] = reads.keys.contains("get") ? .object(reads) : nil
            }
        }
        for object in StandardObjects.unmergeable {
            for suffix in ["merge", "merge/preview", "merges/{merge}/undo"] { paths["/api/v1/\(object)/\(suffix)"] = nil }
        }
        let number: (String) -> JSONValue = { pattern in ["type": ["number", "string"], "pattern": .string(pattern)] }
        schemas["QuoteLineInput"] = ["type": "object", "required": ["product", "quantity"], "additionalProperties": false, "properties": [
            "product": reference(StandardObjects.product.name).merging(["x-keel-where": ["active": true], "x-keel-may-repeat": true,
                                                                         "description": "The id of a product on sale; another is a 422 reference_not_found, one no longer sold a 422 inactive_product"]),
            "quantity": number(#"^[0-9]{1,9}(\.[0-9]{1,4})?$"#).merging(["exclusiveMinimum": 0, "maximum": 999_999_999, "multipleOf": 0.0001,
                                                                          "description": "Above 0, at most four decimals",
                                                                          "x-keel-check": "the quote's total stays below ¥10 trillion; above is a 422 out_of_range",
                                                                          "examples": [1, 2, 12, 0.5, "3"]]),
            "unit_price": number(#"^[0-9]{1,10}(\.[0-9]{1,2})?$"#).merging(["type": ["number", "string", "null"], "minimum": 0, "exclusiveMaximum": 1e10, "multipleOf": 0.01,
                                                                            "description": "The price agreed, when it is not the product's list price",
                                                                            "x-keel-check": "the quote's total stays below ¥10 trillion; above is a 422 out_of_range",
                                                                            "examples": [100, 33.33, "2980.00", 0]]),
            "discount": number(fractionText).merging(["type": ["number", "string", "null"], "minimum": 0, "maximum": 1, "multipleOf": 0.0001,
                                                      "description": "A share of the price taken off: 0.1 for 10 %"]),
            "price_reason": ["type": ["string", "null"], "maxLength": 500, "pattern": .string(plainText), "description": "Why the unit price is not the list price"],
        ]]
        var create = inputSchema(quotes, creating: true).objectValue ?? [:]
        var properties = create["properties"]?.objectValue ?? [:]
        properties["lines"] = ["type": ["array", "null"], "maxItems": JSONValue(QuoteLineInput.maxLines),
                               "items": ["$ref": "#/components/schemas/QuoteLineInput"]]
        // The name defaults to the account's and the day.
        properties["name"] = properties["name"].map { .object(($0.objectValue ?? [:]).merging(["type": ["string", "null"]]) { $1 }) }
        create["properties"] = .object(properties)
        create["required"] = .array((create["required"]?.arrayValue ?? []).filter { $0 != "name" })
        schemas["QuoteCreate"] = .object(create)
        let amounts: JSONValue = ["type": "object", "properties": ["rate": ["type": "number"], "tax": ["type": "number"]]]
        schemas["QuoteDocument"] = ["allOf": [["$ref": "#/components/schemas/Quotes"], ["type": "object", "required": ["lines", "tax_by_rate"], "properties": [
            "lines": ["type": "array", "items": ["$ref": "#/components/schemas/QuoteLines"]], "tax_by_rate": ["type": "array", "items": amounts]]]]]
        let document = ok(["$ref": "#/components/schemas/QuoteDocument"])
        var list = paths["/api/v1/quotes"]?.objectValue ?? [:]
        list["post"] = ["tags": ["quotes"], "summary": "Create a quote with its lines: each priced from its product (or the price given), the totals the sums of the lines to the fen",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": ["$ref": "#/components/schemas/QuoteCreate"]]]],
                        "responses": ["201": .object((document.objectValue ?? [:]).merging(["description": "Created"]) { $1 }), "400": errorRef, "401": errorRef,
                                      "403": errorRef, "413": errorRef, "422": errorRef, "503": busy]]
        paths["/api/v1/quotes"] = .object(list)
        paths["/api/v1/quotes/{id}/lines"] = [
            "parameters": [["name": "id", "in": "path", "required": true, "schema": idSchema]],
            "get": ["tags": ["quotes"], "summary": "A quote with its lines and its tax per rate", "responses": ["200": document, "401": errorRef, "404": errorRef]],
            "put": ["tags": ["quotes"], "summary": "Replace a draft's (or an approved quote's) lines and price it again; an approved quote goes back to draft",
                    "parameters": [ifMatch],
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["lines"], "additionalProperties": false,
                        "properties": ["lines": ["type": "array", "maxItems": JSONValue(QuoteLineInput.maxLines), "items": ["$ref": "#/components/schemas/QuoteLineInput"]]]]]]],
                    "responses": ["200": document, "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef, "503": busy]],
        ]
        let contractDocument = ok(["allOf": [["$ref": "#/components/schemas/Contracts"], ["type": "object", "required": ["lines", "payment_plan", "payments"], "properties": [
            "lines": ["type": "array", "items": ["$ref": "#/components/schemas/ContractLines"]],
            "payment_plan": ["type": "array", "items": ["allOf": [["$ref": "#/components/schemas/PaymentPlanLines"], ["type": "object", "properties": ["paid": ["type": "number"]]]]]],
            "payments": ["type": "array", "items": ["$ref": "#/components/schemas/Payments"]],
            "received": ["type": "number"], "outstanding": ["type": "number"]]]]])
        let idParameter: JSONValue = [["name": "id", "in": "path", "required": true, "schema": idSchema]]
        paths["/api/v1/quotes/{id}/contract"] = [
            "parameters": idParameter,
            "post": ["tags": ["contracts"], "summary": "Make the quote's contract: its lines and totals as quoted, the quote marked won (one contract a quote)",
                     "requestBody": ["content": ["application/json": ["schema": ["type": "object", "additionalProperties": false, "properties": [
                        "name": ["type": ["string", "null"], "maxLength": 255, "pattern": .string(plainText)],
                        "delivery_date": ["type": ["string", "null"], "format": "date"],
                        "signed_at": ["type": ["string", "null"], "pattern": .string(dateTime)],
                        "owner": reference("users", optional: true)]]]]],
                     "responses": ["201": contractDocument, "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef, "503": busy]],
        ]
        schemas["PaymentPlanLineInput"] = ["type": "object", "required": ["kind"], "additionalProperties": false, "properties": [
            "kind": ["type": "string", "enum": .array(PaymentPlan.kinds.map(JSONValue.string))],
            "amount": number(moneyText).merging(["exclusiveMinimum": 0, "exclusiveMaximum": 1e13, "multipleOf": 0.01]),
            "share": number(fractionText).merging(["exclusiveMinimum": 0, "maximum": 1, "multipleOf": 0.0001, "description": "A share of the total with tax: 0.3 for 30 %"]),
            "due_date": ["type": "string", "format": "date"],
            "days_after_delivery": ["type": "integer", "minimum": 0, "maximum": 3650],
            "description": ["type": ["string", "null"], "maxLength": 200, "pattern": .string(plainText)],
        ], "description": "An amount or a share; a due date or days after delivery"]
        paths["/api/v1/contracts/{id}/payment-plan"] = [
            "parameters": idParameter,
            "get": ["tags": ["contracts"], "summary": "The contract with its lines, its payment plan (what was paid against each line) and its payments",
                    "responses": ["200": contractDocument, "401": errorRef, "404": errorRef]],
            "put": ["tags": ["contracts"], "summary": "Replace the payment plan: it must add up to the total with tax to the fen; outside the payment policy it needs approval (plan_status)",
                    "parameters": [ifMatch],
                    "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["lines"], "additionalProperties": false,
                        "properties": ["lines": ["type": "array", "minItems": 1, "maxItems": JSONValue(PaymentPlan.maxLines),
                                                 "items": ["$ref": "#/components/schemas/PaymentPlanLineInput"],
                                                 "x-keel-check": "the lines add up to the contract's total with tax to the fen; another sum is a 422 plan_total",
                                                 "examples": [[["kind": "deposit", "share": 0.3, "days_after_delivery": 0], ["kind": "final", "share": 0.7, "days_after_delivery": 30]]]]]]]]],
                    "responses": ["200": contractDocument, "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef, "503": busy]],
        ]
        let signing: JSONValue = ["type": "object", "required": ["flow_id", "contract", "status", "signers", "document"], "properties": [
            "flow_id": ["type": "string"], "contract": ["type": "string"], "provider": ["type": "string"],
            "status": ["type": "string", "enum": ["sent", "signed", "ended"]], "sent_by": ["type": "string"], "sent_at": ["type": "string"],
            "document": ["type": "object", "description": "The PDF sent, with its SHA-256"],
            "signers": ["type": "array", "items": ["type": "object", "properties": ["name": ["type": "string"], "account": ["type": "string", "description": "Masked"],
                                                                                  "organization": ["type": ["string", "null"]], "signed_at": ["type": ["string", "null"]]]]],
            "finished_at": ["type": ["string", "null"]],
            "signed_documents": ["type": "array", "items": ["type": "object", "properties": ["name": ["type": "string"], "sha256": ["type": "string"]]],
                                 "description": "Each signed document's SHA-256 (the signed PDF is attached to the contract)"]]]
        paths["/api/v1/contracts/{id}/signing"] = [
            "parameters": idParameter,
            "get": ["tags": ["contracts"], "summary": "The contract's latest e-signature: to whom it went, who signed when, the signed documents' SHA-256",
                    "responses": ["200": ok(signing), "401": errorRef, "404": errorRef]],
            "post": ["tags": ["contracts"], "summary": "Send a draft contract's PDF attachment to be signed through e签宝 (the contract becomes signing; once signed its terms do not change)",
                     "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object", "required": ["signers"], "additionalProperties": false, "properties": [
                        "signers": ["type": "array", "minItems": 1, "maxItems": JSONValue(Signatures.maxSigners), "items": [
                            "type": "object", "required": ["name", "mobile"], "additionalProperties": false, "properties": [
                                "name": ["type": "string", "maxLength": 50, "pattern": .string(filledText)],
                                "mobile": ["type": "string", "pattern": "^1[3-9][0-9]{9}$", "description": "The signer's mainland mobile: their e签宝 account"],
                                "organization": ["type": "string", "maxLength": 100, "pattern": .string(filledText), "description": "The company they sign for"]]]],
                        "attachment": ["type": "string", "description": "Which PDF attachment to send; the latest by default"]]]]]],
                     "responses": ["201": ok(signing), "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef, "502": errorRef]],
        ]
        paths["/api/v1/esign/tsign/callback"] = [
            "post": ["tags": ["contracts"], "security": [],
                     "summary": "e签宝's signing callbacks: X-Tsign-Open-SIGNATURE must be the HMAC-SHA256 of the timestamp, the query's values and the body with the app secret, the timestamp within 5 minutes; each callback is applied once",
                     "parameters": [
                        ["name": "X-Tsign-Open-App-Id", "in": "header", "required": true, "schema": ["type": "string", "minLength": 1]],
                        ["name": "X-Tsign-Open-TIMESTAMP", "in": "header", "required": true, "schema": ["type": "string", "pattern": "^[0-9]{13}$"]],
                        ["name": "X-Tsign-Open-SIGNATURE", "in": "header", "required": true, "schema": ["type": "string", "pattern": "^[0-9a-fA-F]{64}$"]]],
                     "requestBody": ["required": true, "content": ["application/json": ["schema": ["type": "object"]]]],
                     "responses": ["200": ok(["type": "object"]), "400": errorRef, "401": errorRef, "404": errorRef, "502": errorRef]],
        ]
        let policy: JSONValue = ["type": "object", "required": ["minDeposit", "maxDaysAfterDelivery"], "additionalProperties": false, "properties": [
            "minDeposit": ["type": "number", "minimum": 0, "maximum": 1, "multipleOf": 0.0001, "description": "The smallest deposit, a share of the total: 0.3 for 30 %"],
            "maxDaysAfterDelivery": ["type": "integer", "minimum": 0, "maximum": 3650, "description": "Nothing falls due later than this after delivery"],
            "finance": ["type": "array", "maxItems": 50, "items": reference("users").merging(["x-keel-may-repeat": true]),
                        "description": "Users told of overdue receivables with each contract's owner; none: the admins"]]]
        paths["/api/v1/settings/payment-policy"] = [
            "get": ["tags": ["contracts"], "summary": "The payment policy plans are checked against (admins)", "responses": ["200": ok(policy), "401": errorRef, "403": errorRef]],
            "put": ["tags": ["contracts"], "summary": "Set the payment policy (admins): plans made after are checked against it",
                    "requestBody": ["required": true, "content": ["application/json": ["schema": policy]]],
                    "responses": ["200": ok(policy), "401": errorRef, "403": errorRef, "422": errorRef]],
        ]
        return (paths, schemas)
    }
}

extension JSONValue {
    /// A schema with some of its keywords set (replaced).
    func merging(_ other: [String: JSONValue]) -> JSONValue { .object((objectValue ?? [:]).merging(other) { $1 }) }
}
