import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelWeb

extension WebRoutes {
    /// Objects whose records have an owner and appear under "recent changes on my records".
    static let ownedObjects = ["accounts", "contacts", "leads", "opportunities"]

    func home(_ request: Request) async throws -> Response {
        let session = try await requireSession(request)
        let me = session.principal
        let now = Date(), today = keel.day(now)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = keel.timeZone
        // Overdue tasks and this week's, to Sunday; my open deals expected to close by the end of this month.
        let weekEnd = keel.day(calendar.date(byAdding: .day, value: (8 - calendar.component(.weekday, from: now)) % 7, to: now)!)
        let monthEnd = keel.day(calendar.date(byAdding: DateComponents(month: 1, day: -1), to: calendar.date(from: calendar.dateComponents([.year, .month], from: now))!)!)
        let tasks = try await keel.records.list("tasks", params: [
            ("filter[assignee][eq]", me.userID), ("filter[status][in]", "open,in_progress"),
            ("filter[due][lte]", weekEnd), ("sort", "due"), ("limit", "20"),
        ], as: me).records
        let closing = try await keel.records.list("opportunities", params: [
            ("filter[owner][eq]", me.userID), ("filter[stage][in]", StandardObjects.openStages.joined(separator: ",")),
            ("filter[expected_close_date][lte]", monthEnd), ("sort", "expected_close_date"), ("limit", "10"),
        ], as: me).records
        let leadFilter = [("filter[owner][eq]", me.userID), ("filter[status][eq]", "new")]
        let leads = try await keel.records.list("leads", params: leadFilter + [("sort", "created_at"), ("limit", "10")], as: me).records
        let newLeadCount = try await keel.records.count("leads", params: leadFilter, as: me)
        let deals = try await keel.records.aggregate("opportunities", groupBy: ["stage"], sum: "amount", params: [
            ("filter[owner][eq]", me.userID), ("filter[stage][in]", StandardObjects.openStages.joined(separator: ",")),
        ], as: me)
        let catalog = try await keel.metadata.catalog()
        var changes: [HomePage.Change] = []
        for name in Self.ownedObjects {
            let object = try catalog.require(name)
            let mine = try await keel.records.list(name, params: [("filter[owner][eq]", me.userID), ("sort", "-updated_at"), ("limit", "10")], as: me).records
            let titles = Dictionary(uniqueKeysWithValues: mine.map { ($0.id, RecordPage.title(of: $0)) })
            var entries = try await keel.records.recentHistory(name, ids: mine.map(\.id), limit: 100, as: me)
            // A full page may have cut the oldest edit short: leave it out rather than show part of it.
            if entries.count == 100, let cut = entries.last?.changeID { entries.removeAll { $0.changeID == cut } }
            for edit in Dictionary(grouping: entries, by: \.changeID).values {
                changes.append(HomePage.Change(entries: edit.sorted { $0.seq < $1.seq }, object: object, title: titles[edit[0].recordID] ?? ""))
            }
        }
        changes.sort { $0.entries[0].at > $1.entries[0].at }
        changes = Array(changes.prefix(10))
        let referenced = changes.flatMap { c in
            c.entries.flatMap { e in ReferenceNames.references(c.object.fields.filter { $0.name == e.field }) { _ in [e.oldValue, e.newValue] } }
        }
        var page = HomePage(today: today, tasks: tasks, leads: leads, newLeadCount: newLeadCount, deals: deals,
                            changes: changes, names: try await referenceNames(referenced, as: me))
        (page.closing, page.now) = (closing, now)
        let t = Strings(web.language(request, session))
        return try await web.render(page.context(t, csrf: session.csrf), title: t["today"], request: request, session: session,
                                    notice: Self.loggedNotice(try request.queryPairs(), t))
    }

    /// Display names of the users the principal may see, by id.
    func userNames(_ principal: Principal) async throws -> [String: String] {
        Dictionary(uniqueKeysWithValues: try await keel.auth.users(by: principal).map { ($0.id, $0.name) })
    }

    /// Users' names, and the names of the records `references` (target object, id) point at that `principal` may
    /// read. A reference to any object (`*`) is looked for in every object the reader may read.
    func referenceNames(_ references: [(target: String, id: String)], as principal: Principal) async throws -> ReferenceNames {
        let catalog = try await keel.metadata.catalog()
        var names = ReferenceNames(users: try await userNames(principal))
        for (target, ids) in Dictionary(grouping: references, by: \.target) where !StandardObjects.directoryTargets.contains(target) {
            var wanted = Set(ids.map(\.id)).subtracting(names.records.keys)
            for object in target == StandardObjects.anyObject ? catalog.objects : catalog.object(target).map { [$0] } ?? [] where !wanted.isEmpty {
                let all = wanted.sorted()
                for start in stride(from: 0, to: all.count, by: ListQuery.maxInValues) {
                    let chunk = all[start..<min(start + ListQuery.maxInValues, all.count)]
                    do {
                        let page = try await keel.records.list(object.name, params: [("filter[id][in]", chunk.joined(separator: ",")), ("limit", String(chunk.count))],
                                                               as: principal)
                        for record in page.records {
                            names.records[record.id] = .init(object: object.name, name: RecordPage.title(of: record))
                            wanted.remove(record.id)
                        }
                    } catch is KeelError {
                        break  // an object the reader may not read: its records stay unnamed ("a record you cannot see")
                    }
                }
            }
        }
        return names
    }
}
