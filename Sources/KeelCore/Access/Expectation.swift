/// What an admin declares a group of users must, or must not, be able to do: the yardstick of the permission health
/// scan. `{"id", "description", "who": condition on user.*, "must": [actions], "mustNot": [actions], "objects": "*" | [...]}`.
public struct Expectation: Hashable, Sendable {
    public var id: String
    public var description: String
    /// Which users it concerns (a condition on `user.*` attributes).
    public var who: Condition
    public var must: Set<Action>
    public var mustNot: Set<Action>
    /// The objects it concerns; nil means every object.
    public var objects: Set<String>?

    public init(id: String, description: String = "", who: Condition, must: Set<Action> = [], mustNot: Set<Action> = [], objects: Set<String>? = nil) {
        self.id = id
        self.description = description
        self.who = who
        self.must = must
        self.mustNot = mustNot
        self.objects = objects
    }

    public var json: JSONValue {
        [
            "id": .string(id), "description": .string(description), "who": who.json,
            "must": .array(must.map(\.rawValue).sorted().map(JSONValue.string)),
            "mustNot": .array(mustNot.map(\.rawValue).sorted().map(JSONValue.string)),
            "objects": objects.map { .array($0.sorted().map(JSONValue.string)) } ?? "*",
        ]
    }
}

extension PolicyParser {
    mutating func expectation(_ json: JSONValue) -> Expectation? {
        guard let o = json.objectValue else {
            fail("", "invalid_type", "An expectation is a JSON object.")
            return nil
        }
        for key in o.keys where !["id", "description", "who", "must", "mustNot", "objects"].contains(key) {
            fail(key, "unknown_key", "An expectation has no key \(key).")
        }
        let id = o["id"]?.stringValue ?? ""
        if id.isEmpty || id.count > 100 { fail("id", "required", "An expectation needs an id of 1 to 100 characters.") }
        if let d = o["description"], d.stringValue == nil { fail("description", "invalid_type", "description is text.") }
        let known = Set(Action.allCases.map(\.rawValue))
        // An absent or empty list: nothing required (or ruled out).
        let must = o["must"].flatMap { $0 == [] ? nil : names($0, key: "must", known: known) } ?? .some(.some([]))
        let mustNot = o["mustNot"].flatMap { $0 == [] ? nil : names($0, key: "mustNot", known: known) } ?? .some(.some([]))
        let objectNames = names(o["objects"] ?? "*", key: "objects", known: objects.map { Set($0.map(\.name)) })
        let who = o["who"].map { condition($0, at: "who", objects: []) } ?? .always
        if let who, who.attributes.contains(where: { $0.scope != .user }) { fail("who", "unsupported", "who reads user.* attributes only.") }
        guard let who, let must, let mustNot, let objectNames else { return nil }
        return Expectation(id: id, description: o["description"]?.stringValue ?? "", who: who,
                           must: Self.actions(must), mustNot: Self.actions(mustNot),
                           objects: objectNames.map(Set.init))
    }

    /// Names to actions; nil (`"*"`) is every action.
    static func actions(_ names: [String]?) -> Set<Action> {
        names.map { Set($0.compactMap(Action.init(rawValue:))) } ?? Set(Action.allCases)
    }
}
