import Foundation

extension PipelineSet {
    /// Reads a pipeline document for `object`, reporting every problem at once with its JSON path: unknown keys,
    /// stages that are not options of the stage field, fields the object lacks, related objects or links that do not
    /// exist (`objects`: the catalog). Approval processes are checked by the caller (they live in the database).
    /// `lenient` reads a document saved earlier: what was deleted since (a field, a stage option) only drops out.
    public static func parse(_ json: JSONValue, object: ObjectDefinition, objects: [ObjectDefinition], lenient: Bool = false) throws(KeelError) -> PipelineSet {
        var violations: [Violation] = []
        func fail(_ path: String, _ code: String, _ message: String) { violations.append(Violation(field: path, code: code, message: message)) }
        func unknownKeys(_ o: [String: JSONValue], _ allowed: [String], at path: String) {
            for key in o.keys.sorted() where !allowed.contains(key) {
                fail(path.isEmpty ? key : "\(path).\(key)", "unknown_key", "\(key) is not one of \(allowed.joined(separator: ", ")).")
            }
        }
        func labels(_ v: JSONValue?, at path: String, fallback: String) -> Labels {
            guard let v, !v.isNull else { return Labels(zhCN: fallback, en: fallback) }
            guard let o = v.objectValue, let zh = o["zh-CN"]?.stringValue, let en = o["en"]?.stringValue, !zh.isEmpty, !en.isEmpty else {
                fail(path, "invalid_labels", "labels is {\"zh-CN\": text, \"en\": text}.")
                return Labels(zhCN: fallback, en: fallback)
            }
            unknownKeys(o, ["zh-CN", "en"], at: path)
            return Labels(zhCN: zh, en: en)
        }
        func names(_ v: JSONValue?, at path: String) -> [String] {
            guard let v, !v.isNull else { return [] }
            guard let items = v.arrayValue, items.allSatisfy({ $0.stringValue != nil }) else {
                fail(path, "invalid_type", "\(path) is a list of names.")
                return []
            }
            return items.compactMap(\.stringValue)
        }
        guard let document = json.objectValue else {
            throw KeelError(.badRequest, code: "invalid_body", message: "Send {\"field\", \"selector\", \"pipelines\": [{\"name\", \"labels\", \"stages\"}]}.")
        }
        unknownKeys(document, ["field", "selector", "pipelines", "rollback", "object", "version", "updatedAt", "updatedBy"], at: "")
        violations += document.wrongTypes(["field": "string", "selector": "string", "pipelines": "array", "rollback": "object"])
        let field = document["field"]?.stringValue ?? "stage"
        let options = Set(object.field(field)?.options ?? [])
        if object.field(field)?.type != .picklist { fail("field", "invalid_field", "\(field) is not a picklist of \(object.name).") }
        let selector = document["selector"]?.stringValue
        if let selector, object.field(selector) == nil { fail("selector", "unknown_field", "\(object.name) has no field \(selector).") }
        var set = PipelineSet(object: object.name, field: field, selector: selector, pipelines: [])
        if let rollback = document["rollback"]?.objectValue {
            unknownKeys(rollback, ["count", "windowDays"], at: "rollback")
            if let v = rollback["count"], !v.isNull {
                if let n = v.intValue, (1...20).contains(n) { set.rollback.count = n } else { fail("rollback.count", "out_of_range", "count is a whole number from 1 to 20.") }
            }
            if let v = rollback["windowDays"], !v.isNull {
                if let n = v.intValue, (1...365).contains(n) { set.rollback.windowDays = n } else { fail("rollback.windowDays", "out_of_range", "windowDays is a whole number from 1 to 365.") }
            }
        }
        let items = document["pipelines"]?.arrayValue ?? []
        if items.isEmpty { fail("pipelines", "required", "A pipeline document has at least one pipeline.") }
        var pipelineNames = Set<String>()
        for (p, item) in items.enumerated() {
            let at = "pipelines[\(p)]"
            guard let o = item.objectValue else { fail(at, "invalid_type", "A pipeline is {\"name\", \"labels\", \"stages\"}."); continue }
            unknownKeys(o, ["name", "labels", "when", "stages", "skipForward", "backNeedsReason"], at: at)
            violations += o.wrongTypes(["name": "string", "stages": "array", "skipForward": "boolean", "backNeedsReason": "boolean"])
                .map { Violation(field: "\(at).\($0.field)", code: $0.code, message: $0.message) }
            let name = o["name"]?.stringValue ?? ""
            if name.isEmpty || name.count > 64 || !pipelineNames.insert(name).inserted {
                fail("\(at).name", "invalid_name", "Each pipeline has its own name of 1 to 64 characters.")
            }
            var pipeline = Pipeline(name: name, labels: labels(o["labels"], at: "\(at).labels", fallback: name), when: names(o["when"], at: "\(at).when"),
                                    stages: [], skipForward: o["skipForward"]?.boolValue ?? true, backNeedsReason: o["backNeedsReason"]?.boolValue ?? true)
            if !pipeline.when.isEmpty, selector == nil { fail("\(at).when", "no_selector", "when needs the document's selector field.") }
            var stageNames = Set<String>()
            for (s, stageItem) in (o["stages"]?.arrayValue ?? []).enumerated() {
                let sat = "\(at).stages[\(s)]"
                guard let so = stageItem.objectValue else { fail(sat, "invalid_type", "A stage is {\"name\", \"labels\", \"probability\", \"outcome\", \"gate\"}."); continue }
                unknownKeys(so, ["name", "labels", "probability", "outcome", "gate", "rotDays"], at: sat)
                let stageName = so["name"]?.stringValue ?? ""
                if !options.contains(stageName) {
                    fail("\(sat).name", "unknown_stage", "\(stageName.isEmpty ? "A stage's name" : stageName) is not an option of \(field) (\(object.field(field)?.options?.joined(separator: ", ") ?? "")).")
                } else if !stageNames.insert(stageName).inserted {
                    fail("\(sat).name", "duplicate_stage", "\(stageName) is listed twice.")
                }
                // A stage without labels takes the standard stage's of that name, else its name.
                let standard = PipelineSet.standardStages.first { $0.name == stageName }
                let named = so["labels"].flatMap { $0.isNull ? nil : labels($0, at: "\(sat).labels", fallback: stageName) }
                var stage = PipelineStage(name: stageName, labels: named ?? standard?.labels ?? Labels(zhCN: stageName, en: stageName),
                                          probability: standard?.probability ?? 0, outcome: standard?.outcome ?? .open)
                if let v = so["probability"], !v.isNull {
                    if let n = v.doubleValue, (0...100).contains(n) { stage.probability = n } else { fail("\(sat).probability", "out_of_range", "probability is from 0 to 100.") }
                }
                if let v = so["outcome"], !v.isNull {
                    if let outcome = v.stringValue.flatMap(PipelineStage.Outcome.init(rawValue:)) { stage.outcome = outcome } else {
                        fail("\(sat).outcome", "invalid_option", "outcome is open, won or lost.")
                    }
                }
                if let v = so["rotDays"], !v.isNull {
                    if let n = v.intValue, (1...365).contains(n) { stage.rotDays = n } else { fail("\(sat).rotDays", "out_of_range", "rotDays is a whole number of working days from 1 to 365.") }
                }
                if let gate = so["gate"], !gate.isNull {
                    stage.gate = parseGate(gate, at: "\(sat).gate", object: object, objects: objects, fail: fail, unknownKeys: unknownKeys, names: names, labels: labels)
                }
                pipeline.stages.append(stage)
            }
            if !pipeline.stages.contains(where: { $0.outcome == .open }) { fail("\(at).stages", "no_open_stage", "A pipeline has at least one open stage.") }
            if !pipeline.stages.contains(where: { $0.outcome == .won }) { fail("\(at).stages", "no_won_stage", "A pipeline has a won stage.") }
            set.pipelines.append(pipeline)
        }
        if items.count > 0, !set.pipelines.contains(where: { $0.when.isEmpty }), selector == nil {
            fail("pipelines", "no_default", "Without a selector, a pipeline has no when.")
        }
        if lenient { violations.removeAll { driftCodes.contains($0.code) } }
        guard violations.isEmpty else { throw KeelError.validation(violations) }
        return set
    }

    /// What deleting a field, a group or a stage option does to a saved document.
    static let driftCodes: Set<String> = ["unknown_field", "unknown_group", "not_checkbox", "unknown_stage", "unknown_object"]

    private static func parseGate(_ gate: JSONValue, at path: String, object: ObjectDefinition, objects: [ObjectDefinition],
                                  fail: (String, String, String) -> Void, unknownKeys: ([String: JSONValue], [String], String) -> Void,
                                  names: (JSONValue?, String) -> [String], labels: (JSONValue?, String, String) -> Labels) -> StageGate {
        guard let o = gate.objectValue else { fail(path, "invalid_type", "A gate is {\"fields\", \"groups\", \"checklist\", \"related\", \"approval\", \"attachments\"}."); return StageGate() }
        unknownKeys(o, ["fields", "groups", "checklist", "related", "approval", "attachments"], path)
        var result = StageGate(fields: names(o["fields"], "\(path).fields"), groups: names(o["groups"], "\(path).groups"),
                               checklist: names(o["checklist"], "\(path).checklist"))
        for name in result.fields where object.field(name) == nil { fail("\(path).fields", "unknown_field", "\(object.name) has no field \(name).") }
        for name in result.groups where !object.requiredGroups.contains(where: { $0.name == name }) {
            fail("\(path).groups", "unknown_group", "\(object.name) has no required group \(name).")
        }
        for name in result.checklist where object.field(name)?.type != .boolean {
            fail("\(path).checklist", "not_checkbox", "\(name) is not a checkbox field of \(object.name).")
        }
        result.attachments = names(o["attachments"], "\(path).attachments")
        for kind in result.attachments where !Attachment.kinds.contains(kind) {
            fail("\(path).attachments", "invalid_option", "\(kind) is not a kind of attachment (\(Attachment.kinds.joined(separator: ", "))).")
        }
        if let approval = o["approval"], !approval.isNull {
            if let id = approval.stringValue, !id.isEmpty { result.approval = id } else { fail("\(path).approval", "invalid_type", "approval is an approval process's id.") }
        }
        for (r, item) in (o["related"]?.arrayValue ?? []).enumerated() {
            let at = "\(path).related[\(r)]"
            guard let ro = item.objectValue else { fail(at, "invalid_type", "A related requirement is {\"object\", \"link\", \"on\", \"where\", \"min\", \"labels\"}."); continue }
            unknownKeys(ro, ["object", "link", "on", "where", "min", "labels"], at)
            let otherName = ro["object"]?.stringValue ?? ""
            guard let other = objects.first(where: { $0.name == otherName }) else { fail("\(at).object", "unknown_object", "There is no object \(otherName)."); continue }
            let link = ro["link"]?.stringValue ?? ""
            if other.field(link)?.type != .reference { fail("\(at).link", "unknown_field", "\(link) is not a reference field of \(otherName).") }
            let on = ro["on"]?.stringValue
            if let on, object.field(on)?.type != .reference { fail("\(at).on", "unknown_field", "\(on) is not a reference field of \(object.name).") }
            var matching: [String: String] = [:]
            for (key, value) in ro["where"]?.objectValue ?? [:] {
                if other.field(key) == nil { fail("\(at).where.\(key)", "unknown_field", "\(otherName) has no field \(key).") }
                if let text = value.stringValue { matching[key] = text } else { fail("\(at).where.\(key)", "invalid_type", "A where value is text.") }
            }
            var min = 1
            if let v = ro["min"], !v.isNull {
                if let n = v.intValue, (1...100).contains(n) { min = n } else { fail("\(at).min", "out_of_range", "min is a whole number from 1 to 100.") }
            }
            result.related.append(RelatedRequirement(object: otherName, link: link, on: on, matching: matching, min: min,
                                                     labels: labels(ro["labels"], "\(at).labels", otherName)))
        }
        return result
    }

    /// The document as stored and answered.
    public var json: JSONValue {
        [
            "object": .string(object), "field": .string(field), "selector": selector.map(JSONValue.string) ?? .null,
            "rollback": ["count": JSONValue(rollback.count), "windowDays": JSONValue(rollback.windowDays)],
            "pipelines": .array(pipelines.map { p in
                [
                    "name": .string(p.name), "labels": p.labels.json, "when": .array(p.when.map(JSONValue.string)),
                    "skipForward": .bool(p.skipForward), "backNeedsReason": .bool(p.backNeedsReason),
                    "stages": .array(p.stages.map { s in
                        [
                            "name": .string(s.name), "labels": s.labels.json, "probability": JSONValue(s.probability), "outcome": .string(s.outcome.rawValue),
                            "rotDays": s.rotDays.map { JSONValue($0) } ?? .null,
                            "gate": [
                                "fields": .array(s.gate.fields.map(JSONValue.string)), "groups": .array(s.gate.groups.map(JSONValue.string)),
                                "checklist": .array(s.gate.checklist.map(JSONValue.string)), "approval": s.gate.approval.map(JSONValue.string) ?? .null,
                                "attachments": .array(s.gate.attachments.map(JSONValue.string)),
                                "related": .array(s.gate.related.map { r in
                                    [
                                        "object": .string(r.object), "link": .string(r.link), "on": r.on.map(JSONValue.string) ?? .null,
                                        "where": .object(r.matching.mapValues(JSONValue.string)), "min": JSONValue(r.min), "labels": r.labels.json,
                                    ]
                                }),
                            ],
                        ]
                    }),
                ]
            }),
        ]
    }
}
