import Foundation
import HTTPTypes
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Testing

/// Cleaning what is already there: a batch run over accounts written before duplicate prevention existed finds the
/// issue's seeds as one cluster with evidence; the queue merges it or remembers "not duplicates".
@Suite struct DedupAPITests {
    /// Accounts as a legacy system left them: one company four ways, plus other companies.
    static let legacy: [[String: JSONValue]] = [
        ["name": "腾讯科技(深圳)有限公司", "phone": "0755-86013388", "city": "深圳"],
        ["name": "腾讯深圳总部", "phone": "0755 8601 3388"],
        ["name": "Tecent Shenzhen", "phone": "+86 755 8601 3388"],
        ["name": "腾讯-大客户部", "phone": "075586013388"],
        ["name": "百度在线网络技术(北京)有限公司", "phone": "010-59928888"],
        ["name": "阿里巴巴(中国)有限公司", "phone": "0571-85022088"],
        ["name": "华为技术有限公司", "phone": "0755-28780808"],
        ["name": "小米科技有限责任公司", "phone": "010-60606666"],
        ["name": "北京京东世纪贸易有限公司", "phone": "400-606-5500"],
        ["name": "北京三快在线科技有限公司", "phone": "010-50903599"],
        ["name": "网易(杭州)网络有限公司", "phone": "0571-89852163"],
        ["name": "比亚迪股份有限公司", "phone": "0755-89888888"],
        ["name": "青岛海尔股份有限公司", "phone": "0532-88931670"],
        ["name": "珠海格力电器股份有限公司", "phone": "0756-8669999"],
        ["name": "上海联影医疗科技股份有限公司", "phone": "021-67076666"],
        ["name": "深圳迈瑞生物医疗电子股份有限公司", "phone": "0755-81888998"],
        ["name": "杭州海康威视数字技术股份有限公司", "phone": "0571-88075998"],
        ["name": "科大讯飞股份有限公司", "phone": "0551-65331880"],
    ]

    static func seed(_ api: API) async throws -> [String] {
        let object = try await api.keel.metadata.catalog().require("accounts")
        let store = RecordStore(dialect: api.keel.database.dialect)
        let now = ValueFormats.formatDateTime(Date())
        var ids: [String] = []
        try await api.keel.database.write { db in
            for values in legacy {
                let record = Record(object: "accounts", id: RecordID.make(), version: 1, createdAt: now, updatedAt: now, createdBy: nil, updatedBy: nil, values: values)
                try await store.insert(record, object: object, on: db)
                ids.append(record.id)
            }
        }
        try await api.keel.records.reindexDuplicates()
        return ids
    }

    static func runAndWait(_ api: API) async throws -> JSONValue {
        let started = try await api.send(.post, "/api/v1/accounts/dedup-runs")
        #expect(started.status == .accepted && started.body["status"] == "queued")
        try await api.keel.settle()
        return try await api.send(.get, "/api/v1/accounts/dedup-runs/\(started.body["id"]?.stringValue ?? "")").body
    }

    @Test(arguments: TestDatabase.all)
    func aRunFindsTheSeedsAndTheQueueMergesThem(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let ids = try await Self.seed(api)
            let run = try await Self.runAndWait(api)
            #expect(run["status"] == "done" && run["phase"] == "done" && run["done"] == 18 && run["total"] == 18)
            #expect(run["stats"]?["records"] == 18 && run["stats"]?["clusters"] == 1)
            #expect(run["stats"]?["duplicateRate"] == 0.1667)   // 3 of 18 records are duplicates

            let queue = try await api.send(.get, "/api/v1/accounts/duplicate-clusters").body
            #expect(queue["open"] == 1)
            let cluster = try #require(queue["data"]?[0])
            #expect(Set(cluster["records"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []) == Set(ids.prefix(4)))
            #expect((cluster["score"]?.numberValue ?? 0) >= 0.9)
            let evidence = cluster["evidence"]?.arrayValue?.first?["fields"]?.arrayValue ?? []
            #expect(evidence.contains { $0["field"] == "phone" && $0["match"] == "same" })

            let merged = try await api.send(.post, "/api/v1/accounts/duplicate-clusters/\(cluster["id"]?.stringValue ?? "")/merge", json: ["survivor": .string(ids[0])])
            #expect(merged.status == .ok, "\(merged.body)")
            #expect(merged.body["record"]?["name"] == "腾讯科技(深圳)有限公司" && merged.body["record"]?["city"] == "深圳")
            #expect(try await api.keel.footprint()[0] == 15)
            #expect(try await api.send(.post, "/api/v1/accounts/duplicate-clusters/\(cluster["id"]?.stringValue ?? "")/merge", json: [:]).body.errorCode == "cluster_decided")
            #expect(try await api.send(.get, "/api/v1/accounts/duplicate-clusters").body["open"] == 0)
            // The merge is an ordinary one: it can be undone from the survivor.
            let mergeID = try #require(merged.body["merge"]?["id"]?.stringValue)
            #expect(try await api.send(.post, "/api/v1/accounts/merges/\(mergeID)/undo").status == .ok)
            #expect(try await api.keel.footprint()[0] == 18)
        }
    }

    @Test(arguments: TestDatabase.all)
    func notDuplicatesIsRememberedAndBadRequestsAreRefused(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            _ = try await Self.seed(api)
            _ = try await Self.runAndWait(api)
            let cluster = try #require(try await api.send(.get, "/api/v1/accounts/duplicate-clusters").body["data"]?[0]?["id"]?.stringValue)
            #expect(try await api.send(.post, "/api/v1/accounts/duplicate-clusters/\(cluster)/distinct").status == .ok)
            #expect(try await api.send(.post, "/api/v1/accounts/duplicate-clusters/\(cluster)/distinct").body.errorCode == "cluster_decided")
            let again = try await Self.runAndWait(api)
            #expect(again["stats"]?["clusters"] == 1 && again["stats"]?["queued"] == 0)
            #expect(try await api.send(.get, "/api/v1/accounts/duplicate-clusters").body["open"] == 0)

            #expect(try await api.send(.post, "/api/v1/accounts/duplicate-clusters/nothing/merge", json: [:]).status == .notFound)
            #expect(try await api.send(.post, "/api/v1/contacts/duplicate-clusters/\(cluster)/distinct").status == .notFound)
            #expect(try await api.send(.post, "/api/v1/tasks/dedup-runs").body.errorCode == "no_identity")
            #expect(try await api.send(.post, "/api/v1/nothing/dedup-runs").status == .notFound)
            let paths = try await api.send(.get, "/api/v1/openapi.json", auth: .none).body["paths"]
            #expect(paths?["/api/v1/accounts/dedup-runs"]?["post"]?["responses"]?["202"] != nil)
            #expect(paths?["/api/v1/accounts/duplicate-clusters/{cluster}/distinct"]?["post"] != nil)
            let member = try await AccessAPITests.user(api, "m@example.com")
            #expect(try await api.send(.post, "/api/v1/accounts/dedup-runs", auth: .token(member.token)).status == .forbidden)
        }
    }
}
