import KeelCore

extension AdminPage {
    /// The access tab: the policy document to edit (JSON, checked when saved), the permission health scan, "why can
    /// (not) this user do that?", recent audit entries.
    public struct Access: PageContext {
        public static let template = Template.adminAccess

        struct Finding {
            var kind, email, message, fix: String
        }

        struct AuditRow {
            var at, actor, action, object, record, detail: String
        }

        /// The answer of "explain": allowed or not, why, each policy and whether it matched.
        public struct Explanation {
            public struct Policy {
                var id, effect, matches, condition: String

                public init(id: String, effect: String, matches: String, condition: String) {
                    (self.id, self.effect, self.matches, self.condition) = (id, effect, matches, condition)
                }
            }

            var decision, reason: String
            /// Fields masked for the user, nil when none.
            var masked: String?
            var policies: [Policy]

            public init(decision: String, reason: String, masked: [String] = [], policies: [Policy] = []) {
                (self.decision, self.reason, self.policies) = (decision, reason, policies)
                self.masked = masked.isEmpty ? nil : masked.joined(separator: ", ")
            }
        }

        var frame: Frame
        var csrf: String
        var document, version: String
        var findings: [Finding]
        var hasFindings: Bool
        var audit: [AuditRow]
        var explainUsers: [Option] = []
        var explainActions: [Option] = []
        var explainObjects: [Option] = []
        var explainRecord = ""
        public var explanation: Explanation?

        public init(document: String, version: Int, findings: [(kind: String, email: String, message: String, fix: String)],
                    audit: [AuditEntry], userNames: [String: String], _ t: Strings, csrf: String,
                    violations: [Violation] = [], input: [String: String] = [:]) {
            (frame, self.csrf) = (Frame("access", t, violations: violations), csrf)
            self.document = input["document"] ?? document
            self.version = String(version)
            self.findings = findings.map { Finding(kind: t["finding_" + $0.kind], email: $0.email, message: $0.message, fix: $0.fix) }
            hasFindings = !findings.isEmpty
            self.audit = audit.map { e in
                AuditRow(at: t.time(e.at), actor: e.actor.map { userNames[$0] ?? $0 } ?? "—", action: t["audit_" + e.action], object: e.object ?? "",
                         record: e.recordID ?? "", detail: e.detail.canonicalText())
            }
        }

        /// The explain form, with what the query asked (`user`, `action`, `object`, `record`) chosen.
        public mutating func explain(users: [User], objects: [ObjectDefinition], query q: [String: String], _ t: Strings) {
            explainUsers = users.map { Option($0.id, "\($0.name) <\($0.email)>", selected: $0.id == q["user"]) }
            explainActions = Action.allCases.filter(\.isRecordOperation).map { Option($0.rawValue, $0.rawValue, selected: $0.rawValue == (q["action"] ?? "read")) }
            explainObjects = objects.map { Option($0.name, t.language.label($0.labels), selected: $0.name == q["object"]) }
            explainRecord = q["record"] ?? ""
        }
    }
}
