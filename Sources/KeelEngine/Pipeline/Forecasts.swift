import Foundation
import KeelCore
import KeelStore
import SQLKit
import Synchronization

/// Forecasts of deals: a period's categories, weighted pipeline and predicted won amount for a rep, a team or the
/// company (only deals the reader may read), managers' adjustments beside the reps' figures, and the backtest of the
/// prediction on the company's own history.
public final class Forecasts: Sendable {
    public enum Scope: String, Sendable, CaseIterable { case me, team, company }

    public struct Report: Sendable {
        public var scope: Scope
        public var forecast: Forecast
        /// Each owner's own forecast (team and company), in name order.
        public var owners: [(user: User, forecast: Forecast)]
        public var adjustments: [ForecastStore.Adjustment]
    }

    static let object = StandardObjects.opportunity.name
    let database: KeelDatabase
    let metadata: MetadataService
    let records: RecordService
    let access: AccessControl
    let timeZone: TimeZone
    let store = ForecastStore()
    private let learned = Mutex<(mark: String, timelines: [DealTimeline])?>(nil)
    private let tested = Mutex<(key: String, backtest: ForecastBacktest)?>(nil)
    private let modelled = Mutex<(key: String, models: Forecast.Models)?>(nil)

    init(database: KeelDatabase, metadata: MetadataService, records: RecordService, access: AccessControl, timeZone: TimeZone) {
        (self.database, self.metadata, self.records, self.access, self.timeZone) = (database, metadata, records, access, timeZone)
    }

    /// `period` is `YYYY-MM` (nil: this month).
    public func forecast(period text: String?, scope: Scope, as principal: Principal, now: Date = Date()) async throws -> Report {
        let period = try parse(text, now: now)
        let catalog = try await metadata.catalog()
        let object = try catalog.require(Self.object)
        let readable = try await access.scope(principal, .read, object: object)
        if readable.plan.deniesAll { throw AccessControl.denied(.read, object: object.name) }
        return try await database.read { db in
            guard let set = try await records.stages.document(object, catalog: catalog, on: db) else {
                throw KeelError(.notFound, code: "no_pipeline", message: "Opportunities have no pipeline.")
            }
            let outcomes = Dictionary(set.pipelines.flatMap(\.stages).map { ($0.name, $0.outcome) }) { a, _ in a }
            let timelines = try await self.timelines(on: db)
            let users = try await DirectoryStore().users(on: db)
            let owners: Set<String>? = switch scope {
            case .me: [principal.userID]
            case .team: Set(try await team(of: principal, users: users, on: db))
            case .company: nil
            }
            // The scope's open deals as the reader may read them, each since it entered its stage.
            var query = ListQuery(object: object)
            query.filters = [Filter(field: object.field(set.field)!, op: .in, values: outcomes.filter { $0.value == .open }.map { .string($0.key) })]
            if let owners { query.filters.append(Filter(field: object.field(object.ownerField)!, op: .in, values: owners.sorted().map(JSONValue.string))) }
            query.fields = [set.field, "amount", "expected_close_date", "forecast_category", "probability", object.ownerField]
            query.limit = 1_000_000
            let byID = Dictionary(timelines.map { ($0.id, $0) }) { a, _ in a }
            let open = try await records.store.list(object, query: query, access: readable, on: db).records.map { r in
                (r.value(object.ownerField).stringValue, Forecast.Deal(
                    id: r.id, stage: r.value(set.field).stringValue ?? "", since: byID[r.id]?.moves.last?.at ?? ValueFormats.parseDateTime(r.createdAt) ?? now,
                    amount: r.value("amount").doubleValue ?? 0, expectedClose: r.value("expected_close_date").stringValue,
                    category: r.value("forecast_category").stringValue, probability: r.value("probability").doubleValue ?? 0))
            }
            // Won and lost in the period: the amount each deal had when it closed, for deals in scope the reader may read.
            var closed: [String: (owner: String?, outcome: PipelineStage.Outcome, amount: Double)] = [:]
            for timeline in timelines {
                let end = min(period.end, now)
                if let move = timeline.moves.last(where: { $0.at >= period.start && $0.at < end && outcomes[$0.stage] != .open }),
                   let outcome = outcomes[move.stage] {
                    closed[timeline.id] = (move.owner, outcome, move.amount ?? 0)
                }
            }
            let visible = try await readableIDs(Array(closed.keys), object: object, owners: owners, readable: readable, on: db)
            closed = closed.filter { visible.contains($0.key) }
            let models = try await self.models(period: period, now: now, timelines: timelines, outcomes: outcomes, on: db)
            func forecast(_ who: Set<String>?) -> Forecast {
                let mine = { (owner: String?) in who.map { owner.map($0.contains) ?? false } ?? true }
                let deals = closed.values.filter { mine($0.owner) }
                return Forecast.make(open: open.filter { mine($0.0) }.map(\.1), won: deals.filter { $0.outcome == .won }.reduce(0) { $0 + $1.amount },
                                     lost: deals.filter { $0.outcome == .lost }.reduce(0) { $0 + $1.amount }, owners: who, models: models)
            }
            let people = scope == .me ? [] : users.filter { u in owners.map { $0.contains(u.id) } ?? true }
                .filter { u in open.contains { $0.0 == u.id } || closed.values.contains { $0.owner == u.id } }
                .sorted { $0.name < $1.name }
            return Report(scope: scope, forecast: forecast(owners), owners: people.map { ($0, forecast([$0.id])) },
                          adjustments: try await store.adjustments(period: period.label, users: Array(owners ?? Set(users.map(\.id))), on: db))
        }
    }

    /// A manager's figure for one of their people's categories (or an admin's for anyone's), kept beside the rep's own.
    public func adjust(period text: String, user: String, category: String, amount: Double, note: String?, by principal: Principal) async throws {
        let period = try parse(text, now: Date())
        guard Forecast.categories.contains(category) else {
            throw KeelError.validation([Violation(field: "category", code: "invalid_option", message: "category is one of \(Forecast.categories.joined(separator: ", ")).")])
        }
        guard amount.isFinite, amount >= 0, amount <= 1e14 else {
            throw KeelError.validation([Violation(field: "amount", code: "out_of_range", message: "amount is a sum of money from 0 to 10¹⁴.")])
        }
        if let note, note.count > 500 { throw KeelError.validation([Violation(field: "note", code: "too_long", message: "A note is at most 500 characters.")]) }
        try await database.write { db in
            let users = try await DirectoryStore().users(on: db)
            guard users.contains(where: { $0.id == user }) else { throw KeelError.validation([Violation(field: "user", code: "unknown_user", message: "No user has the id \(user).")]) }
            let team = try await self.team(of: principal, users: users, on: db)
            guard principal.role == .admin || (principal.role == .manager && team.contains(user) && user != principal.userID) else {
                throw KeelError(.forbidden, code: "forbidden", message: "Only the person's manager (or an admin) adjusts their forecast.")
            }
            try await store.set(ForecastStore.Adjustment(period: period.label, userID: user, category: category, amount: (amount * 100).rounded() / 100,
                                                         note: note, actor: principal.userID, at: ValueFormats.formatDateTime(Date())), on: db)
        }
    }

    /// The prediction tried on each of the last `months` full months of the company's history (managers and admins).
    public func backtest(months: Int, as principal: Principal, now: Date = Date()) async throws -> ForecastBacktest {
        guard principal.role != .member else { throw KeelError(.forbidden, code: "forbidden", message: "The backtest is for managers and admins.") }
        let catalog = try await metadata.catalog()
        let object = try catalog.require(Self.object)
        return try await database.read { db in
            let set = try await records.stages.document(object, catalog: catalog, on: db) ?? PipelineSet.standardOpportunities
            let outcomes = Dictionary(set.pipelines.flatMap(\.stages).map { ($0.name, $0.outcome) }) { a, _ in a }
            var periods: [Forecast.Period] = []
            var cursor = Forecast.Period.containing(now, in: timeZone).start
            for _ in 0..<months {
                let previous = Forecast.Period.containing(cursor.addingTimeInterval(-86_400), in: timeZone)
                periods.insert(previous, at: 0)
                cursor = previous.start
            }
            // The past does not change until the history does: one backtest per history and month.
            let key = "\(try await store.historyMark(object: Self.object, on: db))|\(periods.first?.label ?? "")|\(months)"
            if let hit = tested.withLock({ $0 }), hit.key == key { return hit.backtest }
            let backtest = ForecastBacktest(timelines: try await timelines(on: db), periods: periods, outcomes: outcomes, probabilities: set.probabilities)
            tested.withLock { $0 = (key, backtest) }
            return backtest
        }
    }

    func parse(_ text: String?, now: Date) throws(KeelError) -> Forecast.Period {
        guard let text else { return .containing(now, in: timeZone) }
        guard let period = Forecast.Period(text, in: timeZone) else {
            throw KeelError.validation([Violation(field: "period", code: "invalid_period", message: "period is a month written YYYY-MM (2026-12).")])
        }
        return period
    }

    /// The person and everyone in the departments under theirs (their own department and its sub-departments).
    func team(of principal: Principal, users: [User], on db: any SQLDatabase) async throws -> [String] {
        guard let root = principal.departmentID else { return [principal.userID] }
        let departments = try await DirectoryStore().departments(on: db)
        var inside: Set<String> = [root], grew = true
        while grew {
            let next = inside.union(departments.filter { $0.parentID.map(inside.contains) ?? false }.map(\.id))
            grew = next.count > inside.count
            inside = next
        }
        return users.filter { $0.departmentID.map(inside.contains) ?? false }.map(\.id)
    }

    /// The ids among `ids` the reader may read (and, with `owners`, that they own).
    func readableIDs(_ ids: [String], object: ObjectDefinition, owners: Set<String>?, readable: AccessScope, on db: any SQLDatabase) async throws -> Set<String> {
        var out = Set<String>()
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            var query = ListQuery(object: object)
            query.filters = [Filter(field: object.queryableField("id")!, op: .in, values: chunk.map(JSONValue.string))]
            if let owners { query.filters.append(Filter(field: object.field(object.ownerField)!, op: .in, values: owners.sorted().map(JSONValue.string))) }
            query.fields = [object.ownerField]
            query.limit = chunk.count
            out.formUnion(try await records.store.list(object, query: query, access: readable, on: db).records.map(\.id))
        }
        return out
    }

    /// What the period's forecast learns from the history, learnt again when the history changes, or ten minutes on
    /// (the chances of a window ending at the month's end barely move within them).
    func models(period: Forecast.Period, now: Date, timelines: [DealTimeline], outcomes: [String: PipelineStage.Outcome],
                on db: any SQLDatabase) async throws -> Forecast.Models {
        let key = "\(try await store.historyMark(object: Self.object, on: db))|\(period.label)|\(Int(now.timeIntervalSince1970 / 600))"
        if let hit = modelled.withLock({ $0 }), hit.key == key { return hit.models }
        let models = Forecast.Models(period: period, now: now, timelines: timelines, outcomes: outcomes)
        modelled.withLock { $0 = (key, models) }
        return models
    }

    /// Every deal's timeline, read again only when the stage history changed since the last read.
    func timelines(on db: any SQLDatabase) async throws -> [DealTimeline] {
        let mark = try await store.historyMark(object: Self.object, on: db)
        if let hit = learned.withLock({ $0 }), hit.mark == mark { return hit.timelines }
        let timelines = try await records.stages.store.timelines(object: Self.object, on: db)
        learned.withLock { $0 = (mark, timelines) }
        return timelines
    }
}
