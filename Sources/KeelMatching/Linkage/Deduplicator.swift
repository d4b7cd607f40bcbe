import Foundation

/// The matching engine end to end, on rows of text whose columns have roles: normalise → block → compare →
/// learn Fellegi-Sunter weights unsupervised (EM) → score every candidate pair → cluster the links above the
/// threshold. The same engine serves `keel match` on a CSV and the benchmarks (and will serve the batch dedup job).
public struct Deduplicator: Sendable {
    public var roles: [FieldRole]
    public var aliases: AliasTable
    public var thresholds: MatchThresholds
    public var blocking: Blocking
    /// The columns matched on (those whose role is not `ignore`), at most `maxFields`.
    let active: [Int]

    /// Each pair's agreement pattern is packed into one 64-bit word, two bits per field.
    public static let maxFields = 32

    public init(roles: [FieldRole], aliases: AliasTable = .standard, thresholds: MatchThresholds = .standard) {
        self.roles = roles
        self.aliases = aliases
        self.thresholds = thresholds
        active = Array(roles.indices.filter { roles[$0] != .ignore }.prefix(Self.maxFields))
        blocking = Blocking(roles: active.map { roles[$0] })
    }

    public struct ScoredPair: Sendable {
        public var a: Int
        public var b: Int
        public var probability: Double
        /// The agreement pattern, packed; `Deduplicator.pattern(of:)` unpacks it.
        public var code: UInt64
    }

    public struct Result: Sendable {
        public var model: FellegiSunter
        /// Every candidate pair with its probability of being a match.
        public var pairs: [ScoredPair]
        /// Per row, the index of the first row of its cluster (itself when it stands alone).
        public var cluster: [Int]
        /// Per row, the highest probability linking it to another row of its cluster; 0 when it stands alone.
        public var score: [Double]
        /// Rows a person should look at: a row with little evidence that matched two entities it could not join both.
        public var review: [Bool]
    }

    public enum Stage: Sendable { case prepared(Int), blocked(pairs: Int), compared(Int, of: Int), trained, clustered(clusters: Int) }

    /// Each row's matched columns, normalised (rows spread over all cores).
    public func prepare(_ rows: [[String]]) -> [[PreparedValue]] {
        var out = [[PreparedValue]](repeating: [], count: rows.count)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        out.withUnsafeMutableBufferPointer { buffer in
            nonisolated(unsafe) let buffer = buffer
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                for i in stride(from: w, to: rows.count, by: workers) {
                    buffer[i] = active.map { f in PreparedValue(f < rows[i].count ? rows[i][f] : "", role: roles[f], aliases: aliases) }
                }
            }
        }
        return out
    }

    /// The agreement of rows `a` and `b` (offsets into the flattened prepared rows), packed.
    static func code(_ roles: UnsafeBufferPointer<FieldRole>, _ values: UnsafeBufferPointer<PreparedValue.View>, _ a: Int, _ b: Int) -> UInt64 {
        var code: UInt64 = 0
        for f in roles.indices { code |= UInt64(roles[f].compare(values[a + f], values[b + f]).rawValue) << UInt64(2 * f) }
        return code
    }

    /// Compares every pair, on all cores, in slices so that progress can be told.
    func codes(_ pairs: [(Int32, Int32)], _ prepared: [[PreparedValue]], progress: (Stage) -> Void) -> [UInt64] {
        let width = active.count, activeRoles = active.map { roles[$0] }
        var codes = [UInt64](repeating: 0, count: pairs.count)
        let workers = max(1, ProcessInfo.processInfo.activeProcessorCount)
        PreparedValue.withViews(prepared.flatMap { $0 }) { values in
            activeRoles.withUnsafeBufferPointer { roles in
                codes.withUnsafeMutableBufferPointer { out in
                    nonisolated(unsafe) let (values, roles, out) = (values, roles, out)
                    for slice in stride(from: 0, to: pairs.count, by: 200_000) {
                        let end = min(pairs.count, slice + 200_000)
                        DispatchQueue.concurrentPerform(iterations: workers) { w in
                            for k in (slice + (end - slice) * w / workers)..<(slice + (end - slice) * (w + 1) / workers) {
                                out[k] = Self.code(roles, values, Int(pairs[k].0) * width, Int(pairs[k].1) * width)
                            }
                        }
                        progress(.compared(end, of: pairs.count))
                    }
                }
            }
        }
        return codes
    }

    /// The agreement of each matched column (in `roles` order, `ignore` columns left out).
    public func pattern(of code: UInt64) -> [Agreement] {
        active.indices.map { Agreement(rawValue: UInt8(code >> UInt64(2 * $0) & 3))! }
    }

    public func run(_ rows: [[String]], progress: (Stage) -> Void = { _ in }) -> Result {
        let prepared = prepare(rows)
        progress(.prepared(prepared.count))
        let candidates = blocking.pairs(prepared)
        progress(.blocked(pairs: candidates.count))
        // The candidates and, after them, pseudo-random pairs: what chance agreement looks like in this file.
        let random = randomPairs(prepared.count)
        let compared = codes(candidates + random, prepared, progress: progress)
        let codes = compared[..<candidates.count]
        var counts: [UInt64: Int] = [:]
        for code in codes { counts[code, default: 0] += 1 }
        let start = FellegiSunter.initial(roles: active.map { roles[$0] }, randomPatterns: compared[candidates.count...].map(pattern(of:)))
        let model = FellegiSunter.train(Dictionary(uniqueKeysWithValues: counts.map { (pattern(of: $0.key), $0.value) }), start: start, pseudoCount: 20)
        progress(.trained)
        let probabilityOf = Dictionary(uniqueKeysWithValues: counts.keys.map { ($0, model.probability(pattern(of: $0))) })
        let pairs = candidates.indices.map { k in
            ScoredPair(a: Int(candidates[k].0), b: Int(candidates[k].1), probability: probabilityOf[codes[k]]!, code: codes[k])
        }
        let (cluster, score, review) = Self.cluster(count: rows.count, pairs, threshold: thresholds.review, exclusive: exclusive(prepared))
        progress(.clustered(clusters: Set(cluster).count))
        return Result(model: model, pairs: pairs, cluster: cluster, score: score, review: review)
    }

    /// Per row, what tells entities apart for certain, a hash per column (0 when the row has none): the region of each
    /// company column, each valid unified social credit code, each valid resident ID number. Two rows with different
    /// values in one of these columns are two entities, however strongly the rest of them agree.
    func exclusive(_ prepared: [[PreparedValue]]) -> [[UInt64]] {
        let columns = active.indices.filter { [.company, .creditCode, .idNumber].contains(roles[active[$0]]) }
        return prepared.map { row in
            columns.map { f in
                let value = row[f]
                switch roles[active[f]] {
                case .company: return value.qualifier.isEmpty ? 0 : value.qualifier.fnv1a
                case .creditCode: return CreditCode.isValid(value.text) ? value.scalars.fnv1a : 0
                default: return ResidentID.isValid(value.text) ? value.scalars.fnv1a : 0
                }
            }
        }
    }

    /// Pseudo-random pairs of distinct rows (a fixed seed: the same input gives the same result), the starting point
    /// for the non-match probabilities: as many as there are rows, between 1,000 and 5,000 — enough to see chance
    /// agreement, few next to the candidates.
    func randomPairs(_ count: Int) -> [(Int32, Int32)] {
        guard count > 1 else { return [] }
        let samples = min(max(count, 1_000), 5_000)
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int32 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int32(truncatingIfNeeded: Int(truncatingIfNeeded: state >> 33) % count)
        }
        return (0..<min(samples, count * (count - 1) / 2)).map { _ in (next(), next()) }.filter { $0.0 != $0.1 }
    }

    /// Clusters from the links, strongest first (union-find), each named by its lowest row index — more than
    /// connected components, because a link joins two clusters only when they agree as a whole:
    /// - never when they differ in a value that tells entities apart (`exclusive`: per row, a hash per column, 0 for
    ///   none — a region, a credit code, an ID number), so a name written without its region cannot chain 青岛 and
    ///   广州 companies of one trade name, nor any link two companies with different credit codes;
    /// - never through a row with little evidence (none of those values: a brand, a department) when both clusters
    ///   already hold a row that has them: such a row joins the one entity it matches best, and is flagged for review.
    /// Links at or above `threshold` join clusters. Afterwards a cluster of such rows alone (`远航-大客户部`, `远航`)
    /// joins the one entity its links point to, down to half the threshold, when no other entity comes close
    /// (the best at least 1.5 times the next); when two do, it stays apart and is flagged for review.
    static func cluster(count: Int, _ all: [ScoredPair], threshold: Double, exclusive: [[UInt64]]) -> (cluster: [Int], score: [Double], review: [Bool]) {
        let links = all.filter { $0.probability >= threshold }
        var parent = Array(0..<count)
        var known = exclusive
        let weak = exclusive.map { $0.allSatisfy { $0 == 0 } }
        func root(_ x: Int) -> Int {
            var x = x
            while parent[x] != x { parent[x] = parent[parent[x]]; x = parent[x] }
            return x
        }
        func anchored(_ r: Int) -> Bool { known[r].contains { $0 != 0 } }
        var score = [Double](repeating: 0, count: count)
        var review = [Bool](repeating: false, count: count)
        for link in links.sorted(by: { $0.probability > $1.probability }) {
            let (ra, rb) = (root(link.a), root(link.b))
            if ra != rb {
                let bridge = (weak[link.a] || weak[link.b]) && anchored(ra) && anchored(rb)
                guard zip(known[ra], known[rb]).allSatisfy({ $0 == 0 || $1 == 0 || $0 == $1 }), !bridge else {
                    for end in [link.a, link.b] where weak[end] { review[end] = true }
                    continue
                }
                let (keep, drop) = (min(ra, rb), max(ra, rb))
                known[keep] = zip(known[keep], known[drop]).map { $0 == 0 ? $1 : $0 }
                parent[drop] = keep
            }
            score[link.a] = max(score[link.a], link.probability)
            score[link.b] = max(score[link.b], link.probability)
        }
        // Clusters of weak rows only, and the entities (anchored clusters) their weaker links point to.
        var pointers: [Int: [Int: ScoredPair]] = [:]
        for link in all where link.probability >= threshold / 2 && link.probability < threshold {
            for (from, to) in [(link.a, link.b), (link.b, link.a)] {
                let (rf, rt) = (root(from), root(to))
                guard rf != rt, !anchored(rf), anchored(rt) else { continue }
                if link.probability > pointers[rf]?[rt]?.probability ?? 0 { pointers[rf, default: [:]][rt] = link }
            }
        }
        // Weak clusters' members, gathered once (a weak cluster is only ever joined to an anchored one below).
        let members = pointers.isEmpty ? [:] : Dictionary(grouping: (0..<count).filter { pointers[root($0)] != nil }, by: root)
        for (weakRoot, targets) in pointers.sorted(by: { $0.key < $1.key }) {
            let ranked = targets.values.sorted { $0.probability > $1.probability }
            if ranked.count > 1, ranked[0].probability < 1.5 * ranked[1].probability {
                for i in members[weakRoot] ?? [] { review[i] = true }
                continue
            }
            let best = ranked[0], target = root(best.a) == weakRoot ? root(best.b) : root(best.a)
            parent[max(weakRoot, target)] = min(weakRoot, target)
            known[min(weakRoot, target)] = known[target]
            score[best.a] = max(score[best.a], best.probability)
            score[best.b] = max(score[best.b], best.probability)
        }
        return ((0..<count).map(root), score, review)
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
