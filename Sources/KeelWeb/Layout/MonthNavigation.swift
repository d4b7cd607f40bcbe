import Foundation

/// A month as a page names it ("2026 年 12 月", "2026-12") and the months before and after it (YYYY-MM), for links.
struct MonthNavigation {
    var previous, next, label: String

    init(_ month: String, _ t: Strings) {
        let parts = month.split(separator: "-").compactMap { Int($0) }
        let (y, m) = (parts.first ?? 2000, parts.last ?? 1)
        previous = String(format: "%04d-%02d", m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1)
        next = String(format: "%04d-%02d", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1)
        label = t.language == .en ? month : "\(y) 年 \(m) 月"
    }
}
