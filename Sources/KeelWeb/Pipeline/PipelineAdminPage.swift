import KeelCore

extension AdminPage {
    /// Pipelines (销售流程): each stage in words — probability, what its gate asks, how long before a deal is stale —
    /// the transition rules, and the document itself to edit.
    public struct Pipelines: PageContext {
        public static let template = Template.adminPipelines

        struct Stage {
            var label, probability, outcome, gate, rot: String
        }

        struct Flow {
            var title, rules: String
            var stages: [Stage]
        }

        var frame: Frame
        var csrf: String
        var flows: [Flow]
        var version: String
        var document: String

        public init(_ set: PipelineSet, version: Int?, object: ObjectDefinition, _ t: Strings, csrf: String, violations: [Violation] = [],
                    input: [String: String] = [:]) {
            (frame, self.csrf) = (Frame("pipelines", t, violations: violations), csrf)
            let lang = t.language
            func fields(_ names: [String]) -> String { names.map { object.field($0).map { lang.label($0.labels) } ?? $0 }.joined(separator: t["list_separator"]) }
            flows = set.pipelines.map { p in
                var rules = [t[p.skipForward ? "pipeline_skip_allowed" : "pipeline_one_at_a_time"]]
                if p.backNeedsReason { rules.append(t["pipeline_back_reason"]) }
                return Flow(title: lang.label(p.labels) + (p.when.isEmpty ? "" : "（\(p.when.joined(separator: t["list_separator"]))）"),
                            rules: rules.joined(separator: "；"),
                            stages: p.stages.map { s in
                                var gate: [String] = []
                                if !s.gate.fields.isEmpty { gate.append(t["pipeline_gate_fields"] + "：" + fields(s.gate.fields)) }
                                if !s.gate.groups.isEmpty { gate.append(t["pipeline_gate_groups"] + "：" + s.gate.groups.joined(separator: t["list_separator"])) }
                                if !s.gate.checklist.isEmpty { gate.append(t["pipeline_gate_checklist"] + "：" + fields(s.gate.checklist)) }
                                for r in s.gate.related { gate.append(t["gate_related"].replacingOccurrences(of: "{1}", with: lang.label(r.labels)).replacingOccurrences(of: "{2}", with: String(r.min))) }
                                if !s.gate.attachments.isEmpty { gate.append(t["gate_attachment"].replacingOccurrences(of: "{1}", with: s.gate.attachments.map { t["kind_" + $0] }.joined(separator: t["list_separator"]))) }
                                if let approval = s.gate.approval { gate.append(t["gate_approval"].replacingOccurrences(of: "{1}", with: approval)) }
                                return Stage(label: lang.label(s.labels), probability: "\(Int(s.probability))%", outcome: t["pipeline_outcome_" + s.outcome.rawValue],
                                             gate: gate.isEmpty ? "—" : gate.joined(separator: "；"),
                                             rot: s.rotDays.map { t["pipeline_rot_days"].replacingOccurrences(of: "{1}", with: String($0)) } ?? "—")
                            })
            }
            self.version = version.map(String.init) ?? t["pipeline_standard"]
            document = input["document"] ?? set.json.prettyText()
        }
    }
}
