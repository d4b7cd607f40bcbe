import KeelCore
import KeelEngine

extension OpenAPIDocument {
    /// Imports: upload and run, progress and report, error report, revert.
    static func importPaths(_ catalog: Catalog) -> [String: JSONValue] {
        let tag: JSONValue = ["imports"]
        let count: JSONValue = ["type": "integer", "minimum": 0]
        let problem: JSONValue = ["type": "object", "required": ["code", "message"], "properties": [
            "column": ["type": "string"], "value": ["type": "string"], "field": ["type": "string"], "code": ["type": "string"], "message": ["type": "string"]]]
        let row: JSONValue = ["type": "object", "required": ["row", "outcome"], "properties": [
            "row": ["type": "integer", "description": "The spreadsheet row (the header is row 1)"],
            "outcome": ["type": "string", "enum": .array(ImportOutcome.allCases.map { .string($0.rawValue) })],
            "record": ["type": "string"], "duplicateOf": ["type": "string"], "problems": ["type": "array", "items": problem]]]
        let job: JSONValue = ["type": "object", "required": ["id", "object", "status", "totalRows", "doneRows", "counts", "progress"], "properties": [
            "id": ["type": "string"], "object": ["type": "string"], "filename": ["type": "string"], "sha256": ["type": "string"],
            "plan": ["type": "object", "description": "The mapping used: columns (header → field, \"\" left out), values, onDuplicate, update, encoding"],
            "dryRun": ["type": "boolean"], "status": ["type": "string", "enum": ["pending", "running", "done", "failed", "reverting", "reverted"]],
            "totalRows": count, "doneRows": count, "progress": ["type": "number", "minimum": 0, "maximum": 1],
            "counts": ["type": "object", "properties": .object(Dictionary(uniqueKeysWithValues: ImportOutcome.allCases.map { ($0.rawValue, count) }))],
            "problem": ["type": "object", "description": "Why the file could not be read or the import stopped: code, message, row"],
            "problems": ["type": "array", "items": row, "description": "The first 100 rows that failed"],
            "errorsCsv": ["type": "string", "description": "Where to download every problem as CSV"],
            "revert": ["type": "object", "description": "What taking it back did: deleted, restored, kept (rows changed since)"],
            "createdBy": ["type": "string"], "createdAt": ["type": "string", "format": "date-time"], "finishedAt": ["type": "string", "format": "date-time"],
            "revertedAt": ["type": "string", "format": "date-time"], "revertedBy": ["type": "string"]]]
        let idParam: JSONValue = ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "x-keel-reference": "imports"]]
        let objects = catalog.objects.filter { object in ["name", "subject"].contains { object.field($0) != nil } }.map { JSONValue.string($0.name) }
        let upload: JSONValue = [
            "type": "object", "required": ["file", "object"], "additionalProperties": false,
            "properties": [
                "file": ["type": "string", "minLength": 1, "description": "An Excel workbook (.xlsx) or a CSV (UTF-8, UTF-16 or GBK); up to KEEL_IMPORT_MAX_MB, default 200 MB",
                         "x-keel-check": "a CSV table with a header row and at least one data row",
                         "examples": ["name,subject,phone\r\n契约导入测试有限公司,契约导入测试,0755-86001234\r\n", "name,subject\r\n导入样例公司,导入样例\r\n"]],
                "object": ["type": "string", "enum": .array(objects), "description": "The object to import into"],
                "mapping": ["type": "string", "description": "A mapping, as JSON: {\"columns\": {header: field}, \"values\": {field: {text: value}}}",
                            "x-keel-check": "a JSON mapping whose fields exist", "examples": ["{\"columns\": {}}", "{\"values\": {}}"]],
                "onDuplicate": ["type": "string", "enum": .array(DuplicatePolicy.allCases.map { .string($0.rawValue) }), "default": "skip"],
                "update": ["type": "string", "enum": .array(UpdateMode.allCases.map { .string($0.rawValue) }), "default": "overwrite"],
                "encoding": ["type": "string", "enum": .array(TextEncoding.allCases.map { .string($0.rawValue) }),
                             "x-keel-check": "the file's own encoding (left out, it is detected)", "examples": ["utf-8"]],
                "preset": ["type": "string", "enum": .array(ImportPreset.allCases.map { .string($0.rawValue) }),
                           "description": "The CRM the file was exported from (Salesforce, 纷享销客): its headers map without a mapping"],
                "sheet": ["type": "string", "description": "A workbook's sheet to read (the first when left out)",
                          "x-keel-check": "a sheet the workbook has (left out for a CSV)", "examples": [""]],
                "dryRun": ["type": "string", "enum": ["true", "false"], "default": "false"],
            ],
        ]
        let mapping: JSONValue = ["type": "object", "required": ["id", "name", "object", "mapping"], "properties": [
            "id": ["type": "string"], "name": ["type": "string"], "object": ["type": "string"],
            "mapping": ["type": "object", "description": "columns (header → field, \"\" left out), values, onDuplicate, update, encoding, preset, sheet"],
            "createdBy": ["type": "string"], "updatedAt": ["type": "string", "format": "date-time"]]]
        let saving: JSONValue = [
            "type": "object", "required": ["name", "object"], "additionalProperties": false,
            "properties": [
                "name": ["type": "string", "minLength": 1, "maxLength": JSONValue(SavedMapping.maxName),
                         "description": "Saving under a name the object's mappings have replaces that mapping",
                         "x-keel-check": "a name without line breaks", "examples": ["展会名单", "Salesforce 客户"]],
                "object": ["type": "string", "enum": .array(objects)],
                "columns": ["type": "object", "additionalProperties": ["type": "string"], "description": "Header → field (\"\": left out)",
                            "x-keel-check": "fields the object has", "examples": [[:], ["备注": ""]]],
                "values": ["type": "object", "description": "Field → cell text → the value stored", "x-keel-check": "fields the object has", "examples": [[:]]],
                "onDuplicate": ["type": "string", "enum": .array(DuplicatePolicy.allCases.map { .string($0.rawValue) }), "default": "skip"],
                "update": ["type": "string", "enum": .array(UpdateMode.allCases.map { .string($0.rawValue) }), "default": "overwrite"],
                "encoding": ["type": "string", "enum": .array(TextEncoding.allCases.map { .string($0.rawValue) })],
                "preset": ["type": "string", "enum": .array(ImportPreset.allCases.map { .string($0.rawValue) })],
                "sheet": ["type": "string"],
            ],
        ]
        let mappingID: JSONValue = ["name": "id", "in": "path", "required": true, "schema": ["type": "string", "x-keel-reference": "import-mappings"]]
        return [
            "/api/v1/import-mappings": [
                "get": ["tags": tag, "summary": "The mappings saved for the objects the caller may import into",
                        "parameters": [["name": "object", "in": "query", "schema": ["type": "string", "enum": .array(objects)]]],
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": mapping]]]), "401": errorRef, "403": errorRef,
                                      "404": errorRef]],
                "post": ["tags": tag, "summary": "Save a mapping under a name for the next file of the same kind (the team shares them)",
                         "requestBody": ["required": true, "content": ["application/json": ["schema": saving]]],
                         "responses": ["201": ["description": "Saved", "content": ["application/json": ["schema": mapping]]],
                                       "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef]],
            ],
            "/api/v1/import-mappings/{id}": [
                "parameters": [mappingID],
                "get": ["tags": tag, "summary": "A saved mapping", "responses": ["200": ok(mapping), "401": errorRef, "404": errorRef]],
                "delete": ["tags": tag, "summary": "Delete a saved mapping (whoever saved it, or an admin)",
                           "responses": ["204": ["description": "Deleted"], "401": errorRef, "403": errorRef, "404": errorRef]],
            ],
            "/api/v1/imports": [
                "get": ["tags": tag, "summary": "The newest imports (an admin sees everyone's)",
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": job]]]), "401": errorRef]],
                "post": ["tags": tag,
                         "summary": "Upload a file and import it in the background: every row through the record service (validation, duplicates, history), in batches; 202 with the import to follow. The CSV may also be sent as the body itself (Content-Type text/csv, streamed to disk) with the fields as query parameters",
                         "requestBody": ["required": true, "content": ["multipart/form-data": ["schema": upload]]],
                         "responses": ["202": ["description": "Accepted: the import, pending", "content": ["application/json": ["schema": job]]],
                                       "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "413": errorRef, "415": errorRef, "422": errorRef]],
            ],
            "/api/v1/imports/{id}": [
                "parameters": [idParam],
                "get": ["tags": tag, "summary": "An import's progress, counts and first problem rows", "responses": ["200": ok(job), "401": errorRef, "404": errorRef]],
            ],
            "/api/v1/imports/{id}/rows": [
                "parameters": [idParam,
                               ["name": "after", "in": "query", "schema": ["type": "integer", "minimum": 0, "maximum": 2_147_483_647, "default": 0]],
                               ["name": "limit", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 1_000, "default": 500]]],
                "get": ["tags": tag, "summary": "Every row's outcome, in row order, after a row", "responses": [
                    "200": ok(["type": "object", "properties": ["data": ["type": "array", "items": row]]]), "400": errorRef, "401": errorRef, "404": errorRef]],
            ],
            "/api/v1/imports/{id}/errors.csv": [
                "parameters": [idParam],
                "get": ["tags": tag, "summary": "Every problem as CSV: row, column, value, field, code, reason",
                        "responses": ["200": ["description": "CSV", "content": ["text/csv": ["schema": ["type": "string"]]]], "401": errorRef, "404": errorRef]],
            ],
            "/api/v1/imports/{id}/revert": [
                "parameters": [idParam],
                "post": ["tags": tag,
                         "summary": "Take a finished import back (for 30 days), in the background: created records deleted, changed fields restored — unless changed since: those are kept and listed. 202 with the import, reverting, to follow until reverted",
                         "responses": ["202": ["description": "Accepted: the import, being taken back", "content": ["application/json": ["schema": job]]], "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef]],
            ],
        ]
    }
}
