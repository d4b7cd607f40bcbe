import Foundation
import KeelCore
import KeelStore
import SQLKit

/// Keel's inbox: notifications to people about records, and alerts to admins when background work fails.
public final class Notifier: Sendable {
    let database: KeelDatabase
    let store = NotificationStore()
    let directory = DirectoryStore()

    init(database: KeelDatabase) {
        self.database = database
    }

    /// The users `recipients` name for a record (channels are delivered as webhooks by the caller).
    func users(_ recipients: [Recipient], object: ObjectDefinition, record: Record?, on db: any SQLDatabase) async throws -> [String] {
        let everyone = try await directory.users(on: db).filter { $0.status == .active }
        let owner = record.flatMap { $0.value(object.ownerField).stringValue }
        var out: [String] = []
        for r in recipients {
            switch r {
            case .owner: out += owner.map { [$0] } ?? []
            case .manager: out += everyone.first { $0.id == owner }?.managerID.map { [$0] } ?? []
            case .user(let id): out.append(id)
            case .role(let role): out += everyone.filter { $0.role == role }.map(\.id)
            case .channel: break
            }
        }
        let active = Set(everyone.map(\.id))
        return Array(NSOrderedSet(array: out).compactMap { $0 as? String }).filter(active.contains)
    }

    /// Notifies each user once per `key` (a retried run does not notify twice).
    func send(_ title: String, to userIDs: [String], object: String?, recordID: String?, key: String, at now: Date, on db: any SQLDatabase) async throws {
        for user in userIDs {
            try await store.insert(UserNotification(userID: user, title: title, object: object, recordID: recordID, createdAt: ValueFormats.formatDateTime(now)),
                                   key: "\(key):\(user)", on: db)
        }
    }

    /// Tells each user once per `key`, in the language they chose (Chinese until they choose).
    func tell(zh: String, en: String, to userIDs: [String], object: String?, recordID: String?, key: String, at now: Date, on db: any SQLDatabase) async throws {
        for user in userIDs {
            let english = try await directory.locale(userID: user, on: db) == "en"
            try await send(english ? en : zh, to: [user], object: object, recordID: recordID, key: key, at: now, on: db)
        }
    }

    /// Tells every active admin, each in the language they chose, and audits it (in English).
    func alertAdmins(zh: String, en: String, key: String, object: String? = nil, recordID: String? = nil, at now: Date, on db: any SQLDatabase) async throws {
        let admins = try await directory.users(on: db).filter { $0.role == .admin && $0.status == .active }.map(\.id)
        try await tell(zh: "⚠ " + zh, en: "⚠ " + en, to: admins, object: object, recordID: recordID, key: "alert:\(key)", at: now, on: db)
        try await AccessStore().audit(AuditEntry(at: ValueFormats.formatDateTime(now), actor: nil, action: "alert",
                                                                          object: object, recordID: recordID, detail: ["message": .string(en)]), on: db)
    }

    public func notifications(of principal: Principal, limit: Int = 50) async throws -> (items: [UserNotification], unread: Int) {
        try await database.read { db in
            (try await store.list(userID: principal.userID, limit: min(max(limit, 1), 200), on: db), try await store.unread(userID: principal.userID, on: db))
        }
    }

    public func markRead(_ id: String?, by principal: Principal) async throws {
        try await database.write { db in try await store.markRead(userID: principal.userID, id: id, at: ValueFormats.formatDateTime(Date()), on: db) }
    }
}
