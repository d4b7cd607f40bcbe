/// A country or region (ISO 3166-1 alpha-2: `SA`), a province of China (ISO 3166-2: `CN-GD`) or a city of China
/// (`CN-GD/深圳`), with its names. Lead routing, capture and reports map whatever was typed to one of these.
public struct Place: Sendable, Hashable {
    public enum Kind: String, Sendable { case country, province, city }

    public var kind: Kind
    /// `SA`, `CN-GD`, `CN-GD/深圳`.
    public var code: String
    public var zh: String
    public var en: String
    /// The code of the province a city is in, of the country a province is in.
    public var parent: String?

    public init(_ kind: Kind, code: String, zh: String, en: String, parent: String? = nil) {
        (self.kind, self.code, self.zh, self.en, self.parent) = (kind, code, zh, en, parent)
    }

    /// The name in a language (`zh-CN` or `en`).
    public func name(_ language: String) -> String { language.hasPrefix("zh") ? zh : en }
}
