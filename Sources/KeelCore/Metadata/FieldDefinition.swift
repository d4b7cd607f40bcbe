/// Describes one field of an object: standard (a typed column) or custom (a key in the JSON column).
public struct FieldDefinition: Hashable, Sendable {
    public var name: String
    public var type: FieldType
    public var labels: Labels
    public var required: Bool
    /// Allowed values of picklists and multi-picklists.
    public var options: [String]?
    /// The object a reference points to (`accounts`, `users`, …).
    public var target: String?
    public var maxLength: Int?
    /// A custom field lives in the record's JSON column; a standard one has its own column.
    public var isCustom: Bool
    /// Extra checks beyond the type (e.g. the unified social credit code check digit).
    public var validator: FieldValidator?
    /// The value a new record gets when the caller leaves the field out.
    public var defaultValue: JSONValue?
    /// How sensitive the values are, 1 (public) to 4 (secret); policies mask fields by it.
    public var sensitivity: Int
    /// A formula field's expression: its value is computed on every write, never written by callers.
    public var formula: String?
    /// Why Keel stopped computing this formula field (a field it read was deleted); it keeps its last values.
    public var disabledReason: String?
    /// Every field a formula field reads, directly, through other formulas and through references: what its value
    /// reveals. Set when the metadata is loaded (`FormulaGraph.derivingSources`); empty for other fields.
    public var sources: [FieldSource] = []
    /// No two records may hold the same value (a product's SKU); standard fields only.
    public var unique = false
    /// Keel numbers a new record that comes without a value: this prefix, the day and a count (`HT-20261202-0001`);
    /// standard unique text fields only.
    public var numbering: String?
    /// The largest value a number may take (a product's price: a quote of many lines stays within what Keel keeps).
    public var maximum: Double?

    public init(
        _ name: String, _ type: FieldType, zh: String, en: String, required: Bool = false,
        options: [String]? = nil, target: String? = nil, maxLength: Int? = nil,
        isCustom: Bool = false, validator: FieldValidator? = nil, defaultValue: JSONValue? = nil,
        sensitivity: Int = 1, formula: String? = nil
    ) {
        self.formula = formula
        self.name = name
        self.type = type
        self.labels = Labels(zhCN: zh, en: en)
        self.required = required
        self.options = options
        self.target = target
        self.maxLength = maxLength ?? type.defaultMaxLength
        self.isCustom = isCustom
        self.validator = validator
        self.defaultValue = defaultValue
        self.sensitivity = sensitivity
    }

    /// Money and rates: exact decimals, which a write may also send as decimal text (`"33.33"`).
    public var isExactDecimal: Bool { type == .money || validator == .taxRate || validator == .fraction }

    /// The API representation: `{"name","type","labels","required","options","target"}`.
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "name": .string(name),
            "type": .string(type.rawValue),
            "labels": labels.json,
            "required": .bool(required),
            "custom": .bool(isCustom),
        ]
        o["options"] = options.map { .array($0.map(JSONValue.string)) } ?? .null
        o["target"] = target.map(JSONValue.string) ?? .null
        if let maxLength { o["maxLength"] = JSONValue(maxLength) }
        if let defaultValue { o["default"] = defaultValue }
        o["sensitivity"] = JSONValue(sensitivity)
        if unique { o["unique"] = true }
        if let maximum { o["maximum"] = JSONValue(maximum) }
        if let formula {
            o["type"] = "formula"
            o["resultType"] = .string(type.rawValue)
            o["expression"] = .string(formula)
            if let disabledReason { o["disabled"] = .string(disabledReason) }
        }
        return .object(o)
    }
}

/// A field that a formula field's value is derived from.
public struct FieldSource: Hashable, Sendable {
    /// The object that holds the field.
    public var object: String
    /// The field as defined there (without its own sources).
    public var field: FieldDefinition
    /// Whether it is read on the same record; false when read through a reference, on another record.
    public var sameRecord: Bool

    public init(object: String, field: FieldDefinition, sameRecord: Bool) {
        self.object = object
        self.field = field
        self.sameRecord = sameRecord
    }
}

/// Named validators a field may carry in addition to its type's own checks.
public enum FieldValidator: String, Hashable, Sendable, Codable {
    case creditCode = "credit_code"
    /// Long text holding one e-mail address a line (其他邮箱).
    case emailList = "email_list"
    /// Long text holding one phone number a line (其他电话).
    case phoneList = "phone_list"
    /// A number that is one of China's VAT rates, as a fraction (`TaxRate.allowed`).
    case taxRate = "tax_rate"
    /// A share from 0 to 1 (a discount: 0.1 for 10 %), shown as a percentage.
    case fraction
}
