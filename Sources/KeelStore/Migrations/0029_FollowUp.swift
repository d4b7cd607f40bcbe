import Foundation
import KeelCore
import SQLKit

extension Migration {
    /// A logged call, visit, meeting or message says what happened and the next step with its time: the standard
    /// follow-up group on activities (kept as it is where an admin already has a group of that name).
    static let m0029FollowUp = Migration(name: "0029_follow_up") { _ in
        let group = NextStep.followUp
        return [
            """
            INSERT INTO required_groups (object, name, definition, position, created_at, created_by)
            SELECT 'activities', \(bind: group.name), \(bind: group.json.canonicalText()),
                   (SELECT COUNT(*) FROM required_groups WHERE object = 'activities'), \(bind: ValueFormats.formatDateTime(Date())), NULL
            WHERE NOT EXISTS (SELECT 1 FROM required_groups WHERE object = 'activities' AND name = \(bind: group.name))
            """,
            "UPDATE metadata_version SET version = version + 1 WHERE id = 1",
        ]
    }
}
