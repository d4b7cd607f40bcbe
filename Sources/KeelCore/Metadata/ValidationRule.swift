/// A validation rule: a formula over the record that, when true, stops the write with `message`.
public struct ValidationRule: Hashable, Sendable {
    public var name: String
    public var expression: String
    public var message: String
    /// Why Keel disabled the rule (a field it read was deleted); a disabled rule is not checked until fixed.
    public var disabledReason: String?

    public init(name: String, expression: String, message: String) {
        self.name = name
        self.expression = expression
        self.message = message
    }

    public var json: JSONValue {
        ["name": .string(name), "expression": .string(expression), "message": .string(message), "disabled": disabledReason.map(JSONValue.string) ?? .null]
    }
}
