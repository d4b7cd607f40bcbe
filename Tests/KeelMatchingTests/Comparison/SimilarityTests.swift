import KeelMatching
import Testing

/// The comparators against values worked out by hand (and the classic examples of the record-linkage literature).
@Suite struct SimilarityTests {
    /// The quick bound never changes the verdict: random strings over a small alphabet (so they share characters),
    /// every threshold the engine could use.
    @Test func jaroWinklerBoundAgreesWithTheFullComputation() {
        var state: UInt64 = 42
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(state >> 33) % n
        }
        let alphabet = Array("abcdeéfg腾讯")
        var decided = 0
        for _ in 0..<20_000 {
            let a = String((0..<next(12)).map { _ in alphabet[next(alphabet.count)] })
            let b = String((0..<next(12)).map { _ in alphabet[next(alphabet.count)] })
            for threshold in [0.5, 0.8, 0.88, 0.95] {
                let full = Similarity.jaroWinkler(a, b) >= threshold
                #expect(Similarity.jaroWinkler(a, b, atLeast: threshold) == full, "\(a) / \(b) at \(threshold)")
                if full { decided += 1 }
            }
        }
        #expect(decided > 1_000)   // both verdicts occur
    }

    @Test func levenshteinCountsEdits() {
        #expect(Similarity.levenshtein("kitten", "sitting") == 3)
        #expect(Similarity.levenshtein("", "abc") == 3)
        #expect(Similarity.levenshtein("Tencent", "Tecent") == 1)
        #expect(Similarity.levenshtein("腾讯科技", "腾迅科技") == 1)
        #expect(Similarity.levenshteinSimilarity("腾讯科技", "腾迅科技") == 0.75)
        #expect(Similarity.levenshteinSimilarity("", "") == 1)
    }

    @Test func jaroWinklerMatchesTheTextbookExamples() {
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) < 0.001 }
        #expect(close(Similarity.jaro("MARTHA", "MARHTA"), 0.944))
        #expect(close(Similarity.jaroWinkler("MARTHA", "MARHTA"), 0.961))
        #expect(close(Similarity.jaro("DWAYNE", "DUANE"), 0.822))
        #expect(close(Similarity.jaroWinkler("DWAYNE", "DUANE"), 0.840))
        #expect(close(Similarity.jaroWinkler("DIXON", "DICKSONX"), 0.813))
        #expect(Similarity.jaroWinkler("tencent", "tencent") == 1)
        #expect(Similarity.jaroWinkler("abc", "xyz") == 0)
        // A dropped letter: 6 matches, 1.5 transpositions, prefix "te" → (1 + 6/7 + 0.75) / 3 + 0.2 × (1 − jaro).
        #expect(close(Similarity.jaroWinkler("tecent", "tencent"), 0.895))
    }

    @Test func bigramJaccardComparesPairs() {
        #expect(Similarity.bigramJaccard("腾讯科技", "腾讯科技") == 1)
        // {腾讯, 讯科, 科技} vs {腾讯, 讯深, 深圳}: one pair of five in common.
        #expect(Similarity.bigramJaccard("腾讯科技", "腾讯深圳") == 0.2)
        #expect(Similarity.bigramJaccard("a", "a") == 1)
        #expect(Similarity.bigramJaccard("", "") == 1)
        #expect(Similarity.bigramJaccard("ab", "") == 0)
    }
}
