/// Which pairs of rows are worth comparing at all. Several keys, each catching what the others miss: the exact value
/// of identifying fields (ID number, credit code, phone, e-mail, date, company and its trade name), the first letters of
/// the names, postcode with an initial — plus a sorted neighbourhood over the names in both orders, which finds pairs
/// whose keys all carry a typo. A key shared by more than `maxBlock` rows says too little and is skipped.
public struct Blocking: Sendable {
    public var roles: [FieldRole]
    public var maxBlock = 100
    public var window = 6

    public init(roles: [FieldRole]) { self.roles = roles }

    static let exactRoles: Set<FieldRole> = [.idNumber, .creditCode, .phone, .email, .date, .company]
    static let nameRoles: Set<FieldRole> = [.surname, .name, .givenName, .company]

    /// The blocking keys of one row, each hashed to one word (FNV-1a, a tag first so keys of different kinds never
    /// meet): a collision only adds pairs to compare, never loses one.
    public func keys(_ row: [PreparedValue]) -> [UInt64] {
        func hash(_ tag: UInt32, _ parts: [UInt32]...) -> UInt64 { ([tag] + parts.joined()).fnv1a }
        var keys: [UInt64] = []
        var namePrefix: [UInt32] = []
        var initial: UInt32 = 0
        for (f, role) in roles.enumerated() where !row[f].isEmpty {
            let tag = UInt32(f) + 1
            if Self.exactRoles.contains(role) { keys.append(hash(tag, row[f].scalars)) }
            if !row[f].alternate.isEmpty, role != .givenName { keys.append(hash(tag + 500_000, row[f].alternate)) }
            if Self.nameRoles.contains(role) {
                let reading = row[f].alternate.isEmpty ? row[f].scalars : row[f].alternate
                namePrefix += reading.prefix(2) + [0]
                if initial == 0 { initial = reading[0] }
            }
        }
        if !namePrefix.isEmpty { keys.append(hash(1_000_000, namePrefix)) }
        if initial != 0, let p = roles.firstIndex(of: .postcode), !row[p].isEmpty { keys.append(hash(2_000_000, [initial], row[p].scalars)) }
        return keys
    }

    /// Candidate pairs `(i, j)` with `i < j`, each once.
    public func pairs(_ rows: [[PreparedValue]]) -> [(Int32, Int32)] {
        var seen = Set<UInt64>()
        var out: [(Int32, Int32)] = []
        func add(_ i: Int, _ j: Int) {
            let (a, b) = i < j ? (i, j) : (j, i)
            if a != b, seen.insert(UInt64(a) << 32 | UInt64(b)).inserted { out.append((Int32(a), Int32(b))) }
        }
        var blocks: [UInt64: [Int]] = [:]
        for (i, row) in rows.enumerated() {
            for key in keys(row) { blocks[key, default: []].append(i) }
        }
        for members in blocks.values where members.count > 1 && members.count <= maxBlock {
            for x in members.indices { for y in members.index(after: x)..<members.endIndex { add(members[x], members[y]) } }
        }
        // Sorted neighbourhood over the names, read in order and in reverse order.
        let names = roles.indices.filter { Self.nameRoles.contains(roles[$0]) }
        for order in [names, names.reversed()] where !order.isEmpty {
            let sortKeys: [[UInt32]] = rows.map { row in order.flatMap { row[$0].scalars + [0] } }
            let sorted = rows.indices.filter { !rows[$0][order[0]].isEmpty }.sorted { sortKeys[$0].lexicographicallyPrecedes(sortKeys[$1]) }
            for (k, i) in sorted.enumerated() {
                for j in sorted[(k + 1)..<min(sorted.count, k + window)] { add(i, j) }
            }
            if order.count == 1 { break }
        }
        return out
    }
}

extension [UInt32] {
    /// FNV-1a over the scalars: one word standing for the text.
    var fnv1a: UInt64 { reduce(0xCBF2_9CE4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01B3 } }
}
