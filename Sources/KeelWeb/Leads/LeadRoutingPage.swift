import KeelCore

extension AdminPage {
    /// Lead routing (线索分配): whether it is on, what the rules say in words — conditions, strategy, members, limits —
    /// what the document leaves uncovered, and the document itself to edit.
    public struct LeadRouting: PageContext {
        public static let template = Template.adminLeadRouting

        struct Rule {
            var position: Int
            var name, conditions, strategy, members, capacity: String
            /// The SLA's targets, its calendar and its escalations, a line each.
            var sla: [String]
        }

        var frame: Frame
        var csrf: String
        var enabled: Bool
        var configured: Bool
        var rules: [Rule]
        var hasRules: Bool
        var fallback: String
        var warnings: [String]
        var hasWarnings: Bool
        var version: String
        var document: String

        public init(_ settings: LeadRoutingSettings, users: [User], leads: ObjectDefinition, _ t: Strings, csrf: String,
                    violations: [Violation] = [], input: [String: String] = [:]) {
            (frame, self.csrf) = (Frame("lead-routing", t, violations: violations), csrf)
            let routing = settings.routing
            enabled = routing?.enabled ?? false
            configured = routing != nil
            func name(_ ref: String) -> String {
                KeelCore.LeadRouting.Member.user(ref, in: users).map { $0.status == .active ? $0.name : "\($0.name)（\(t["status_frozen"])）" } ?? ref
            }
            func members(_ list: [KeelCore.LeadRouting.Member], weighted: Bool) -> String {
                list.map { name($0.user) + (weighted ? " ×\($0.weight)" : "") }.joined(separator: t["list_separator"])
            }
            rules = (routing?.rules ?? []).enumerated().map { i, rule in
                var conditions: [String] = []
                if !rule.regions.isEmpty {
                    let places = rule.regions.map { code in RegionTable.place(code: code).map { $0.name(t.language.rawValue) } ?? code }
                    conditions.append(t["routing_regions"] + "：" + places.joined(separator: t["list_separator"]))
                }
                for (field, values) in rule.fields.sorted(by: { $0.key < $1.key }) {
                    let definition = leads.field(field)
                    conditions.append((definition.map { t.language.label($0.labels) } ?? field) + "：" + values.map { t.option($0, of: definition) }.joined(separator: t["list_separator"]))
                }
                if rule.minScore != nil || rule.maxScore != nil {
                    let lo = rule.minScore.map { Self.number($0) } ?? "", hi = rule.maxScore.map { Self.number($0) } ?? ""
                    conditions.append(t["routing_score"] + "：" + (lo.isEmpty ? "≤ \(hi)" : hi.isEmpty ? "≥ \(lo)" : "\(lo)–\(hi)"))
                }
                var strategy = t["routing_" + rule.strategy.rawValue]
                if rule.strategy == .bestPerformer { strategy += t["routing_top"].replacingOccurrences(of: "{1}", with: String(rule.top)) }
                return Rule(position: i + 1, name: rule.name, conditions: conditions.isEmpty ? t["routing_any_lead"] : conditions.joined(separator: "；"),
                            strategy: strategy, members: rule.strategy == .pool ? "—" : members(rule.members, weighted: rule.strategy == .weighted),
                            capacity: rule.capacity.map { t["routing_capacity_n"].replacingOccurrences(of: "{1}", with: String($0)) } ?? "—",
                            sla: routing?.sla(rule: rule.id).map { Self.describe($0, t) } ?? [t["routing_no_sla"]])
            }
            hasRules = !rules.isEmpty
            fallback = routing.map { $0.fallback.isEmpty ? t["routing_no_fallback"] : members($0.fallback, weighted: false) } ?? "—"
            warnings = settings.warnings.map { warning in
                var named = warning
                if warning.code == "uncovered_region", warning.args.count > 1, let place = RegionTable.place(code: warning.args[1]) {
                    named.args[1] = place.name(t.language.rawValue)
                }
                return t.violation(named)
            }
            hasWarnings = !warnings.isEmpty
            version = settings.version.map { "v\($0)" } ?? t["routing_not_set"]
            var shown = (routing ?? KeelCore.LeadRouting()).json.objectValue ?? [:]
            if routing == nil { shown["rules"] = [] }
            document = input["document"] ?? JSONValue.object(shown).prettyText()
        }

        static func number(_ n: Double) -> String { JSONValue(n).numberValue.map { FormulaEvaluator.text(.number($0)) } ?? "" }

        /// 「查看 2 分钟内」「首次联系 4 小时内」「按工作时间」「10 分钟后群机器人 east」「30 分钟后电话」.
        static func describe(_ sla: ResponseSLA, _ t: Strings) -> [String] {
            let english = t.language == .en
            let targets = sla.targets.map { target in
                let breach = ResponseSLA.breach(target)
                return english ? "\(target.event.en) " + breach.en.replacingOccurrences(of: "not \(target.event.en) ", with: "")
                    : target.event.zh + " " + breach.zh.replacingOccurrences(of: "未\(target.event.zh)", with: "")
            }
            var parts = targets + [t[sla.workingHours ? "sla_working" : "sla_always"]]
            if let robot = sla.robot {
                parts.append(t["sla_robot_after"].replacingOccurrences(of: "{1}", with: robot).replacingOccurrences(of: "{2}", with: String(sla.robotAfter)))
            }
            if let call = sla.callAfter { parts.append(t["sla_call_after"].replacingOccurrences(of: "{1}", with: String(call))) }
            return parts
        }
    }
}
