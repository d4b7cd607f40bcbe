/// A label in the two languages Keel speaks.
public struct Labels: Hashable, Sendable, Codable {
    public var zhCN: String
    public var en: String

    public init(zhCN: String, en: String) {
        self.zhCN = zhCN
        self.en = en
    }

    enum CodingKeys: String, CodingKey {
        case zhCN = "zh-CN"
        case en
    }

    public var json: JSONValue { ["zh-CN": .string(zhCN), "en": .string(en)] }
}
