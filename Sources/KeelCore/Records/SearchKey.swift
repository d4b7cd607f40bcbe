/// Keys that find a record whatever way its phone, email or credit code was written: `p:` + the phone's national
/// number (mobiles as 11 digits, landlines with trunk 0 and area code, extensions dropped), `e:` + the lowercased
/// email, `c:` + the uppercased unified social credit code.
public enum SearchKey {
    /// Every key of a record.
    public static func keys(of record: Record, object: ObjectDefinition) -> Set<String> {
        var keys = Set<String>()
        for field in object.fields where isKeyed(field) {
            guard let text = record.values[field.name]?.stringValue else { continue }
            if field.type == .phone, let p = phone(text) { keys.insert("p:" + p) }
            if field.type == .email { keys.insert("e:" + text.lowercased()) }
            if field.validator == .creditCode { keys.insert("c:" + text.uppercased()) }
        }
        return keys
    }

    /// Whether the field's values become search keys.
    public static func isKeyed(_ field: FieldDefinition) -> Bool {
        field.type == .phone || field.type == .email || field.validator == .creditCode
    }

    /// What a search box entry looks for: exact keys, and a phone-number prefix when it reads as (part of) a phone.
    public static func query(_ text: String) -> (exact: [String], phonePrefix: String?) {
        let q = text.trimmingCharacters(in: .whitespaces)
        var exact: [String] = []
        if q.contains("@") { exact.append("e:" + q.lowercased()) }
        if q.count == 18, q.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) { exact.append("c:" + q.uppercased()) }
        let prefix = phone(q).flatMap { $0.count >= 7 ? "p:" + $0 : nil }
        return (exact, prefix)
    }

    /// The national form of a Chinese phone number as written in any usual way, or nil when it is no phone:
    /// `+86 138-1234-5678` → `13812345678`; `(021) 6587 1234 转 88` and `0086 21 65871234` → `02165871234`;
    /// `0755-86013388-8888` → `075586013388`. Numbers of other countries keep their `+` and digits.
    public static func phone(_ text: String) -> String? {
        guard !text.contains("*"), text.contains(where: \.isNumber) else { return nil }
        var main = Substring(text.lowercased())
        // An extension or a second number after a marker (none in a number of digits and separators).
        let plain = main.utf8.allSatisfy { (0x30...0x39).contains($0) || " -+()".utf8.contains($0) }
        for marker in ["转", "分机", "#", "ext", "x", ",", "，"] where !plain {
            if let r = main.range(of: marker) { main = main[..<r.lowerBound] }
        }
        guard main.allSatisfy({ $0.isNumber || " -+().（）".contains($0) }) else { return nil }
        let groups = main.split { !$0.isNumber }.map(String.init)
        var digits = groups.joined()
        var international = main.trimmingCharacters(in: .whitespaces).hasPrefix("+")
        if digits.hasPrefix("00") { digits.removeFirst(2); international = true }
        if international {
            guard digits.hasPrefix("86") else { return digits.count >= 7 ? "+" + digits : nil }
            digits.removeFirst(2)
            if digits.hasPrefix("0") { digits.removeFirst() }
            if !digits.hasPrefix("1") { digits = "0" + digits }
        }
        if digits.hasPrefix("1") { return digits.count <= 11 && digits.count >= 7 ? digits : nil }
        // A landline is 0 + a 2–3 digit area code + 7–8 digits; a longer one written in groups ends in an extension.
        if digits.hasPrefix("0"), digits.count > 12, groups.count >= 3, let last = groups.last {
            digits.removeLast(last.count)
        }
        return digits.count >= 5 && digits.count <= 12 ? digits : nil
    }
}
