import KeelCore
import KeelEngine

extension OpenAPIDocument {
    /// Pipelines: each object's pipeline document and each record's stage history.
    static func pipelinePaths(_ catalog: Catalog) -> [String: JSONValue] {
        let objectParam: JSONValue = ["name": "object", "in": "path", "required": true, "schema": ["type": "string"]]
        let labels: JSONValue = ["type": ["object", "null"], "additionalProperties": false, "required": ["zh-CN", "en"],
                                 "properties": ["zh-CN": ["type": "string", "minLength": 1], "en": ["type": "string", "minLength": 1]]]
        let names: JSONValue = ["type": ["array", "null"], "items": ["type": "string", "x-keel-field": "any"]]
        let stageName: JSONValue = ["type": "string", "x-keel-check": "an option of the document's stage field (a picklist of the object)"]
        let gate: JSONValue = [
            "type": ["object", "null"], "additionalProperties": false,
            "description": "What entering the stage asks for; entering an open or won stage asks the gates of every open stage before it too",
            "properties": [
                "fields": names, "groups": ["type": ["array", "null"], "items": ["type": "string"], "description": "Required groups of the object, by name"],
                "checklist": ["type": ["array", "null"], "items": ["type": "string"], "description": "Checkbox fields that must be ticked"],
                "approval": ["type": ["string", "null"], "description": "An approval process the record must have passed"],
                "related": ["type": ["array", "null"], "items": [
                    "type": "object", "additionalProperties": false, "required": ["object", "link"],
                    "description": "At least min records of object whose reference link points at this record (or at its reference field on) and whose fields hold where",
                    "properties": ["object": ["type": "string"], "link": ["type": "string"], "on": ["type": ["string", "null"]],
                                   "where": ["type": ["object", "null"], "additionalProperties": ["type": "string"]],
                                   "min": ["type": ["integer", "null"], "minimum": 1, "maximum": 100], "labels": labels]]],
            ],
        ]
        let stage: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["name"],
            "properties": [
                "name": stageName, "labels": labels, "probability": ["type": ["number", "null"], "minimum": 0, "maximum": 100],
                "outcome": ["type": ["string", "null"], "enum": .array(PipelineStage.Outcome.allCases.map { .string($0.rawValue) } + [.null]), "default": "open"],
                "rotDays": ["type": ["integer", "null"], "minimum": 1, "maximum": 365, "description": "Working days in the stage before the deal is stale"],
                "gate": gate,
            ],
        ]
        let pipeline: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["name", "stages"],
            "properties": [
                "name": ["type": "string", "minLength": 1, "maxLength": 64], "labels": labels,
                "when": ["type": ["array", "null"], "items": ["type": "string"], "description": "Values of the selector field this pipeline is for; empty: the default"],
                "skipForward": ["type": ["boolean", "null"], "default": true, "description": "false: a deal moves one open stage at a time, and to won only from the last"],
                "backNeedsReason": ["type": ["boolean", "null"], "default": true, "description": "A move back (or reopening a closed deal) needs stage_reason"],
                "stages": ["type": "array", "minItems": 2, "items": stage, "description": "In order; at least one open stage and a won stage"],
            ],
        ]
        let document: JSONValue = [
            "type": "object", "additionalProperties": false, "required": ["pipelines"],
            "properties": [
                "field": ["type": ["string", "null"], "default": "stage", "description": "The picklist holding the stage"],
                "selector": ["type": ["string", "null"], "description": "The field whose value chooses the pipeline (a business line)"],
                "rollback": ["type": ["object", "null"], "additionalProperties": false, "description": "count moves back within windowDays raise a rollback anomaly",
                             "properties": ["count": ["type": "integer", "minimum": 1, "maximum": 20], "windowDays": ["type": "integer", "minimum": 1, "maximum": 365]]],
                "pipelines": ["type": "array", "minItems": 1, "items": pipeline],
            ],
        ]
        var inForce = document.objectValue ?? [:]
        inForce["properties"] = .object((document["properties"]?.objectValue ?? [:]).merging([
            "object": ["type": "string"], "version": ["type": ["integer", "null"]], "updatedAt": ["type": ["string", "null"]],
        ]) { a, _ in a })
        let tags: JSONValue = ["pipelines"]
        var paths: [String: JSONValue] = [
            "/api/v1/metadata/objects/{object}/pipeline": [
                "parameters": [objectParam],
                "get": ["tags": tags, "summary": "The object's pipelines in force (opportunities have a standard one until an admin saves theirs)",
                        "responses": ["200": ok(.object(inForce)), "401": errorRef, "403": errorRef, "404": errorRef]],
                "put": ["tags": tags, "summary": "Save the object's pipelines (admin, audited): stages, probabilities, gates and transition rules; enforced on every write",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": document]]],
                        "responses": ["200": ok(.object(inForce)), "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "422": errorRef]],
            ],
        ]
        let transition: JSONValue = [
            "type": "object", "required": ["from", "to", "at", "by"],
            "properties": [
                "id": ["type": "string"], "pipeline": ["type": "string"], "from": ["type": ["string", "null"]], "to": ["type": "string"],
                "at": ["type": "string", "format": "date-time"], "by": ["type": "string", "description": "The user who moved it"],
                "source": ["type": "string"], "reason": ["type": ["string", "null"]],
                "secondsInStage": ["type": ["integer", "null"]], "workingSecondsInStage": ["type": ["integer", "null"]],
                "back": ["type": "boolean"], "firstTime": ["type": "boolean", "description": "No move into this stage was refused before"],
            ],
        ]
        for object in catalog.objects where object.fields.contains(where: { $0.type == .picklist }) {
            paths["/api/v1/\(object.name)/{id}/stages"] = [
                "parameters": [["name": "id", "in": "path", "required": true, "schema": idSchema]],
                "get": ["tags": [.string(object.name)], "summary": "The record's stage transitions, oldest first: who, when, from, to, why, time in the stage left",
                        "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": transition]]]), "401": errorRef, "404": errorRef]],
            ]
        }
        return paths
    }
}
