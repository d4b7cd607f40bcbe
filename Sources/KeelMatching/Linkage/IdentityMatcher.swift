/// The online duplicate check: the fields that identify a record of one object, the keys under which a record is
/// indexed so that candidates are found with one look-up, and the score of a candidate with its reasons.
/// The weights are Fellegi-Sunter log-likelihood ratios per role (below); a score is the match probability among
/// records that share a key.
public struct IdentityMatcher: Sendable {
    public struct Field: Sendable, Hashable {
        public var field: String
        public var role: FieldRole

        public init(_ field: String, _ role: FieldRole) { (self.field, self.role) = (field, role) }
    }

    public struct Reason: Sendable, Equatable {
        public var field: String
        public var role: FieldRole
        public var agreement: Agreement
    }

    public struct Score: Sendable {
        public var probability: Double
        /// The fields both records have, and how they agree, strongest evidence first.
        public var reasons: [Reason]
    }

    public var fields: [Field]
    public var aliases: AliasTable
    /// At or above: creating the record is refused. At or above `warn`: it is created and the candidates are shown.
    public var block: Double
    public var warn: Double
    let model: FellegiSunter

    public init(fields: [Field], aliases: AliasTable = .standard, block: Double = 0.9, warn: Double = 0.6) {
        self.fields = fields
        self.aliases = aliases
        self.block = block
        self.warn = warn
        model = FellegiSunter(m: fields.map(\.role.weights.m), u: fields.map(\.role.weights.u), prior: 0.05)
    }

    /// Each identity field's value prepared for its role; a company name read for both company and region is
    /// taken apart once.
    public func prepared(_ values: [String: String]) -> [PreparedValue] {
        var parsed: [String: CompanyName] = [:]
        return fields.map { f in
            let raw = values[f.field] ?? ""
            guard f.role == .company || f.role == .region, !raw.isEmpty else { return PreparedValue(raw, role: f.role, aliases: aliases) }
            let name = parsed[f.field] ?? CompanyName(raw)
            parsed[f.field] = name
            return PreparedValue(raw, role: f.role, aliases: aliases, parsed: name)
        }
    }

    /// The index keys of a record: each identifying value, and its second reading — the trade name read aloud of a
    /// company (so 腾讯科技, 腾迅 and Tencent meet), the pinyin of a person's name.
    public func keys(_ values: [String: String]) -> Set<String> { keys(prepared: prepared(values)) }

    /// The index keys of values already prepared with `prepared(_:)`.
    public func keys(prepared: [PreparedValue]) -> Set<String> {
        var keys = Set<String>()
        for (field, value) in zip(fields, prepared) where !value.isEmpty && field.role != .region && field.role != .employer {
            keys.insert("\(field.field)=\(value.text)")
            if !value.alternate.isEmpty { keys.insert("\(field.field)~\(PreparedValue.text(value.alternate))") }
        }
        return keys
    }

    public func score(_ a: [String: String], _ b: [String: String]) -> Score { score(prepared(a), prepared(b)) }

    /// The score of two records prepared with `prepared(_:)` (a new record is prepared once for all its candidates).
    public func score(_ x: [PreparedValue], _ y: [PreparedValue]) -> Score {
        let pattern = fields.indices.map { fields[$0].role.compare(x[$0], y[$0]) }
        let reasons = fields.indices.filter { pattern[$0] != .missing }
            .sorted { model.weight(field: $0, pattern[$0]) > model.weight(field: $1, pattern[$1]) }
            .map { Reason(field: fields[$0].field, role: fields[$0].role, agreement: pattern[$0]) }
        return Score(probability: personCap(pattern, model.probability(pattern)), reasons: reasons)
    }

    /// People are told apart by more than their names: 张伟, 王芳 and 李娜 are each shared by hundreds of thousands.
    /// For a person, a block needs the same ID number, phone or e-mail address; a name with anything less (a similar
    /// e-mail, the same employer) is a warning at most. The same name with different phones at different employers,
    /// and nothing the same but the name, is two people: not even a warning.
    func personCap(_ pattern: [Agreement], _ probability: Double) -> Double {
        guard fields.contains(where: { $0.role.isPersonName }) else { return probability }
        func agreements(_ roles: Set<FieldRole>) -> [Agreement] { fields.indices.filter { roles.contains(fields[$0].role) }.map { pattern[$0] } }
        let strong = agreements([.idNumber, .phone, .email])
        if strong.contains(.exact) { return probability }
        let phones = agreements([.phone]), employers = agreements([.employer])
        if phones.contains(.disagree), !phones.contains(.similar), employers.contains(.disagree), !strong.contains(.similar) {
            return min(probability, warn.nextDown)
        }
        return min(probability, block.nextDown)
    }
}

extension PreparedValue {
    static func text(_ scalars: [UInt32]) -> String { String(String.UnicodeScalarView(scalars.compactMap(Unicode.Scalar.init))) }
}
