/// String comparators for record linkage, over Unicode characters (a Chinese character counts as one), each giving a
/// similarity in 0…1 (1: the same).
public enum Similarity {
    /// Edit distance: insertions, deletions and substitutions of one character each.
    public static func levenshtein(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
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

    /// 1 − distance / length of the longer string.
    public static func levenshteinSimilarity(_ a: String, _ b: String) -> Double {
        let longest = max(a.count, b.count)
        return longest == 0 ? 1 : 1 - Double(levenshtein(a, b)) / Double(longest)
    }

    /// Jaro similarity: characters in common within half the longer length, and their transpositions.
    public static func jaro(_ a: String, _ b: String) -> Double {
        let x = Array(a), y = Array(b)
        if x.isEmpty && y.isEmpty { return 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        let window = max(0, max(x.count, y.count) / 2 - 1)
        var xMatched = [Bool](repeating: false, count: x.count)
        var yMatched = [Bool](repeating: false, count: y.count)
        var matches = 0
        for i in x.indices {
            for j in max(0, i - window)..<min(y.count, i + window + 1) where !yMatched[j] && x[i] == y[j] {
                xMatched[i] = true
                yMatched[j] = true
                matches += 1
                break
            }
        }
        guard matches > 0 else { return 0 }
        let xs = x.indices.filter { xMatched[$0] }.map { x[$0] }
        let ys = y.indices.filter { yMatched[$0] }.map { y[$0] }
        let transpositions = Double(zip(xs, ys).filter { $0 != $1 }.count) / 2
        let m = Double(matches)
        return (m / Double(x.count) + m / Double(y.count) + (m - transpositions) / m) / 3
    }

    /// Jaro–Winkler: Jaro with a bonus for a common prefix of up to four characters (scaling 0.1).
    public static func jaroWinkler(_ a: String, _ b: String, prefixScale: Double = 0.1) -> Double {
        let j = jaro(a, b)
        let prefix = zip(a, b).prefix(4).prefix { $0 == $1 }.count
        return j + Double(prefix) * prefixScale * (1 - j)
    }

    /// Jaccard similarity of the sets of adjacent character pairs (a one-character string is its own "pair").
    public static func bigramJaccard(_ a: String, _ b: String) -> Double {
        let x = bigrams(a), y = bigrams(b)
        if x.isEmpty && y.isEmpty { return 1 }
        return Double(x.intersection(y).count) / Double(x.union(y).count)
    }

    static func bigrams(_ s: String) -> Set<String> {
        let c = Array(s)
        if c.count < 2 { return c.isEmpty ? [] : [String(c)] }
        return Set((0..<(c.count - 1)).map { String(c[$0...($0 + 1)]) })
    }
}
