extension ObjectDefinition {
    /// The object with every phone field followed by its normalised parts, two read-only formula fields:
    /// `<name>_e164` (`+8675586013388`) and `<name>_extension` (`8888`), null while the number cannot be read. They
    /// are filtered, sorted, exported and described like any formula field, and whatever dials or texts uses them.
    public var withPhoneParts: ObjectDefinition {
        var out = self
        out.fields = fields.flatMap { field -> [FieldDefinition] in
            guard field.type == .phone, field.formula == nil else { return [field] }
            let parts = [
                FieldDefinition("\(field.name)_e164", .text, zh: "\(field.labels.zhCN)（国际格式）", en: "\(field.labels.en) (E.164)",
                                isCustom: true, formula: "PHONE_E164(\(field.name))"),
                FieldDefinition("\(field.name)_extension", .text, zh: "\(field.labels.zhCN)分机", en: "\(field.labels.en) extension",
                                isCustom: true, formula: "PHONE_EXTENSION(\(field.name))"),
            ]
            return [field] + parts.filter { part in !fields.contains { $0.name == part.name } }
        }
        return out
    }
}
