import KeelCore
import KeelMatching

extension DemoData {
    /// The generated records of one object that the duplicate check takes for none kept before: each is scored, as the
    /// record service's check scores it, against the kept records that share one of its identity keys, and is turned
    /// away at the warn threshold — so the demo loads with no duplicate refused and none even flagged.
    struct Distinct {
        let matcher: IdentityMatcher?
        private var kept: [[PreparedValue]] = []
        private var byKey: [String: [Int]] = [:]

        init(_ object: ObjectDefinition) { matcher = DuplicateCheck.matcher(for: object) }

        /// Keeps `values` and answers true when they are a record of their own by the engine's rules.
        mutating func admit(_ values: [String: JSONValue]) -> Bool {
            guard let matcher else { return true }
            let prepared = matcher.prepared(DuplicateCheck.text(values, matcher))
            let keys = matcher.keys(prepared: prepared)
            let rivals = Set(keys.flatMap { byKey[$0] ?? [] })
            if rivals.contains(where: { matcher.score(prepared, kept[$0]).probability >= matcher.warn }) { return false }
            for key in keys { byKey[key, default: []].append(kept.count) }
            kept.append(prepared)
            return true
        }
    }
}
