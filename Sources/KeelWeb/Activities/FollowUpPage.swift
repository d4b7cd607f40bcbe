import Foundation
import KeelCore

/// 跟进质量: each rep's month of activities — how many, how far they can be believed on average, the share backed up and
/// the share logged the day they happened — and the customers nobody has really followed up for 30 working days.
public struct FollowUpPage: PageContext {
    public static let template = Template.followUps

    struct Row {
        var name: String
        var cells: [String]
    }

    struct Silent {
        var name, href, owner, last: String
    }

    var month, previous, next, monthLabel: String
    var rows: [Row]
    var hasRows: Bool
    var dormant: [Silent]
    var hasDormant: Bool
    var dormantTitle: String

    /// `users`: names by id. The first 100 dormant customers are listed, longest silent first.
    public init(month: String, rows: [(userID: String, activities: Int, average: Double, backedUp: Double, onTime: Double)],
                dormant: [(account: Record, last: String?)], users: [String: String], _ t: Strings) {
        self.month = month
        let months = MonthNavigation(month, t)
        (previous, next, monthLabel) = (months.previous, months.next, months.label)
        func percent(_ share: Double) -> String { String(format: "%.0f%%", share * 100) }
        self.rows = rows.map { r in
            Row(name: users[r.userID] ?? t["another_user"],
                cells: [String(r.activities), t["credibility_score"].replacingOccurrences(of: "{1}", with: String(format: "%.1f", r.average)),
                        percent(r.backedUp), percent(r.onTime)])
        }.sorted { $0.name < $1.name }
        hasRows = !rows.isEmpty
        self.dormant = dormant.prefix(100).map { d in
            Silent(name: d.account.value("name").stringValue ?? "—", href: "/o/accounts/\(d.account.id)",
                   owner: d.account.value("owner").stringValue.flatMap { users[$0] } ?? "—",
                   last: d.last.map { t.time($0) } ?? t["dormant_never"])
        }
        hasDormant = !dormant.isEmpty
        dormantTitle = t["dormant_accounts"].replacingOccurrences(of: "{1}", with: String(dormant.count))
    }
}
