import KeelCore
import Testing

@Suite struct WeightedTurnTests {
    /// A simulated day of 2,000 leads over four reps weighted 3:2:2:1: after every lead each rep's count is within one
    /// of their weight's share, and a heavy rep's leads are spread out, never three in a row.
    @Test func aDayOfLeadsFollowsTheWeightsWithinOneLeadPerRep() {
        let reps = [("a", 3), ("b", 2), ("c", 2), ("d", 1)]
        let total = Double(reps.reduce(0) { $0 + $1.1 })
        var running: [String: Int] = [:], counts: [String: Int] = [:], worst = 0.0, streak = 0, longest = 0, last = ""
        for n in 1...2_000 {
            let (id, next) = WeightedTurn.pick(reps.map { (id: $0.0, weight: $0.1) }, running: running)!
            running = next
            counts[id, default: 0] += 1
            streak = id == last ? streak + 1 : 1
            (last, longest) = (id, max(longest, streak))
            for (rep, weight) in reps { worst = max(worst, abs(Double(counts[rep, default: 0]) - Double(n) * Double(weight) / total)) }
        }
        #expect(worst <= 1)
        #expect(counts == ["a": 750, "b": 500, "c": 500, "d": 250])
        #expect(longest <= 2)
    }

    /// A rep away for a while neither loses their place nor catches up in a burst when back.
    @Test func aRepWhoWasAwayComesBackWithoutABurst() {
        let reps = [(id: "a", weight: 1), (id: "b", weight: 1)]
        var running: [String: Int] = [:]
        for _ in 0..<10 { running = WeightedTurn.pick(reps, running: running)!.running }
        for _ in 0..<20 { running = WeightedTurn.pick([reps[1]], running: running)!.running }
        var picks: [String] = []
        for _ in 0..<6 {
            let (id, next) = WeightedTurn.pick(reps, running: running)!
            (running, picks) = (next, picks + [id])
        }
        #expect(picks.filter { $0 == "a" }.count == 3)
        #expect(WeightedTurn.pick([], running: [:]) == nil)
    }
}
