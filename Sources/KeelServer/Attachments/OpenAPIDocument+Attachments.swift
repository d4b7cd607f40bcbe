import KeelCore
import KeelEngine

extension OpenAPIDocument {
    /// Attachments of each object's records: upload, list, download.
    static func attachmentPaths(_ catalog: Catalog) -> [String: JSONValue] {
        let attachment: JSONValue = ["type": "object", "required": ["id", "sha256", "size", "contentType", "filename", "kind"], "properties": [
            "id": ["type": "string"], "sha256": ["type": "string", "pattern": "^[0-9a-f]{64}$"], "size": ["type": "integer"],
            "contentType": ["type": "string"], "filename": ["type": "string"], "kind": ["type": "string"], "uploadedBy": ["type": "string"],
            "at": ["type": "string", "format": "date-time"],
        ]]
        let idParam: JSONValue = ["name": "id", "in": "path", "required": true, "schema": idSchema]
        var paths: [String: JSONValue] = [:]
        for object in catalog.objects {
            let tag: JSONValue = [.string(object.name)]
            paths["/api/v1/\(object.name)/{id}/attachments"] = [
                "parameters": [idParam],
                "get": ["tags": tag, "summary": "The record's attachments, newest first", "responses": [
                    "200": ok(["type": "object", "properties": ["data": ["type": "array", "items": attachment]]]), "401": errorRef, "404": errorRef]],
                "post": ["tags": tag,
                         "summary": "Attach a file (who may change the record may attach): kept once by its SHA-256, its type told by its bytes; listed in the record's history; never changed or removed",
                         "requestBody": ["required": true, "content": ["multipart/form-data": ["schema": [
                             "type": "object", "required": ["file"], "additionalProperties": false,
                             "properties": [
                                 "file": ["type": "string", "minLength": 1, "description": "The file's bytes, with its name in the part's filename",
                                          "x-keel-check": "a PDF, image, audio file, office document or plain text (HTML, SVG, scripts and programs are a 415; over the size limit, a 413)",
                                          "examples": ["会议纪要：客户确认采购需求，下周二前提交报价。", "Visit notes: the customer confirmed the budget."]],
                                 "kind": ["type": "string", "enum": .array(Attachment.kinds.map(JSONValue.string)), "default": "other"],
                             ],
                         ]]]],
                         "responses": ["201": ok(attachment), "401": errorRef, "403": errorRef, "404": errorRef, "413": errorRef, "415": errorRef, "422": errorRef]],
            ]
            paths["/api/v1/\(object.name)/{id}/attachments/{attachment}"] = [
                "parameters": [idParam, ["name": "attachment", "in": "path", "required": true, "schema": ["type": "string"]]],
                "get": ["tags": tag, "summary": "Download an attachment (as a download, never shown inline)",
                        "responses": ["200": ["description": "The file, as stored"], "401": errorRef, "404": errorRef]],
            ]
        }
        return paths
    }
}
