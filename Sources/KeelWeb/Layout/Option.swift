/// One choice of a `<select>` or of a group of check boxes.
public struct Option: Sendable {
    public var value: String
    public var text: String
    public var selected: Bool

    public init(_ value: String, _ text: String, selected: Bool) {
        (self.value, self.text, self.selected) = (value, text, selected)
    }
}
