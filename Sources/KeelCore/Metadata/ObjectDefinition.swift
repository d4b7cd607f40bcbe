/// Describes an object (standard or custom): its API name, labels and fields.
public struct ObjectDefinition: Hashable, Sendable {
    /// The API name, plural and snake case: `accounts`, `projects`.
    public var name: String
    public var labels: Labels
    public var fields: [FieldDefinition]
    public var isCustom: Bool
    /// The SQL table holding the records. Custom objects share `custom_records`.
    public var table: String
    /// How sensitive its records are, 1 (public) to 4 (secret), unless a record says otherwise in a number field `sensitivity`.
    public var sensitivity: Int
    /// Rules every write must pass: a rule fails (and its message is a violation) when its formula is true.
    public var validationRules: [ValidationRule] = []
    /// Fields records must have, always or while a field holds certain values (stage, status, industry).
    public var requiredGroups: [RequiredGroup] = []
    /// The duplicate check's identity fields and thresholds as an admin set them; nil: Keel's defaults.
    public var identityRules: IdentityRules?

    public init(name: String, labels: Labels, fields: [FieldDefinition], isCustom: Bool, table: String, sensitivity: Int = 1) {
        self.name = name
        self.labels = labels
        self.fields = fields
        self.isCustom = isCustom
        self.table = table
        self.sensitivity = sensitivity
    }

    /// A record's sensitivity: its own number field `sensitivity` if set, else the object's.
    public func sensitivity(of record: Record) -> Int {
        record.values["sensitivity"]?.intValue ?? sensitivity
    }

    /// The field naming who owns a record, as policies see `record.owner`: `owner`, else `assignee`, else the creator.
    public var ownerField: String {
        field("owner")?.target == "users" ? "owner" : field("assignee")?.target == "users" ? "assignee" : "created_by"
    }

    public func field(_ name: String) -> FieldDefinition? {
        fields.first { $0.name == name }
    }

    /// Fields stored in their own columns.
    public var columnFields: [FieldDefinition] { fields.filter { !$0.isCustom } }

    public var json: JSONValue {
        [
            "name": .string(name),
            "labels": labels.json,
            "custom": .bool(isCustom),
            "sensitivity": JSONValue(sensitivity),
            "validationRules": .array(validationRules.map(\.json)),
            "requiredGroups": .array(requiredGroups.map(\.json)),
            "fields": .array(fields.map(\.json)),
        ]
    }

    /// Columns every record table has, managed by Keel and never written by callers.
    public static let systemFields: [String] = ["id", "version", "created_at", "updated_at", "created_by", "updated_by"]

    /// Names no field may take: system columns and the JSON column.
    public static let reservedFieldNames: Set<String> = Set(systemFields + ["custom", "object"])
}
