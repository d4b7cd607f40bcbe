/// A validation rule: a formula over the record that, when true, stops the write with `message`.
public struct ValidationRule: Hashable, Sendable {
    public var name: String
    public var expression: String
    public var message: String

    public init(name: String, expression: String, message: String) {
        self.name = name
        self.expression = expression
        self.message = message
    }

    public var json: JSONValue { ["name": .string(name), "expression": .string(expression), "message": .string(message)] }
}
