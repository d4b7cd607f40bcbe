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
        // What is in force may have no pipelines (an object none was saved for).
        inForce["required"] = []
        inForce["properties"] = .object((document["properties"]?.objectValue ?? [:]).merging([
            "object": ["type": "string"], "version": ["type": ["integer", "null"]], "updatedAt": ["type": ["string", "null"]],
            "pipelines": ["type": "array", "items": pipeline],
        ]) { _, b in b })
        let tags: JSONValue = ["pipelines"]
        var paths: [String: JSONValue] = [
            "/api/v1/metadata/objects/{object}/pipeline": [
                "parameters": [objectParam],
                "get": ["tags": tags, "summary": "The object's pipelines in force (opportunities have a standard one until an admin saves theirs; other objects none until one is saved)",
                        "responses": ["200": ok(.object(inForce)), "401": errorRef, "403": errorRef, "404": errorRef]],
                "put": ["tags": tags, "summary": "Save the object's pipelines (admin, audited): stages, probabilities, gates and transition rules; enforced on every write. An object without a picklist to hold the stage: 409",
                        "requestBody": ["required": true, "content": ["application/json": ["schema": document]]],
                        "responses": ["200": ok(.object(inForce)), "400": errorRef, "401": errorRef, "403": errorRef, "404": errorRef, "409": errorRef, "422": errorRef]],
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
        let money: JSONValue = ["type": "number"]
        let prediction: JSONValue = ["type": "object", "required": ["p10", "p50", "p90"],
                                     "properties": ["p10": money, "p50": money, "p90": money, "mean": money],
                                     "description": "The period's won amount: p10–p90 is the 80 % interval"]
        let figures: [String: JSONValue] = [
            "period": ["type": "string"], "closed": money, "weighted": money, "openDeals": ["type": "integer"], "predicted": prediction,
            "categories": ["type": "object", "required": .array(Forecast.categories.map(JSONValue.string)),
                           "properties": .object(Dictionary(uniqueKeysWithValues: Forecast.categories.map { ($0, money) }))],
        ]
        let period: JSONValue = ["type": "string", "pattern": "^(20[0-9]{2}|2100)-(0[1-9]|1[0-2])$", "description": "A month, YYYY-MM"]
        paths["/api/v1/forecast"] = ["get": [
            "tags": tags, "summary": "A month's forecast for me, my team (my department and those under it) or the company, over the deals the caller may read: categories, weighted pipeline, and the won amount predicted from stage history (p10, p50, p90), with each owner's own",
            "parameters": [
                ["name": "period", "in": "query", "schema": period, "description": "Default: this month"],
                ["name": "scope", "in": "query", "schema": ["type": "string", "enum": .array(Forecasts.Scope.allCases.map { .string($0.rawValue) }), "default": "me"]],
            ],
            "responses": ["200": ok(["type": "object", "required": ["period", "weighted", "categories", "predicted"], "properties": .object(figures.merging([
                "scope": ["type": "string"], "owners": ["type": "array", "items": ["type": "object", "properties": .object(figures)]],
                "adjustments": ["type": "array", "items": ["type": "object"]],
            ]) { a, _ in a })]), "401": errorRef, "403": errorRef, "422": errorRef],
        ]]
        paths["/api/v1/forecast/adjustments"] = ["put": [
            "tags": tags, "summary": "A manager's figure for one of their people's forecast categories (an admin's for anyone's), kept beside the person's own",
            "requestBody": ["required": true, "content": ["application/json": ["schema": [
                "type": "object", "additionalProperties": false, "required": ["period", "user", "category", "amount"],
                "properties": [
                    "period": period, "user": reference("users"), "category": ["type": "string", "enum": .array(Forecast.categories.map(JSONValue.string))],
                    "amount": ["type": "number", "minimum": 0, "maximum": 1e14], "note": ["type": ["string", "null"], "maxLength": 500],
                ],
            ]]]],
            "responses": ["200": ok(["type": "object"]), "401": errorRef, "403": errorRef, "422": errorRef],
        ]]
        paths["/api/v1/forecast/backtest"] = ["get": [
            "tags": tags, "summary": "The prediction tried on each of the last months (made at each month's start from what was known then) against what was won and against the naive weighted pipeline (managers and admins)",
            "parameters": [["name": "months", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 36, "default": 12]]],
            "responses": ["200": ok(["type": "object", "required": ["coverage", "error", "naiveError", "months"], "properties": [
                "coverage": ["type": "number"], "error": money, "naiveError": money, "months": ["type": "array", "items": ["type": "object"]]]]),
                          "401": errorRef, "403": errorRef, "422": errorRef],
        ]]
        paths["/api/v1/reports/valid-advances"] = ["get": [
            "tags": tags, "summary": "Valid-advance rate per rep and stage: advances that met the stage's gate at the first attempt (a member: their own)",
            "parameters": [["name": "object", "in": "query", "schema": ["type": "string", "enum": .array(catalog.objects.map { .string($0.name) }), "default": "opportunities"]],
                           ["name": "days", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 730, "default": 90]]],
            "responses": ["200": ok(["type": "object", "properties": ["data": ["type": "array", "items": ["type": "object", "properties": [
                "user": ["type": "string"], "stage": ["type": "string"], "advances": ["type": "integer"], "firstTime": ["type": "integer"], "rate": ["type": "number"]]]]]]),
                          "401": errorRef, "404": errorRef, "422": errorRef],
        ]]
        paths["/api/v1/activities/{id}/credibility"] = [
            "parameters": [["name": "id", "in": "path", "required": true, "schema": idSchema]],
            "get": ["tags": ["activities"], "summary": "How far the activity can be believed, 0–100, with its reasons (evidence, timeliness, substance, the deal's movement after it)",
                    "responses": ["200": ok(["type": "object", "required": ["score", "reasons"], "properties": [
                        "score": ["type": "integer", "minimum": 0, "maximum": 100], "reasons": ["type": "array", "items": ["type": "object"]]]]),
                                  "401": errorRef, "404": errorRef]],
        ]
        paths["/api/v1/reports/credibility"] = ["get": [
            "tags": ["activities"], "summary": "Each rep's month of activities (by when they happened, those the caller may read): how many, the average credibility, the share backed up and logged on time",
            "parameters": [["name": "month", "in": "query", "schema": period]],
            "responses": ["200": ok(["type": "object", "properties": ["month": ["type": "string"], "data": ["type": "array", "items": ["type": "object", "properties": [
                "user": ["type": "string"], "activities": ["type": "integer"], "average": ["type": "number"], "backedUp": ["type": "number"], "onTime": ["type": "number"]]]]]]),
                          "401": errorRef, "403": errorRef, "422": errorRef],
        ]]
        paths["/api/v1/reports/dormant-accounts"] = ["get": [
            "tags": ["activities"], "summary": "Customers (accounts with a deal) the caller may read with no real follow-up — a call, visit, meeting, message or e-mail on them, their contacts or their deals — for 30 working days, longest silent first",
            "responses": ["200": ok(["type": "object", "properties": ["dormantAfterWorkingDays": ["type": "integer"], "data": ["type": "array", "items": ["type": "object", "properties": [
                "id": ["type": "string"], "name": ["type": ["string", "null"]], "owner": ["type": ["string", "null"]], "lastFollowUp": ["type": ["string", "null"]]]]]]]),
                          "401": errorRef, "403": errorRef],
        ]]
        paths["/api/v1/activities/parse"] = ["post": [
            "tags": ["activities"], "summary": "Read a quick note as a follow-up: its type, next step, due time (in the organisation's zone and working calendar) and the person it names; what cannot be read is null, never a guessed date",
            "requestBody": ["required": true, "content": ["application/json": ["schema": [
                "type": "object", "additionalProperties": false, "required": ["text"],
                "properties": ["text": ["type": "string", "maxLength": 500, "examples": ["明天下午3点给张总回电话", "下周三前发报价", "call Li back next Tuesday 10am"]],
                               "related_to": ["type": ["string", "null"], "description": "The record the note is about: the person is looked for among its (account's) contacts"]],
            ]]]],
            "responses": ["200": ok(["type": "object", "required": ["type", "nextStep", "due"], "properties": [
                "type": ["type": ["string", "null"], "enum": .array(StandardObjects.activityTypes.map(JSONValue.string) + [.null])],
                "nextStep": ["type": ["string", "null"]], "due": ["type": ["string", "null"], "format": "date-time"], "dueHasTime": ["type": "boolean"],
                "contact": ["type": "object", "properties": ["name": ["type": "string"], "id": ["type": ["string", "null"]], "record": ["type": ["string", "null"]]]],
            ]]), "401": errorRef, "422": errorRef],
        ]]
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
