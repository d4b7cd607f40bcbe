/// A multi-step approval (regional manager → compliance → HQ). A record enters it when its `entry` formula holds
/// (absent: always); each step whose `when` formula holds (absent: always) needs one decision by its approver; the
/// record is locked while a request is pending. Approval or rejection sets fields (`onApprove`, `onReject`: field → formula).
public struct ApprovalProcess: Sendable, Hashable {
    public var id: String
    public var label: String
    public var object: String
    public var entry: String?
    public var steps: [ApprovalStep]
    public var onApprove: [String: String]
    public var onReject: [String: String]
}

public struct ApprovalStep: Sendable, Hashable {
    public var name: String
    public var approver: Approver
    public var when: String?
}

/// Who decides a step: `user:<id>`, `role:<role>` (anyone holding it), `manager` (of the record owner's department,
/// or the next one up when the owner manages it), `department:<id>` (its manager).
public enum Approver: Sendable, Hashable {
    case user(String)
    case role(Role)
    case manager
    case department(String)

    /// Exactly `manager`, or `user:`, `role:`, `department:` and something after the colon.
    public init?(_ text: String) {
        if text == "manager" { self = .manager; return }
        guard let (kind, name) = Recipient.kindAndName(text) else { return nil }
        switch kind {
        case "user": self = .user(name)
        case "role": guard let role = Role(rawValue: name) else { return nil }; self = .role(role)
        case "department": self = .department(name)
        default: return nil
        }
    }

    public var text: String {
        switch self {
        case .user(let id): "user:\(id)"
        case .role(let role): "role:\(role.rawValue)"
        case .manager: "manager"
        case .department(let id): "department:\(id)"
        }
    }
}

extension ApprovalProcess {
    /// Parses and checks `{"id","label","object","entry","steps":[{"name","approver","when"}],"on_approve","on_reject"}`.
    public static func parse(_ json: JSONValue, objects: [ObjectDefinition]) throws(KeelError) -> ApprovalProcess {
        var p = ConfigParser(objects: objects)
        let process = p.approvalProcess(json)
        guard let process, p.violations.isEmpty else { throw KeelError.validation(p.violations) }
        return process
    }

    public static func parseStored(_ json: JSONValue) -> ApprovalProcess? {
        var p = ConfigParser(objects: nil)
        return p.approvalProcess(json)
    }

    /// What an approver of a record of `object` is asked to judge besides its amount (which every approval names):
    /// the record's own fields the entry and step conditions read, in the object's order (a discount of 18 %).
    public func askedFields(of object: ObjectDefinition) -> [FieldDefinition] {
        let texts = [entry].compactMap { $0 } + steps.compactMap(\.when)
        let paths = texts.compactMap { try? FormulaParser.parse($0) }.reduce(into: Set<[String]>()) { $0.formUnion($1.fieldPaths) }
        let read = Set(paths.filter { $0.count == 1 }.map { $0[0] })
        return object.fields.filter { read.contains($0.name) && $0.name != object.amountField?.name }
    }

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "id": .string(id), "label": .string(label), "object": .string(object),
            "steps": .array(steps.map { s in
                var step: [String: JSONValue] = ["name": .string(s.name), "approver": .string(s.approver.text)]
                if let when = s.when { step["when"] = .string(when) }
                return .object(step)
            }),
            "on_approve": .object(onApprove.mapValues(JSONValue.string)), "on_reject": .object(onReject.mapValues(JSONValue.string)),
        ]
        if let entry { o["entry"] = .string(entry) }
        return .object(o)
    }
}

extension ConfigParser {
    mutating func approvalProcess(_ json: JSONValue) -> ApprovalProcess? {
        guard let o = keys(json, at: "", allowed: ["id", "label", "object", "entry", "steps", "on_approve", "on_reject"]) else { return nil }
        let id = identifier(o["id"], at: "id")
        let object = self.object(o["object"], at: "object")
        label(o["label"])
        let entry = formulaText(o["entry"], at: "entry")
        if let entry { check(entry, on: object, at: "entry", expecting: .boolean) }
        let list = o["steps"]?.arrayValue ?? []
        if !(1...10).contains(list.count) { fail("steps", "required", "An approval process has 1 to 10 steps.") }
        var steps: [ApprovalStep] = []
        for (index, item) in list.enumerated() {
            let at = "steps[\(index)]"
            guard let s = keys(item, at: at, allowed: ["name", "approver", "when"]) else { continue }
            let name = s["name"]?.stringValue ?? ""
            if name.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { fail("\(at).name", "required", "A step needs a name.") }
            let approver = s["approver"]?.stringValue.flatMap(Approver.init)
            if approver == nil { fail("\(at).approver", "invalid_option", "approver is manager, user:<id>, role:<role> or department:<id>.") }
            let when = formulaText(s["when"], at: "\(at).when")
            if let when { check(when, on: object, at: "\(at).when", expecting: .boolean) }
            if let approver, !name.isEmpty { steps.append(ApprovalStep(name: name, approver: approver, when: when)) }
        }
        let onApprove = changes(o["on_approve"], at: "on_approve", object: object)
        let onReject = changes(o["on_reject"], at: "on_reject", object: object)
        guard let id, let object, steps.count == list.count, let onApprove, let onReject else { return nil }
        return ApprovalProcess(id: id, label: o["label"]?.stringValue ?? id, object: object.name, entry: entry, steps: steps,
                               onApprove: onApprove, onReject: onReject)
    }

    /// Field changes that may be left out or empty.
    mutating func changes(_ json: JSONValue?, at: String, object: ObjectDefinition?) -> [String: String]? {
        guard let json, json.objectValue?.isEmpty != true else { return [:] }
        return values(json, at: at, target: object, source: object)
    }
}

extension ObjectDefinition {
    /// The amount a record of this object is named with in approvals: its first money field.
    public var amountField: FieldDefinition? { fields.first { $0.type == .money } }
}
