/// How two values of one field agree: the levels the Fellegi-Sunter model learns a weight for.
public enum Agreement: UInt8, Sendable, CaseIterable {
    /// One side is empty: the field says nothing either way.
    case missing = 0
    case disagree = 1
    /// A typo apart, the same trade name, the same pinyin, one slip in a code.
    case similar = 2
    case exact = 3

    public var label: String {
        switch self {
        case .missing: "missing"
        case .disagree: "different"
        case .similar: "similar"
        case .exact: "same"
        }
    }
}

/// One field's value, normalised for its role and ready to compare.
public struct PreparedValue: Sendable, Equatable {
    /// The normalised value as Unicode scalars; empty when the field is empty.
    public var scalars: [UInt32]
    /// A second reading that also counts as similar when equal: the trade name of a company, the pinyin of a name.
    public var alternate: [UInt32]
    /// What must not differ when both sides have it, or the values are only similar: a company's region (in pinyin),
    /// since 华强科技(深圳) and 华强科技(北京) are two registered companies.
    public var qualifier: [UInt32] = []
    /// A hash of the digits in the value (0 without digits): values whose numbers differ are never similar.
    var digits: UInt64 = 0
    var isASCII = true

    /// `parsed`: the company name already taken apart, when the caller has it (one name feeds company and region).
    public init(_ raw: String, role: FieldRole, aliases: AliasTable = .standard, parsed: CompanyName? = nil) {
        if let fast = Self.asciiFast(raw, role) {
            scalars = fast
            alternate = role.isPersonName ? fast.filter { $0 != 0x20 } : []
        } else {
            let company = role == .company ? parsed ?? CompanyName(raw) : nil
            let value = company.map { aliases.canonical($0.key) } ?? role.normalize(raw, aliases: aliases, parsed: parsed)
            scalars = Similarity.scalars(value)
            switch role {
            case .company where !value.isEmpty:
                // The trade name read aloud: 腾讯科技, 腾迅 (a homophone typo) and Tencent (腾讯 by alias) all say "tengxun".
                alternate = Similarity.scalars(TextFold.pinyin(CompanyName.tradeName(of: value.split(separator: "|").first.map(String.init) ?? value)))
                qualifier = Similarity.scalars(company?.region.map(CompanyName.pinyin(ofRegion:)) ?? "")
            case _ where role.isPersonName:
                let chinese = value.unicodeScalars.contains { $0.value >= 0x3400 }
                alternate = chinese ? Similarity.scalars(TextFold.pinyin(value)) : scalars.filter { $0 != 0x20 }
            default:
                alternate = []
            }
        }
        isASCII = scalars.allSatisfy { $0 < 0x80 }
        for c in scalars where (0x30...0x39).contains(c) { digits = (digits ^ UInt64(c)) &* 0x100_0000_01B3 }
    }

    /// Plain ASCII values of the roles that need no parsing, normalised straight from their bytes: most Latin data.
    static func asciiFast(_ raw: String, _ role: FieldRole) -> [UInt32]? {
        let keep: (UInt8) -> UInt8?
        switch role {
        case .name, .givenName, .surname, .city, .state, .address, .text:
            keep = { b in
                switch b {
                case 0x41...0x5A: b + 0x20
                case 0x61...0x7A, 0x30...0x39: b
                case 0x20, 0x09...0x0D: 0x20
                default: nil
                }
            }
        case .idNumber, .creditCode, .postcode, .number:
            keep = { b in (0x61...0x7A).contains(b) ? b - 0x20 : (0x41...0x5A).contains(b) || (0x30...0x39).contains(b) ? b : nil }
        case .date:
            keep = { b in (0x30...0x39).contains(b) ? b : nil }
        default:
            return nil
        }
        var out: [UInt32] = []
        out.reserveCapacity(raw.utf8.count)
        for b in raw.utf8 {
            guard b < 0x80 else { return nil }
            guard let k = keep(b) else { continue }
            if k == 0x20, out.isEmpty || out.last == 0x20 { continue }
            out.append(UInt32(k))
        }
        if out.last == 0x20 { out.removeLast() }
        return out
    }

    public var isEmpty: Bool { scalars.isEmpty }
    public var text: String { Self.text(scalars) }
}

extension FieldRole {
    /// Jaro-Winkler at or above this is "similar" for free text (names, addresses).
    static let similarText = 0.88

    var isPersonName: Bool { self == .name || self == .givenName || self == .surname }

    /// How two prepared values of this role agree.
    public func compare(_ a: PreparedValue, _ b: PreparedValue) -> Agreement {
        a.withView { x in b.withView { y in compare(x, y) } }
    }

    /// How two values agree, read through pointers (the engine compares millions of pairs without reference counting).
    func compare(_ a: PreparedValue.View, _ b: PreparedValue.View) -> Agreement {
        if a.scalars.isEmpty || b.scalars.isEmpty || self == .ignore { return .missing }
        if a.scalars.elementsEqual(b.scalars) {
            return a.qualifier.isEmpty || b.qualifier.isEmpty || a.qualifier.elementsEqual(b.qualifier) ? .exact : .similar
        }
        // A branch is its own legal entity: head office and branch, or two branches, are never the same company.
        if self == .company, !a.branch.elementsEqual(b.branch) { return .disagree }
        if !a.alternate.isEmpty, a.alternate.elementsEqual(b.alternate) { return .similar }
        switch self {
        case .region:
            return .disagree
        case .date:
            // A slip of one digit, or day and month swapped (YYYYMMDD / YYYYDDMM).
            if Similarity.withinOneSlip(a.scalars, b.scalars) { return .similar }
            let (x, y) = (a.scalars, b.scalars)
            if x.count == 8, y.count == 8, x[0..<4].elementsEqual(y[0..<4]), x[4..<6].elementsEqual(y[6..<8]), x[6..<8].elementsEqual(y[4..<6]) {
                return .similar
            }
            return .disagree
        case .phone, .idNumber, .creditCode, .postcode, .number:
            return min(a.scalars.count, b.scalars.count) >= 3 && Similarity.withinOneSlip(a.scalars, b.scalars) ? .similar : .disagree
        case .email:
            // A typo in the name part at the same domain; the same name part at another domain is somebody else's
            // address as often as not (wangwei@163.com, wangwei@qq.com).
            guard let at = a.scalars.lastIndex(of: 0x40), let bt = b.scalars.lastIndex(of: 0x40),
                  a.scalars[at...].elementsEqual(b.scalars[bt...]) else { return .disagree }
            return Similarity.withinOneSlip(UnsafeBufferPointer(rebasing: a.scalars[..<at]), UnsafeBufferPointer(rebasing: b.scalars[..<bt])) ? .similar : .disagree
        case .employer:
            return .disagree
        default:
            // Numbers name different things (医院1 / 医院2, 3 号楼 / 5 号楼). In Chinese one character more or less
            // is usually another name (华为 / 华美): Chinese company names are similar only by trade name or sound.
            if a.digits != b.digits { return .disagree }
            if self == .company, !(a.isASCII && b.isASCII) { return .disagree }
            return Similarity.jaroWinkler(a.scalars, b.scalars, atLeast: Self.similarText) ? .similar : .disagree
        }
    }
}
