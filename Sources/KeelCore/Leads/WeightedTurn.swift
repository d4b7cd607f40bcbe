/// Smooth weighted round-robin: every pick, each candidate's running weight grows by its weight, the highest is
/// chosen (the first in order on a tie) and loses the sum of all weights. Over any run of picks each member's share
/// stays within one of its weight's share, and picks of a heavy member are spread out rather than bunched. Members
/// left out of a pick (unavailable) keep their running weight, so they neither catch up in a burst nor lose their place.
public enum WeightedTurn {
    /// The member chosen among `candidates` (id, weight), and the running weights to store.
    public static func pick(_ candidates: [(id: String, weight: Int)], running: [String: Int]) -> (id: String, running: [String: Int])? {
        guard !candidates.isEmpty else { return nil }
        var next: [String: Int] = [:]
        for c in candidates { next[c.id] = (running[c.id] ?? 0) + c.weight }
        let total = candidates.reduce(0) { $0 + $1.weight }
        var best = candidates[0].id
        for c in candidates.dropFirst() where next[c.id]! > next[best]! { best = c.id }
        next[best]! -= total
        return (best, next)
    }
}
