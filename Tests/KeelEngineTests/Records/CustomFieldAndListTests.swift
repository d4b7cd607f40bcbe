import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

@Suite struct CustomFieldAndListTests {
    @Test(arguments: TestDatabase.all)
    func aNewCustomFieldIsFilterableAndSortableAtOnce(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            _ = try await keel.metadata.addField(to: "accounts", ["name": "beds", "type": "number", "labels": ["zh-CN": "床位数", "en": "Beds"]], as: admin)
            _ = try await keel.metadata.addField(to: "accounts", ["name": "grade", "type": "picklist", "options": ["三甲", "三乙", "二甲"]], as: admin)
            _ = try await keel.metadata.addField(to: "accounts", ["name": "tags", "type": "multi_picklist", "options": ["VIP", "政府", "外企"]], as: admin)
            _ = try await keel.metadata.addField(to: "accounts", ["name": "public_hospital", "type": "boolean"], as: admin)
            let rows: [[String: JSONValue]] = [
                ["name": "第一人民医院", "beds": 1200, "grade": "三甲", "tags": ["VIP", "政府"], "public_hospital": true],
                ["name": "和睦家医院", "beds": 300, "grade": "二甲", "tags": ["外企"], "public_hospital": false],
                ["name": "中医院", "beds": 800, "grade": "三甲", "public_hospital": true],
                ["name": "社区诊所"],
            ]
            _ = try await keel.records.createBatch("accounts", rows, context: ctx)
            func names(_ params: [(String, String)]) async throws -> [String] {
                try await keel.records.list("accounts", params: params, as: admin).records.compactMap { $0.values["name"]?.stringValue }
            }
            #expect(try await names([("filter[beds][gt]", "500"), ("sort", "-beds")]) == ["第一人民医院", "中医院"])
            #expect(try await names([("filter[grade][eq]", "三甲"), ("sort", "beds")]) == ["中医院", "第一人民医院"])
            #expect(try await names([("filter[tags][contains]", "政府")]) == ["第一人民医院"])
            #expect(try await names([("filter[public_hospital][eq]", "false")]) == ["和睦家医院"])
            #expect(try await names([("filter[beds][isNull]", "true")]) == ["社区诊所"])
            #expect(try await names([("filter[grade][in]", "二甲,三乙"), ("filter[beds][lte]", "300")]) == ["和睦家医院"])
            #expect(try await names([("filter[grade][neq]", "三甲"), ("sort", "name")]).count == 2)
            // Nulls sort last in both directions, on both databases.
            #expect(try await names([("sort", "beds")]) == ["和睦家医院", "中医院", "第一人民医院", "社区诊所"])
            #expect(try await names([("sort", "-beds")]) == ["第一人民医院", "中医院", "和睦家医院", "社区诊所"])
            #expect(try await names([("filter[name][contains]", "医院"), ("sort", "name")]).count == 3)
            #expect(try await names([("filter[name][startsWith]", "社区")]) == ["社区诊所"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func cursorPagesVisitEveryRecordOnce(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.metadata.addField(to: "leads", ["name": "rank", "type": "number"], as: admin)
            let rows: [[String: JSONValue]] = (0..<23).map { i in
                ["name": .string("线索\(i)"), "rank": i % 4 == 0 ? .null : JSONValue(i % 5)]
            }
            _ = try await keel.records.createBatch("leads", rows, context: WriteContext(principal: admin, source: .import))
            for sort in ["rank", "-rank", "name", "-created_at"] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    var params = [("sort", sort), ("limit", "4")]
                    if let cursor { params.append(("cursor", cursor)) }
                    let page = try await keel.records.list("leads", params: params, as: admin)
                    seen += page.records.map(\.id)
                    cursor = page.nextCursor
                } while cursor != nil
                #expect(seen.count == 23, "sort \(sort)")
                #expect(Set(seen).count == 23, "sort \(sort)")
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func customObjectsWorkLikeStandardOnes(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let object = try await keel.metadata.addObject([
                "name": "projects", "labels": ["zh-CN": "项目", "en": "Projects"],
                "fields": [["name": "budget", "type": "money"], ["name": "account", "type": "reference", "target": "accounts"],
                           ["name": "kickoff", "type": "date", "required": true]],
            ], as: admin)
            #expect(object.fields.map(\.name) == ["name", "owner", "budget", "account", "kickoff"])
            let account = try #require(try await keel.records.create("accounts", ["name": "某某集团"], context: ctx).json["id"]?.stringValue)
            let bad = await #expect(throws: KeelError.self) {
                try await keel.records.create("projects", ["name": "数据中台", "kickoff": "2026-02-30", "budget": 10.555], context: ctx)
            }
            #expect(Set(bad?.violations.map(\.code) ?? []) == ["invalid_format"])
            #expect(bad?.violations.count == 2)
            _ = try await keel.records.create("projects", ["name": "数据中台", "kickoff": "2026-03-01", "budget": 500000, "account": .string(account)], context: ctx)
            _ = try await keel.records.create("projects", ["name": "仓储升级", "kickoff": "2026-05-01", "budget": 90000], context: ctx)
            let page = try await keel.records.list("projects", params: [("filter[budget][gte]", "100000")], as: admin)
            #expect(page.records.map { $0.values["name"] } == ["数据中台"])
            #expect(try await keel.records.list("accounts", params: [], as: admin).records.count == 1)
            // A task may relate to a record of any object, custom ones included.
            let project = page.records[0].id
            _ = try await keel.records.create("tasks", ["subject": "启动会", "related_to": .string(project)], context: ctx)
            await #expect(throws: KeelError.self) {
                try await keel.records.create("tasks", ["subject": "启动会", "related_to": .string(RecordID.make())], context: ctx)
            }
        }
    }

    @Test(arguments: TestDatabase.all)
    func badFieldDefinitionsAreRefused(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let member = try await keel.makeUser("sales@example.com", role: .member)
            let collide = await #expect(throws: KeelError.self) { try await keel.metadata.addField(to: "accounts", ["name": "phone", "type": "text"], as: admin) }
            #expect(collide?.violations.map(\.code) == ["name_taken"])
            let reserved = await #expect(throws: KeelError.self) { try await keel.metadata.addField(to: "accounts", ["name": "version", "type": "text"], as: admin) }
            #expect(reserved?.violations.map(\.code) == ["reserved_name"])
            let several = await #expect(throws: KeelError.self) {
                try await keel.metadata.addField(to: "accounts", ["name": "Bad Name", "type": "colour", "options": []], as: admin)
            }
            #expect(Set(several?.violations.map(\.field) ?? []) == ["name", "type"])
            let noOptions = await #expect(throws: KeelError.self) { try await keel.metadata.addField(to: "accounts", ["name": "tier", "type": "picklist"], as: admin) }
            #expect(noOptions?.violations.map(\.field) == ["options"])
            let badTarget = await #expect(throws: KeelError.self) {
                try await keel.metadata.addField(to: "accounts", ["name": "partner", "type": "reference", "target": "planets"], as: admin)
            }
            #expect(badTarget?.violations.map(\.code) == ["unknown_target"])
            let forbidden = await #expect(throws: KeelError.self) { try await keel.metadata.addField(to: "accounts", ["name": "tier", "type": "text"], as: member) }
            #expect(forbidden?.kind == .forbidden)
            let standardName = await #expect(throws: KeelError.self) { try await keel.metadata.addObject(["name": "accounts"], as: admin) }
            #expect(standardName?.violations.map(\.code) == ["reserved_name"])
            // Nothing was added: the only custom fields are the built-in parts of the phone.
            #expect(try await keel.metadata.catalog().require("accounts").fields.filter(\.isCustom).map(\.name) == ["phone_e164", "phone_extension"])
        }
    }

    @Test(arguments: TestDatabase.all)
    func migrationsAreRecordedAndRunOnce(_ database: TestDatabase) async throws {
        try await database.withKeel { (keel: Keel) async throws in
            #expect(try await Migrator.appliedNames(keel.database) == Migrator.all.map(\.name))
            #expect(try await Migrator.migrate(keel.database).isEmpty)
        }
    }
}

@Suite struct IndexNameTests {
    /// PostgreSQL cuts identifiers at 63 bytes: two long field names of one long custom object once shared an index name,
    /// so the second field was never indexed. Each field gets an index of its own on both databases.
    @Test(arguments: TestDatabase.all)
    func longNamesGetAnIndexEach(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let object = "equipment_maintenance_contract_" + String(repeating: "x", count: 20)
            _ = try await keel.metadata.addObject(["name": .string(object), "labels": ["zh-CN": "设备维保合同", "en": "Maintenance contracts"]], as: admin)
            let long = "scheduled_preventive_maintenance_visit_count_"
            for suffix in ["first_half", "second_half"] {
                _ = try await keel.metadata.addField(to: object, ["name": .string(long + suffix), "type": "number"], as: admin)
            }
            let names = try await keel.database.read { db -> [String] in
                let sql: SQLQueryString = keel.database.dialect == .postgres
                    ? "SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'custom_records'"
                    : "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'custom_records'"
                return try await db.raw(sql).all().map { try $0.decode(column: "name", as: String.self) }
            }
            let mine = names.filter { $0.hasPrefix("ix_custom_records_equipment") }
            #expect(mine.count == 2, "\(names)")
            #expect(mine.allSatisfy { $0.utf8.count <= 63 })
            let ctx = WriteContext(principal: admin, source: .api)
            _ = try await keel.records.create(object, ["name": "一号楼空调", long + "first_half": 2, long + "second_half": 3], context: ctx)
            let found = try await keel.records.list(object, params: [("filter[\(long)second_half][eq]", "3")], as: admin).records
            #expect(found.count == 1)
        }
    }
}
