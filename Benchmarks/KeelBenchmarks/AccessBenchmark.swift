import Foundation
import KeelCore
import KeelEngine
import KeelStore
import SQLKit

/// Access control cost. (1) Policy decisions in memory: the plan for (user, action, object) under the default policies
/// plus scenario policies, µs per decision, against a one-policy set (admins only) as baseline. (2) Lists over many
/// accounts owned by 100 users (fewer at a tiny size) in a department tree: a member (own records), a manager (department subtree) and a
/// member with a masked field, against an admin (whose policies fold to "everything", so no SQL condition) as baseline.
/// The accounts are seeded raw (`Seed`): no history, match keys or outbox events, none of which a list reads.
struct AccessBenchmark {
    let records: Int
    /// Fewer at a tiny size (the smoke run), 100 from 10,000 records up.
    var samples: Int { min(100, max(10, records / 100)) }
    /// Owners of the accounts: 100 from 10,000 records up (each user costs a password hash to create).
    var ownerCount: Int { min(100, max(10, records / 100)) }

    func run(on url: DatabaseURL) async throws {
        decisions()
        let (target, dropSchema) = try await Scratch.database(url, name: "bench_access")
        let keel = try await Keel.open(target)
        try await lists(keel)
        await keel.close()
        try await dropSchema?()
    }

    // MARK: Decisions

    func decisions() {
        let objects = StandardObjects.all
        var scenario = PolicySet.defaultDocument["policies"]?.arrayValue ?? []
        scenario += [
            ["id": "sales-up-to-l2", "effect": "permit", "actions": ["read", "update"], "objects": "*",
             "when": ["all": [["attr": "record.owner", "op": "eq", "ref": "user.id"], ["attr": "record.sensitivity", "op": "le", "value": 2]]]],
            ["id": "big-deal-terms", "effect": "forbid", "actions": ["read"], "objects": ["opportunities"],
             "when": ["all": [["attr": "field.name", "op": "eq", "value": "probability"], ["attr": "record.amount", "op": "gt", "value": 5_000_000],
                              ["attr": "user.level", "op": "lt", "value": 4]]]],
            ["id": "directors-export", "effect": "permit", "actions": ["export"], "objects": "*",
             "when": ["all": [["attr": "user.level", "op": "ge", "value": 4], ["attr": "record.owner_department", "op": "in", "ref": "user.subtree"],
                              ["attr": "context.step_up", "op": "eq", "value": true]]]],
            ["id": "no-weekend-deletes", "effect": "forbid", "actions": ["delete"], "objects": "*",
             "when": ["attr": "context.weekday", "op": "ge", "value": 6]],
        ]
        let full = try! PolicySet.parse(["policies": .array(scenario)], objects: objects)
        let baseline = try! PolicySet.parse(["policies": [PolicySet.defaultDocument["policies"]!.arrayValue![0]]], objects: objects)
        let member = Subject(principal: Principal(userID: "u1", email: "u1@example.com", role: .member, departmentID: "d2", status: .active),
                             departments: ["d2", "d1"], subtree: ["d2", "d3", "d4"])
        let manager = Subject(principal: Principal(userID: "u2", email: "u2@example.com", role: .manager, departmentID: "d1", status: .active, level: 4),
                              departments: ["d1"], subtree: ["d1", "d2", "d3", "d4"])
        let n = min(100_000, max(1_000, records / 10))
        func measure(_ set: PolicySet, _ subject: Subject, _ action: Action, _ object: ObjectDefinition) -> Double {
            var sink = 0
            let start = ContinuousClock.now
            for _ in 0..<n { sink &+= set.plan(subject, action, object: object).fields.count }
            let seconds = Stats.seconds(ContinuousClock.now - start)
            if sink == -1 { print(sink) }
            return seconds / Double(n) * 1e6
        }
        let base = measure(baseline, member, .read, StandardObjects.account)
        print("decisions (in memory, \(n) per case; baseline: a one-policy set, \(String(format: "%.2f", base)) µs)")
        for (name, subject, action, object) in [
            ("member reads accounts (14 fields)", member, Action.read, StandardObjects.account),
            ("member reads opportunities (field rule)", member, .read, StandardObjects.opportunity),
            ("manager exports accounts", manager, .export, StandardObjects.account),
            ("manager deletes leads", manager, .delete, StandardObjects.lead),
        ] {
            let us = measure(full, subject, action, object)
            print("  \(name), \(full.policies.count) policies: \(String(format: "%.2f", us)) µs per decision (\(String(format: "%.1f", us / base))× baseline)")
        }
    }

    // MARK: Lists

    func lists(_ keel: Keel) async throws {
        let admin = try await keel.auth.createUser(NewUser(email: "admin@example.com", password: "bench-password", role: .admin), by: nil).principal
        let root = try await keel.auth.createDepartment(name: "销售部", parentID: nil, managerID: nil, by: admin)
        var departments = [root]
        for i in 1...9 { departments.append(try await keel.auth.createDepartment(name: "区域\(i)", parentID: i <= 4 ? root.id : nil, managerID: nil, by: admin)) }
        var owners: [Principal] = []
        for i in 0..<ownerCount {
            owners.append(try await keel.auth.createUser(NewUser(email: "rep\(i)@example.com", password: "bench-password", role: .member,
                                                                 department: departments[i % 10].name), by: nil).principal)
        }
        let manager = try await keel.auth.createUser(NewUser(email: "boss@example.com", password: "bench-password", role: .manager, department: "销售部"), by: nil).principal
        let seeding = try await Stats.time { try await seed(keel, owners: owners.map(\.userID)) }
        let member = owners[7]
        print("lists (\(keel.database.dialect.rawValue), \(records) accounts of \(ownerCount) owners in 10 departments, seeded in \(String(format: "%.0f", seeding)) s; \(samples) samples)")

        let queries: [(String, [(String, String)])] = [
            ("50 rows by id", [("limit", "50")]),
            ("50 rows by name", [("sort", "name"), ("limit", "50")]),
            ("filter city, 50 rows", [("filter[city][eq]", "杭州"), ("limit", "50")]),
        ]
        for (name, params) in queries {
            let base = try await p50 { _ = try await keel.records.list("accounts", params: params, as: admin) }
            var line = "  \(name): admin (no condition) p50 \(Stats.ms(base))"
            for (who, principal) in [("member (own)", member), ("manager (5 of 10 departments)", manager)] {
                let t = try await p50 { _ = try await keel.records.list("accounts", params: params, as: principal) }
                line += "; \(who) \(Stats.ms(t)) (\(String(format: "%.2f", t / base))×)"
            }
            print(line)
        }
        let countBase = try await p50 { _ = try await keel.records.count("accounts", params: [], as: admin) }
        let countMember = try await p50 { _ = try await keel.records.count("accounts", params: [], as: member) }
        let countManager = try await p50 { _ = try await keel.records.count("accounts", params: [], as: manager) }
        print("  count: admin \(Stats.ms(countBase)); member \(Stats.ms(countMember)) (\(String(format: "%.2f", countMember / countBase))×); manager \(Stats.ms(countManager)) (\(String(format: "%.2f", countManager / countBase))×)")
        _ = try await keel.metadata.setSensitivity(object: "accounts", field: "legal_representative", ["sensitivity": 3], as: admin)
        let masked = try await p50 { _ = try await keel.records.list("accounts", params: [("sort", "name"), ("limit", "50")], as: member) }
        print("  member, 50 rows by name with a masked (L3) field: \(Stats.ms(masked))")
    }

    func p50(_ body: () async throws -> Void) async throws -> Double {
        var times: [Double] = []
        for _ in 0..<samples { times.append(try await Stats.time(body)) }
        return Stats.percentile(times, 0.5)
    }

    /// Bulk-inserts `records` accounts, owners round-robin (each owner's accounts spread over every city).
    func seed(_ keel: Keel, owners: [String]) async throws {
        let cities = ["杭州", "宁波", "上海", "深圳", "北京", "成都", "武汉", "西安"]
        try await Seed.accounts(keel, count: records, columns: ["name", "city", "owner"]) { n in
            [.string("公司\((n * 7919) % records)"), .string(cities[(n / owners.count) % cities.count]), .string(owners[n % owners.count])]
        }
    }
}
