import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Testing

/// Access policies on every record path, on both databases: the default set, field masking, and the issue's scenarios.
@Suite struct AccessControlTests {
    /// 销售部 (manager M) ⊃ 华东区 (members A, B); 服务部 (member S); an admin.
    struct Org {
        let admin, manager, a, b, service: Principal
        let sales, east, serviceDept: Department

        static func make(_ keel: Keel) async throws -> Org {
            let admin = try await keel.makeUser()
            let sales = try await keel.auth.createDepartment(name: "销售部", parentID: nil, managerID: nil, by: admin)
            let east = try await keel.auth.createDepartment(name: "华东区", parentID: sales.id, managerID: nil, by: admin)
            let serviceDept = try await keel.auth.createDepartment(name: "服务部", parentID: nil, managerID: nil, by: admin)
            func user(_ email: String, _ role: Role, _ department: String, level: Int = 1) async throws -> Principal {
                try await keel.auth.createUser(NewUser(email: email, password: "password-\(email)", role: role, department: department, level: level),
                                               by: admin).principal
            }
            return Org(admin: admin, manager: try await user("m@example.com", .manager, "销售部", level: 3),
                       a: try await user("a@example.com", .member, "华东区"), b: try await user("b@example.com", .member, "华东区"),
                       service: try await user("s@example.com", .member, "服务部"), sales: sales, east: east, serviceDept: serviceDept)
        }
    }

    static func ctx(_ p: Principal) -> WriteContext { WriteContext(principal: p, source: .api) }

    static func expectError(_ kind: KeelError.Kind, _ code: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected \(code)")
        } catch let e as KeelError {
            #expect(e.kind == kind && e.code == code, "\(e)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: TestDatabase.all)
    func membersSeeWhatTheyOwnManagersTheirSubtreeAdminsEverything(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let org = try await Org.make(keel)
            let a1 = try #require(try await keel.records.create("accounts", ["name": "杭州甲公司", "city": "杭州"], context: Self.ctx(org.a)).json["id"]?.stringValue)
            _ = try await keel.records.create("accounts", ["name": "杭州乙公司", "city": "杭州"], context: Self.ctx(org.a))
            let b1 = try #require(try await keel.records.create("accounts", ["name": "宁波丙公司", "city": "宁波", "phone": "13812345678"],
                                                                context: Self.ctx(org.b)).json["id"]?.stringValue)
            _ = try await keel.records.create("accounts", ["name": "服务部的客户"], context: Self.ctx(org.service))

            func names(_ p: Principal) async throws -> Set<String> {
                Set(try await keel.records.list("accounts", params: [], as: p).records.compactMap { $0.values["name"]?.stringValue })
            }
            #expect(try await names(org.a) == ["杭州甲公司", "杭州乙公司"])
            #expect(try await names(org.manager) == ["杭州甲公司", "杭州乙公司", "宁波丙公司"])
            #expect(try await names(org.admin).count == 4)
            // Counts, groups and search see only what the list sees.
            #expect(try await keel.records.count("accounts", params: [], as: org.a) == 2)
            #expect(try await keel.records.aggregate("accounts", groupBy: ["city"], params: [], as: org.a).map(\.count) == [2])
            #expect(try await keel.records.search("13812345678", as: org.a).isEmpty)
            #expect(try await keel.records.search("宁波", as: org.a).isEmpty)
            #expect(try await keel.records.search("13812345678", as: org.manager).count == 1)

            // Someone else's record does not exist for a member: reading, changing, deleting or its history.
            await Self.expectError(.notFound, "not_found") { _ = try await keel.records.get("accounts", id: b1, as: org.a) }
            await Self.expectError(.notFound, "not_found") {
                _ = try await keel.records.update("accounts", id: b1, ["city": "上海"], expectedVersion: nil, context: Self.ctx(org.a))
            }
            await Self.expectError(.notFound, "not_found") { try await keel.records.delete("accounts", id: b1, expectedVersion: nil, context: Self.ctx(org.a)) }
            await Self.expectError(.notFound, "not_found") { _ = try await keel.records.history("accounts", id: b1, as: org.a) }
            // Members edit but do not delete their own records; managers may.
            await Self.expectError(.forbidden, "forbidden") { try await keel.records.delete("accounts", id: a1, expectedVersion: nil, context: Self.ctx(org.a)) }
            _ = try await keel.records.update("accounts", id: b1, ["city": "上海"], expectedVersion: nil, context: Self.ctx(org.manager))
            try await keel.records.delete("accounts", id: a1, expectedVersion: nil, context: Self.ctx(org.manager))
            #expect(try await keel.records.get("accounts", id: b1, as: org.b).0.values["city"] == "上海")
            // A member cannot create a record for someone else to own (it would leave their reach).
            let before = try await keel.footprint()
            await Self.expectError(.forbidden, "forbidden") {
                _ = try await keel.records.create("accounts", ["name": "塞给别人的客户", "owner": .string(org.b.userID)], context: Self.ctx(org.a))
            }
            #expect(try await keel.footprint() == before)
        }
    }

    @Test(arguments: TestDatabase.all)
    func sensitiveFieldsAreMaskedInRecordsListsHistoryFiltersAndWrites(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let org = try await Org.make(keel)
            _ = try await keel.metadata.setSensitivity(object: "accounts", field: "legal_representative", ["sensitivity": 3], as: org.admin)
            // The member may not set it on a new record either; her manager may, on a record of hers.
            await Self.expectError(.forbidden, "field_forbidden") {
                _ = try await keel.records.create("accounts", ["name": "杭州乙公司", "legal_representative": "牛某"], context: Self.ctx(org.a))
            }
            let id = try #require(try await keel.records.create("accounts", ["name": "杭州甲公司", "legal_representative": "马某", "owner": .string(org.a.userID)],
                                                                context: Self.ctx(org.manager)).json["id"]?.stringValue)
            let (mine, _) = try await keel.records.get("accounts", id: id, as: org.a)
            #expect(mine.masked == ["legal_representative"] && mine.values["legal_representative"] == nil)
            #expect(mine.json(object: StandardObjects.account)["_masked"] == ["legal_representative"])
            #expect(try await keel.records.list("accounts", params: [], as: org.a).records.first?.masked == ["legal_representative"])
            let entry = try #require(try await keel.records.history("accounts", id: id, as: org.a).first { $0.field == "legal_representative" })
            #expect(entry.masked && entry.newValue == .null)
            // Filtering or sorting by it would reveal it.
            await Self.expectError(.forbidden, "field_forbidden") {
                _ = try await keel.records.list("accounts", params: [("filter[legal_representative][eq]", "马某")], as: org.a)
            }
            await Self.expectError(.forbidden, "field_forbidden") { _ = try await keel.records.list("accounts", params: [("sort", "legal_representative")], as: org.a) }
            // Nor may the member write it; nothing is written.
            await Self.expectError(.forbidden, "field_forbidden") {
                _ = try await keel.records.update("accounts", id: id, ["legal_representative": "别人", "city": "杭州"], expectedVersion: nil, context: Self.ctx(org.a))
            }
            #expect(try await keel.records.get("accounts", id: id, as: org.manager).0.values["legal_representative"] == "马某")
            #expect(try await keel.records.get("accounts", id: id, as: org.manager).0.values["city"] == .null)
            // The change of level is in the audit log.
            let audit = try await keel.access.auditEntries(actor: nil, action: "sensitivity_change", recordID: nil, before: nil, limit: 10, by: org.admin)
            #expect(audit.first?.detail["field"] == "legal_representative" && audit.first?.detail["to"] == 3)
        }
    }
}

@Suite struct PermissionHealthTests {
    @Test(arguments: TestDatabase.all)
    func theScanFindsOverAuthorisationIslandsZombiesAndUnusedPermits(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let org = try await AccessControlTests.Org.make(keel)
            // The defaults, with this organisation, are healthy.
            let initial = try await keel.access.healthScan(by: org.admin)
            #expect(initial.isEmpty, "\(initial.map(\.message))")
            await AccessControlTests.expectError(.forbidden, "forbidden") { _ = try await keel.access.healthScan(by: org.a) }

            let document = try await keel.access.policies().json
            var policies = document["policies"]?.arrayValue ?? []
            policies.append(["id": "everyone-exports", "effect": "permit", "actions": ["export"], "objects": ["accounts"]])
            policies.append(["id": "for-the-ceo", "effect": "permit", "actions": ["read"], "objects": "*",
                             "when": ["attr": "user.email", "op": "eq", "value": "ceo@example.com"]])
            var expectations = document["expectations"]?.arrayValue ?? []
            expectations.append(["id": "service-reads-leads", "who": ["attr": "user.department", "op": "eq", "value": .string(org.serviceDept.id)],
                                 "must": ["read"], "objects": ["leads"]])
            _ = try await keel.access.save(["policies": .array(policies), "expectations": .array(expectations)], by: org.admin)
            try await keel.database.write { db in
                try await db.raw("UPDATE users SET last_active_at = '2026-01-01T00:00:00Z', created_at = '2025-01-01T00:00:00Z' WHERE id = \(bind: org.b.userID)").run()
            }
            let findings = try await keel.access.healthScan(by: org.admin, now: ValueFormats.parseDateTime("2026-11-22T00:00:00Z")!)
            let over = findings.filter { $0.kind == .overAuthorised }
            #expect(Set(over.compactMap(\.user?.email)) == ["a@example.com", "b@example.com", "s@example.com"])
            #expect(over.allSatisfy { $0.action == .export && $0.objects == ["accounts"] && $0.policies == ["everyone-exports"] })
            // Members read the leads they own: the service department is no island yet.
            #expect(findings.filter { $0.kind == .island }.isEmpty)
            #expect(findings.filter { $0.kind == .zombie }.compactMap(\.user?.email) == ["b@example.com"])
            #expect(findings.filter { $0.kind == .unusedPolicy }.flatMap(\.policies) == ["for-the-ceo"])

            policies.append(["id": "service-sees-no-leads", "effect": "forbid", "actions": ["read"], "objects": ["leads"],
                             "when": ["attr": "user.department", "op": "eq", "value": .string(org.serviceDept.id)]])
            _ = try await keel.access.save(["policies": .array(policies), "expectations": .array(expectations)], by: org.admin)
            let islands = try await keel.access.healthScan(by: org.admin).filter { $0.kind == .island }
            #expect(islands.map { "\($0.user?.email ?? "") \($0.action?.rawValue ?? "") \($0.objects)" } == [#"s@example.com read ["leads"]"#])
        }
    }
}

@Suite struct PolicyVersionTests {
    @Test(arguments: TestDatabase.all)
    func concurrentSavesGetConsecutiveVersions(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let document = PolicySet.defaultDocument
            async let first = keel.access.save(document, by: admin)
            async let second = keel.access.save(document, by: admin)
            let versions = try await [first.version, second.version].sorted()
            #expect(versions == [1, 2])
            #expect(try await keel.access.policies().version == 2)
        }
    }
}
