/// The types a field can have. Raw values are the names used in the API.
public enum FieldType: String, Sendable, Codable, CaseIterable {
    case text
    case longText = "long_text"
    case number
    case money
    case percent
    case date
    case datetime
    case boolean
    case picklist
    case multiPicklist = "multi_picklist"
    case phone
    case email
    case url
    case reference

    /// Accepts the API name and the common spellings users type ("longText", "multi-picklist", "textarea").
    public init?(apiName: String) {
        let folded = apiName.lowercased().replacingOccurrences(of: "-", with: "").replacingOccurrences(of: "_", with: "")
        switch folded {
        case "text", "string": self = .text
        case "longtext", "textarea": self = .longText
        case "number", "integer", "decimal": self = .number
        case "money", "currency": self = .money
        case "percent": self = .percent
        case "date": self = .date
        case "datetime": self = .datetime
        case "boolean", "bool", "checkbox": self = .boolean
        case "picklist": self = .picklist
        case "multipicklist": self = .multiPicklist
        case "phone": self = .phone
        case "email": self = .email
        case "url": self = .url
        case "reference", "lookup": self = .reference
        default: return nil
        }
    }

    /// How values of this type are compared and stored in SQL.
    public enum Storage: Sendable { case text, number, boolean, list }

    public var storage: Storage {
        switch self {
        case .number, .money, .percent: .number
        case .boolean: .boolean
        case .multiPicklist: .list
        default: .text
        }
    }

    /// Default maximum length of text-like values, in characters.
    public var defaultMaxLength: Int? {
        switch self {
        case .text, .picklist, .reference: 255
        case .longText: 32_000
        case .phone: 40
        case .email: 254
        case .url: 2_048
        default: nil
        }
    }
}
