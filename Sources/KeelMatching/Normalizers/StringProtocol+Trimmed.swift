extension StringProtocol {
    /// The text without white space or line breaks at either end: what `trimmingCharacters(in: .whitespacesAndNewlines)`
    /// gives, without bridging to `NSString` (which cost more than the rest of parsing a phone number).
    public var trimmed: String {
        let text = String(self), scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        if first == scalars.startIndex, scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[first...last])
    }
}
