/// String comparators for record linkage, over Unicode scalars (a Chinese character counts as one), each giving a
/// similarity in 0…1 (1: the same). The `[UInt32]` forms are what the matching engine runs on; the `String` forms
/// read the scalars and call them.
public enum Similarity {
    /// Edit distance: insertions, deletions and substitutions of one character each.
    public static func levenshtein(_ a: String, _ b: String) -> Int { levenshtein(scalars(a), scalars(b)) }

    /// 1 − distance / length of the longer string.
    public static func levenshteinSimilarity(_ a: String, _ b: String) -> Double {
        let x = scalars(a), y = scalars(b)
        let longest = max(x.count, y.count)
        return longest == 0 ? 1 : 1 - Double(levenshtein(x, y)) / Double(longest)
    }

    public static func jaro(_ a: String, _ b: String) -> Double { jaro(scalars(a), scalars(b)) }

    public static func jaroWinkler(_ a: String, _ b: String, prefixScale: Double = 0.1) -> Double {
        jaroWinkler(scalars(a), scalars(b), prefixScale: prefixScale)
    }

    /// Whether Jaro–Winkler reaches `threshold` (faster than working it out when the strings have little in common).
    public static func jaroWinkler(_ a: String, _ b: String, atLeast threshold: Double) -> Bool {
        scalars(a).withUnsafeBufferPointer { x in scalars(b).withUnsafeBufferPointer { y in jaroWinkler(x, y, atLeast: threshold) } }
    }

    public static func bigramJaccard(_ a: String, _ b: String) -> Double { bigramJaccard(scalars(a), scalars(b)) }

    static func scalars(_ s: String) -> [UInt32] { s.unicodeScalars.map(\.value) }

    static func levenshtein(_ x: [UInt32], _ y: [UInt32]) -> Int {
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }

    /// Whether two codes differ by at most one edit or one swap of neighbours (`12345` / `12354`).
    static func withinOneSlip(_ x: [UInt32], _ y: [UInt32]) -> Bool {
        x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in withinOneSlip(x, y) } }
    }

    static func withinOneSlip(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>) -> Bool {
        if x.count == y.count {
            var first = -1, second = -1
            for i in x.indices where x[i] != y[i] {
                if first < 0 { first = i } else if second < 0 { second = i } else { return false }
            }
            return second < 0 || second == first + 1 && x[first] == y[second] && x[second] == y[first]
        }
        guard abs(x.count - y.count) == 1 else { return false }
        let (short, long) = x.count < y.count ? (x, y) : (y, x)
        var i = 0
        while i < short.count, short[i] == long[i] { i += 1 }
        return short[i...].elementsEqual(long[(i + 1)...])
    }

    static func jaro(_ x: [UInt32], _ y: [UInt32]) -> Double {
        x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in jaro(x, y) } }
    }

    /// Jaro similarity: characters in common within half the longer length, and their transpositions.
    /// The "matched" flags live in two machine words, so longer strings are compared on their first 64 characters.
    static func jaro(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>) -> Double {
        if x.isEmpty && y.isEmpty { return 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        guard x.count <= 64, y.count <= 64 else {
            return jaro(UnsafeBufferPointer(rebasing: x.prefix(64)), UnsafeBufferPointer(rebasing: y.prefix(64)))
        }
        let window = max(0, max(x.count, y.count) / 2 - 1)
        var xMatched: UInt64 = 0, yMatched: UInt64 = 0
        var matches = 0
        for i in 0..<x.count {
            var j = max(0, i - window)
            let end = min(y.count, i + window + 1)
            while j < end {
                if yMatched & (1 << UInt64(j)) == 0 && x[i] == y[j] {
                    xMatched |= 1 << UInt64(i)
                    yMatched |= 1 << UInt64(j)
                    matches += 1
                    break
                }
                j += 1
            }
        }
        guard matches > 0 else { return 0 }
        var transposed = 0, k = 0
        for i in 0..<x.count where xMatched & (1 << UInt64(i)) != 0 {
            while yMatched & (1 << UInt64(k)) == 0 { k += 1 }
            if x[i] != y[k] { transposed += 1 }
            k += 1
        }
        let m = Double(matches)
        return (m / Double(x.count) + m / Double(y.count) + (m - Double(transposed) / 2) / m) / 3
    }

    static func jaroWinkler(_ x: [UInt32], _ y: [UInt32], prefixScale: Double = 0.1) -> Double {
        x.withUnsafeBufferPointer { x in y.withUnsafeBufferPointer { y in jaroWinkler(x, y, prefixScale: prefixScale) } }
    }

    /// Jaro–Winkler: Jaro with a bonus for a common prefix of up to four characters (scaling 0.1).
    static func jaroWinkler(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>, prefixScale: Double = 0.1) -> Double {
        let j = jaro(x, y)
        var prefix = 0
        while prefix < min(4, x.count, y.count), x[prefix] == y[prefix] { prefix += 1 }
        return j + Double(prefix) * prefixScale * (1 - j)
    }

    /// Whether Jaro–Winkler reaches `threshold`, ruling out most unrelated pairs first: no more characters can match
    /// than those of each string that occur in the other at all (counted through a 64-bit character mask), and
    /// Jaro–Winkler grows with Jaro, so the bound with no transposition and the full prefix bonus decides them.
    static func jaroWinkler(_ x: UnsafeBufferPointer<UInt32>, _ y: UnsafeBufferPointer<UInt32>, atLeast threshold: Double) -> Bool {
        guard !x.isEmpty, !y.isEmpty else { return jaroWinkler(x, y) >= threshold }
        func mask(_ s: UnsafeBufferPointer<UInt32>) -> UInt64 { s.reduce(0) { $0 | 1 << UInt64($1 & 63) } }
        func present(_ s: UnsafeBufferPointer<UInt32>, in mask: UInt64) -> Int { s.reduce(0) { $0 + Int(truncatingIfNeeded: mask >> UInt64($1 & 63) & 1) } }
        let m = Double(min(present(x, in: mask(y)), present(y, in: mask(x))))
        let jaroBound = (m / Double(x.count) + m / Double(y.count) + (m > 0 ? 1 : 0)) / 3
        if jaroBound + 0.4 * (1 - jaroBound) < threshold { return false }
        return jaroWinkler(x, y) >= threshold
    }

    /// Jaccard similarity of the sets of adjacent character pairs (a one-character string is its own "pair").
    static func bigramJaccard(_ x: [UInt32], _ y: [UInt32]) -> Double {
        let a = bigrams(x), b = bigrams(y)
        if a.isEmpty && b.isEmpty { return 1 }
        return Double(a.intersection(b).count) / Double(a.union(b).count)
    }

    static func bigrams(_ c: [UInt32]) -> Set<UInt64> {
        if c.count < 2 { return c.isEmpty ? [] : [UInt64(c[0])] }
        return Set((0..<(c.count - 1)).map { UInt64(c[$0]) << 32 | UInt64(c[$0 + 1]) | 1 << 63 })
    }
}
