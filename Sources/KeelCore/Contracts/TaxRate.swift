import Foundation

/// China's VAT rates a product may carry: 13 % (goods), 9 % (transport, construction, farm produce), 6 % (services),
/// 3 % (small-scale taxpayers) and 0 % (exempt or zero-rated). Written as fractions: `0.13`.
public enum TaxRate {
    public static let allowed: [Decimal] = ["0.13", "0.09", "0.06", "0.03", "0"].map { Decimal(string: $0)! }

    /// The rate as an allowed one, or nil.
    public static func allowedRate(_ rate: Decimal) -> Decimal? { allowed.first { $0 == rate } }

    /// `13%`.
    public static func percentText(_ rate: Decimal) -> String { "\(rate * 100)%" }
}
