/// A link in a menu or a row of tabs; `current` marks the page the reader is on.
public struct Link: Sendable {
    public var href: String
    public var label: String
    public var current: Bool

    public init(_ href: String, _ label: String, current: Bool = false) {
        (self.href, self.label, self.current) = (href, label, current)
    }
}
