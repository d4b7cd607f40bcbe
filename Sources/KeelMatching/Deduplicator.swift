/// The matching engine end to end, on rows of text whose columns have roles: normalise → block → compare →
/// learn Fellegi-Sunter weights unsupervised (EM) → score every candidate pair → cluster the links above the
/// threshold. The same engine serves `keel match` on a CSV, the batch dedup job and the benchmarks.
public struct Deduplicator: Sendable {
    public var roles: [FieldRole]
    public var aliases: AliasTable
    public var thresholds: MatchThresholds
    public var blocking: Blocking

    public init(roles: [FieldRole], aliases: AliasTable = .standard, thresholds: MatchThresholds = .standard) {
        self.roles = roles
        self.aliases = aliases
        self.thresholds = thresholds
        self.blocking = Blocking(roles: roles)
    }

    public struct ScoredPair: Sendable {
        public var a: Int
        public var b: Int
        public var probability: Double
        public var pattern: [Agreement]
    }

    public struct Result: Sendable {
        public var model: FellegiSunter
        /// Every candidate pair with its probability of being a match.
        public var pairs: [ScoredPair]
        /// Per row, the index of the first row of its cluster (itself when it stands alone).
        public var cluster: [Int]
        /// Per row, the highest probability linking it to another row of its cluster; 0 when it stands alone.
        public var score: [Double]
    }

    public enum Stage: Sendable { case prepared(Int), blocked(pairs: Int), compared(Int, of: Int), trained, clustered(clusters: Int) }

    public func prepare(_ rows: [[String]]) -> [[PreparedValue]] {
        rows.map { row in roles.indices.map { f in PreparedValue(f < row.count ? row[f] : "", role: roles[f], aliases: aliases) } }
    }

    public func compare(_ a: [PreparedValue], _ b: [PreparedValue]) -> [Agreement] {
        roles.indices.map { roles[$0].compare(a[$0], b[$0]) }
    }

    public func run(_ rows: [[String]], progress: (Stage) -> Void = { _ in }) -> Result {
        let prepared = prepare(rows)
        progress(.prepared(prepared.count))
        let candidates = blocking.pairs(prepared)
        progress(.blocked(pairs: candidates.count))
        var patterns: [[Agreement]] = []
        patterns.reserveCapacity(candidates.count)
        var counts: [[Agreement]: Int] = [:]
        for (k, (i, j)) in candidates.enumerated() {
            let p = compare(prepared[Int(i)], prepared[Int(j)])
            patterns.append(p)
            counts[p, default: 0] += 1
            if k % 100_000 == 99_999 { progress(.compared(k + 1, of: candidates.count)) }
        }
        progress(.compared(candidates.count, of: candidates.count))
        let start = FellegiSunter.initial(roles: roles, randomPatterns: randomPatterns(prepared))
        let model = FellegiSunter.train(counts, start: start, pseudoCount: 20)
        progress(.trained)
        var probabilityOf: [[Agreement]: Double] = [:]
        for p in counts.keys { probabilityOf[p] = model.probability(p) }
        let pairs = zip(candidates, patterns).map { ScoredPair(a: Int($0.0), b: Int($0.1), probability: probabilityOf[$1]!, pattern: $1) }
        let (cluster, score) = Self.cluster(count: rows.count, pairs.filter { $0.probability >= thresholds.review })
        progress(.clustered(clusters: Set(cluster).count))
        return Result(model: model, pairs: pairs, cluster: cluster, score: score)
    }

    /// Agreement patterns of pseudo-random pairs (a fixed seed: the same input gives the same result): what
    /// chance agreement looks like, the starting point for the non-match probabilities.
    func randomPatterns(_ rows: [[PreparedValue]], samples: Int = 5_000) -> [[Agreement]] {
        guard rows.count > 1 else { return [] }
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int(truncatingIfNeeded: state >> 33) % rows.count
        }
        let distinctPairs = rows.count * (rows.count - 1) / 2
        return (0..<min(samples, distinctPairs)).compactMap { _ in
            let (i, j) = (next(), next())
            return i == j ? nil : compare(rows[i], rows[j])
        }
    }

    /// Connected components of the links (union-find): each row's cluster is named by its lowest row index.
    static func cluster(count: Int, _ links: [ScoredPair]) -> (cluster: [Int], score: [Double]) {
        var parent = Array(0..<count)
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        var score = [Double](repeating: 0, count: count)
        for link in links {
            let (ra, rb) = (root(link.a), root(link.b))
            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
            score[link.a] = max(score[link.a], link.probability)
            score[link.b] = max(score[link.b], link.probability)
        }
        return ((0..<count).map(root), score)
    }
}

/// Where a pair's match probability puts it: merged without asking, shown for review, or kept distinct.
public struct MatchThresholds: Sendable, Equatable {
    public var autoMerge: Double
    public var review: Double

    public init(autoMerge: Double, review: Double) { (self.autoMerge, self.review) = (autoMerge, review) }

    public static let standard = MatchThresholds(autoMerge: 0.99, review: 0.5)

    public enum Decision: String, Sendable { case merge, review, distinct }

    public func decide(_ probability: Double) -> Decision {
        probability >= autoMerge ? .merge : probability >= review ? .review : .distinct
    }
}
