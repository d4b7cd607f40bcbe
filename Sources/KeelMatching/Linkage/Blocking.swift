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
        func hash(_ tag: UInt32, _ parts: [UInt32]) -> UInt64 { parts.fnv1a(seed: FNV.start.adding(tag)) }
        var keys: [UInt64] = []
        var namePrefix = FNV.start.adding(1_000_000)
        var names = 0
        var initial: UInt32 = 0
        for (f, role) in roles.enumerated() where !row[f].isEmpty {
            let tag = UInt32(f) + 1
            if Self.exactRoles.contains(role) { keys.append(hash(tag, row[f].scalars)) }
            if !row[f].alternate.isEmpty, role != .givenName { keys.append(hash(tag + 500_000, row[f].alternate)) }
            if Self.nameRoles.contains(role) {
                let reading = row[f].alternate.isEmpty ? row[f].scalars : row[f].alternate
                for c in reading.prefix(2) { namePrefix = namePrefix.adding(c) }
                namePrefix = namePrefix.adding(0)
                names += 1
                if initial == 0 { initial = reading[0] }
            }
        }
        if names > 0 { keys.append(namePrefix.value) }
        if initial != 0, let p = roles.firstIndex(of: .postcode), !row[p].isEmpty {
            keys.append(row[p].scalars.fnv1a(seed: FNV.start.adding(2_000_000).adding(initial)))
        }
        return keys
    }

    /// Candidate pairs `(i, j)` with `i < j`, each once, in order.
    public func pairs(_ rows: [[PreparedValue]]) -> [(Int32, Int32)] {
        var found: [UInt64] = []
        func add(_ i: Int, _ j: Int) {
            if i != j { found.append(i < j ? UInt64(i) << 32 | UInt64(j) : UInt64(j) << 32 | UInt64(i)) }
        }
        // The rows under each key, as runs of (key, row) sorted by key.
        var keyed: [(key: UInt64, row: Int)] = []
        for (i, row) in rows.enumerated() {
            for key in keys(row) { keyed.append((key, i)) }
        }
        keyed.sort { $0.key != $1.key ? $0.key < $1.key : $0.row < $1.row }
        var start = 0
        while start < keyed.count {
            var end = start + 1
            while end < keyed.count, keyed[end].key == keyed[start].key { end += 1 }
            if end - start > 1, end - start <= maxBlock {
                for x in start..<end { for y in (x + 1)..<end { add(keyed[x].row, keyed[y].row) } }
            }
            start = end
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
        found.sort()
        var out: [(Int32, Int32)] = []
        out.reserveCapacity(found.count)
        for (k, pair) in found.enumerated() where k == 0 || found[k - 1] != pair {
            out.append((Int32(truncatingIfNeeded: pair >> 32), Int32(truncatingIfNeeded: pair & 0xFFFF_FFFF)))
        }
        return out
    }
}

/// FNV-1a, one 32-bit unit at a time.
struct FNV {
    var value: UInt64
    static let start = FNV(value: 0xCBF2_9CE4_8422_2325)

    func adding(_ unit: UInt32) -> FNV { FNV(value: (value ^ UInt64(unit)) &* 0x100_0000_01B3) }
}

extension [UInt32] {
    /// FNV-1a over the scalars: one word standing for the text.
    var fnv1a: UInt64 { fnv1a(seed: .start) }

    func fnv1a(seed: FNV) -> UInt64 { reduce(seed) { $0.adding($1) }.value }
}
