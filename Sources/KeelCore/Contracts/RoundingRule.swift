import Foundation

/// How amounts are rounded to the fen: half-up (四舍五入, halves away from zero) unless the organisation chooses
/// half-even; per line (each line's tax rounded, totals their sums) or per document (each tax rate's totals rounded
/// once, the fens shared out over the lines so that they still add up).
public struct RoundingRule: Hashable, Sendable {
    public enum Mode: String, Sendable, CaseIterable { case halfUp = "half_up", halfEven = "half_even" }
    public enum Level: String, Sendable, CaseIterable { case line, document }

    public var mode: Mode
    public var level: Level

    public init(mode: Mode = .halfUp, level: Level = .line) {
        self.mode = mode
        self.level = level
    }

    /// Rounds to the fen.
    public func fen(_ amount: Decimal) -> Decimal { amount.rounded(2, mode) }
}
