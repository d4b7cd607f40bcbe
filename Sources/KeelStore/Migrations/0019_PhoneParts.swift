import SQLKit

extension Migration {
    /// Phones got their E.164 and extension parts (formula fields in the JSON column): no schema change; `Keel.open`
    /// computes them on the records written before.
    static let m0019PhoneParts = Migration(name: "0019_phone_parts") { _ in [] }
}
