import KeelCore
import KeelEngine

extension OpenAPIDocument {
    /// Finance: ERP documents sent in, reconciliation runs.
    static func financePaths(_ catalog: Catalog) -> [String: JSONValue] {
        let tag: JSONValue = ["finance"]
        let money: JSONValue = ["type": ["number", "string"], "pattern": .string(moneyText), "exclusiveMinimum": -1e13, "exclusiveMaximum": 1e13, "multipleOf": 0.01]
        let text: JSONValue = ["type": "string", "minLength": 1, "maxLength": 100, "pattern": .string(trimmedText)]
        let entry: JSONValue = ["type": "object", "required": ["kind", "document", "day", "amount"], "additionalProperties": false, "properties": [
            "kind": ["type": "string", "enum": .array(ERPEntry.Kind.allCases.map { .string($0.rawValue) }),
                     "description": "receivable (应收单, revenue booked), receipt (收款单, money in) or cost"],
            "document": text.merging(["description": "The ERP's document number: with the source and kind it names the entry; sent again, it replaces it"]),
            "contract_number": ["type": ["string", "null"], "maxLength": 100, "pattern": .string(trimmedText), "description": "The CRM contract number the document carries"],
            "day": ["type": "string", "format": "date"],
            "amount": money.merging(["description": "With tax (价税合计), an exact decimal"]),
            "tax": money.merging(["type": ["number", "string", "null"], "description": "The tax within the amount (at most the amount)"]),
            "currency": ["type": ["string", "null"], "pattern": "^[A-Z]{3}$", "description": "ISO 4217; CNY when left out"],
        ], "x-keel-check": "the tax is at most the amount; more is a 422 invalid_amount",
           "examples": [["kind": "receivable", "document": "AR-2026-0001", "contract_number": "HT-20261105-0001", "day": "2026-11-06", "amount": "11300.00", "tax": "1300.00"],
                        ["kind": "receipt", "document": "SK-2026-0001", "contract_number": "HT-20261105-0001", "day": "2026-11-20", "amount": 3390]]]
        let amount: JSONValue = ["type": ["number", "null"]]
        let line: JSONValue = ["type": "object", "required": ["position", "difference", "kind", "period"], "properties": [
            "position": ["type": "integer"],
            "difference": ["type": "string", "enum": .array(Reconciliation.Difference.allCases.map { .string($0.rawValue) })],
            "kind": ["type": "string", "enum": ["receivable", "receipt"]],
            "contract": ["type": ["string", "null"]], "contract_number": ["type": ["string", "null"]], "period": ["type": "string", "description": "YYYY-MM"],
            "crm_amount": amount, "erp_amount": amount, "crm_day": ["type": ["string", "null"]], "erp_day": ["type": ["string", "null"]],
            "payment": ["type": ["string", "null"]], "erp_documents": ["type": "array", "items": ["type": "string"]],
            "owner": ["type": ["string", "null"], "description": "Whose it is to clear: the contract's owner; none for what only the ERP has (finance's)"],
        ]]
        let run: JSONValue = ["type": "object", "required": ["id", "trigger", "status", "started_at", "lines", "periods", "counts"], "properties": [
            "id": ["type": "string"], "trigger": ["type": "string", "enum": ["nightly", "manual"]], "status": ["type": "string", "enum": ["completed", "failed"]],
            "started_by": ["type": ["string", "null"]], "started_at": ["type": "string"], "finished_at": ["type": ["string", "null"]],
            "problem": ["type": ["string", "null"], "description": "Why a failed run failed (the run before stays in force)"],
            "contracts": ["type": "integer"], "erp_entries": ["type": "integer"],
            "periods": ["type": "array", "description": "Revenue without tax per month: the CRM's signed contracts, the ERP's receivables (admins and finance only)",
                        "items": ["type": "object", "properties": ["period": ["type": "string"], "crm_revenue": ["type": "number"], "erp_revenue": ["type": "number"],
                                                                   "deviation": ["type": ["number", "null"], "description": "(CRM − ERP) / ERP"]]]],
            "counts": ["type": "object", "additionalProperties": ["type": "integer"]],
            "lines": ["type": "array", "items": line, "description": "Every difference; a rep sees the lines of their own contracts"],
        ]]
        let runs = ok(["type": "object", "properties": ["data": ["type": "array", "items": run]]])
        let state: JSONValue = ["type": "object", "required": ["connector", "kind", "failures"], "properties": [
            "connector": ["type": "string", "enum": ["kingdee", "yonbip"]], "kind": ["type": "string", "enum": ["receivable", "receipt", "cost"]],
            "cursor": ["type": ["string", "null"], "description": "The ERP's modification time the next pull reads from"],
            "last_success_at": ["type": ["string", "null"]], "last_attempt_at": ["type": ["string", "null"]], "next_attempt_at": ["type": ["string", "null"]],
            "failures": ["type": "integer", "description": "Failures in a row"], "last_error": ["type": ["string", "null"]],
            "alerted": ["type": "boolean", "description": "Admins and finance were told it keeps failing"]]]
        let states = ok(["type": "object", "properties": ["data": ["type": "array", "items": state]]])
        return [
            "/api/v1/erp-entries": [
                "post": ["tags": tag, "summary": "Send the ERP's documents (admins and finance): all of them are mirrored, or on any problem none",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": [
                            "type": "object", "required": ["entries"], "additionalProperties": false, "properties": [
                                "source": ["type": ["string", "null"], "pattern": "^[a-z0-9_-]{1,30}$", "description": "Which ERP: kingdee, yonbip, …; api when left out"],
                                "entries": ["type": "array", "minItems": 1, "maxItems": JSONValue(ERPEntry.maxBatch), "items": entry]]]]]],
                         "responses": ["200": ok(["type": "object", "properties": ["received": ["type": "integer"]]]), "400": errorRef, "401": errorRef,
                                       "403": errorRef, "422": errorRef]],
            ],
            "/api/v1/erp/connectors": [
                "get": ["tags": tag, "summary": "The ERP connectors set up (金蝶云星空, 用友 YonBIP) and where each kind's pulls stand (admins and finance)",
                        "responses": ["200": states, "401": errorRef, "403": errorRef]],
            ],
            "/api/v1/erp/connectors/sync": [
                "post": ["tags": tag, "summary": "Pull from every connector now (admins and finance); a failure is kept in its state and retried",
                         "responses": ["200": states, "401": errorRef, "403": errorRef]],
            ],
            "/api/v1/reconciliation/runs": [
                "get": ["tags": tag, "summary": "The latest runs, newest first, without their lines (admins and finance)",
                        "responses": ["200": runs, "401": errorRef, "403": errorRef]],
                "post": ["tags": tag, "summary": "Reconcile now (admins and finance): the CRM's signed contracts and payments against the ERP's documents, one transaction; what finance confirmed is written back to each contract",
                         "responses": ["201": ["description": "The run, in force", "content": ["application/json": ["schema": run]]], "401": errorRef, "403": errorRef]],
            ],
            "/api/v1/reconciliation/runs/latest": [
                "get": ["tags": tag, "summary": "The run in force (the last completed) with its lines; 404 before the first",
                        "responses": ["200": ok(run), "401": errorRef, "404": errorRef]],
            ],
            "/api/v1/reconciliation/runs/{run}": [
                "parameters": [["name": "run", "in": "path", "required": true, "schema": ["type": "string", "x-keel-reference": "reconciliation-runs"]]],
                "get": ["tags": tag, "summary": "A run with its lines (a failed one with its problem)", "responses": ["200": ok(run), "401": errorRef, "404": errorRef]],
            ],
        ]
    }
}
