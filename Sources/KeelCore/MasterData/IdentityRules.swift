/// Which fields identify a record of an object for the duplicate check, in what role (company, phone, id-number…),
/// and the scores at which a write is refused (`block`) or its candidates only shown (`warn`). Set by an admin as data;
/// an object without rules uses Keel's defaults.
public struct IdentityRules: Hashable, Sendable {
    public struct Field: Hashable, Sendable {
        public var field: String
        /// A matching role's name (`company`, `region`, `name`, `phone`, `email`, `id-number`, `credit-code`, …).
        public var role: String

        public init(field: String, role: String) {
            self.field = field
            self.role = role
        }
    }

    public var fields: [Field]
    public var block: Double
    public var warn: Double

    public init(fields: [Field], block: Double = 0.9, warn: Double = 0.6) {
        self.fields = fields
        self.block = block
        self.warn = warn
    }

    /// Reads rules as stored (written by `json`); nil when they are not rules.
    public init?(json: JSONValue) {
        guard let items = json["fields"]?.arrayValue, let block = json["block"]?.doubleValue, let warn = json["warn"]?.doubleValue else { return nil }
        self.init(fields: items.compactMap { i in i["field"]?.stringValue.flatMap { f in i["role"]?.stringValue.map { Field(field: f, role: $0) } } },
                  block: block, warn: warn)
    }

    public var json: JSONValue {
        ["fields": .array(fields.map { ["field": .string($0.field), "role": .string($0.role)] }), "block": JSONValue(block), "warn": JSONValue(warn)]
    }
}
