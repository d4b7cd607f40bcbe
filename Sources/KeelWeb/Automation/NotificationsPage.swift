import Foundation
import KeelCore

/// My notifications, newest first, unread ones marked, each linking to its record.
public struct NotificationsPage: PageContext {
    public static let template = Template.notifications

    struct Item {
        /// `at` as stored (for `<time>`), `when` as people say it (3 小时前, or the date).
        var title, at, when: String
        var unread: Bool
        var href: String?
    }

    var csrf: String
    var items: [Item]
    var hasItems: Bool

    public init(_ items: [UserNotification], _ t: Strings, now: Date, csrf: String) {
        self.csrf = csrf
        hasItems = !items.isEmpty
        self.items = items.map { n in
            Item(title: n.title, at: n.createdAt, when: t.ago(n.createdAt, now: now), unread: n.readAt == nil,
                 href: n.object.flatMap { object in n.recordID.map { "/o/\(object)/\($0)" } })
        }
    }
}
