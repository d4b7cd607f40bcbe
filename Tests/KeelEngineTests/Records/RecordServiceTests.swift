import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

@Suite struct RecordServiceTests {
    @Test(arguments: TestDatabase.all)
    func createNormalisesAndWritesHistoryAndOutbox(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let created = try await keel.records.create("accounts", [
                "name": "  深圳市腾讯计算机系统有限公司 ", "credit_code": "9144030071526726xg", "email": "Info@Tencent.COM",
                "website": "www.tencent.com", "phone": "0755-86013388转8888",
            ], context: ctx)
            let id = try #require(created.json["id"]?.stringValue)
            let (record, _) = try await keel.records.get("accounts", id: id, as: admin)
            #expect(record.values["name"] == "深圳市腾讯计算机系统有限公司")
            #expect(record.values["credit_code"] == "9144030071526726XG")
            #expect(record.values["email"] == "info@tencent.com")
            #expect(record.values["website"] == "https://www.tencent.com")
            #expect(record.version == 1)
            #expect(record.createdBy == admin.userID)

            let history = try await keel.records.history("accounts", id: id, as: admin)
            #expect(record.values["owner"] == .string(admin.userID))
            #expect(record.values["phone_e164"] == "+8675586013388" && record.values["phone_extension"] == "8888")
            #expect(Set(history.map(\.field)) == ["name", "credit_code", "email", "website", "phone", "phone_e164", "phone_extension", "owner"])
            #expect(history.allSatisfy { $0.operation == "create" && $0.oldValue == .null && $0.actor == admin.userID && $0.source == "api" })
            let events = try await keel.database.read { try await JournalStore(dialect: keel.database.dialect).pendingEvents(limit: 10, on: $0) }
            #expect(events.count == 1)
            #expect(events.first?.recordID == id)
            #expect(Set(events.first?.changedFields ?? []) == Set(history.map(\.field)))
        }
    }

    @Test(arguments: TestDatabase.all)
    func validationReportsEveryViolationAndWritesNothing(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let before = try await keel.footprint()
            let error = await #expect(throws: KeelError.self) {
                try await keel.records.create("accounts", [
                    "credit_code": "91110000600037341X", "phone": "call me", "size": "huge", "website": 42,
                    "owner": .string(RecordID.make()), "colour": "red", "name": .string(String(repeating: "长", count: 256)),
                ], context: WriteContext(principal: admin, source: .api))
            }
            #expect(error?.kind == .unprocessable)
            let codes = Dictionary(uniqueKeysWithValues: (error?.violations ?? []).map { ($0.field, $0.code) })
            #expect(codes == [
                "credit_code": "invalid_check_digit", "phone": "invalid_phone", "size": "invalid_option", "website": "invalid_type",
                "colour": "unknown_field", "name": "too_long", "owner": "reference_not_found",
            ])
            #expect(try await keel.footprint() == before)

            let missing = await #expect(throws: KeelError.self) {
                try await keel.records.create("accounts", ["owner": .string(RecordID.make()), "name": "有效名称"],
                                              context: WriteContext(principal: admin, source: .api))
            }
            #expect(missing?.violations.map(\.code) == ["reference_not_found"])
            #expect(try await keel.footprint() == before)
        }
    }

    static let stepCases: [(TestDatabase, WriteStep)] = TestDatabase.all.flatMap { db in WriteStep.allCases.map { (db, $0) } }

    @Test(arguments: stepCases)
    func aFailureAtAnyStepLeavesNothingWritten(_ database: TestDatabase, failing step: WriteStep) async throws {
        struct InjectedFailure: Error {}
        let armed = ArmedStep()
        try await database.withKeel(afterStep: { current in if armed.step == current { throw InjectedFailure() } }) { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let id = try #require(try await keel.records.create("accounts", ["name": "原始名称"], context: ctx).json["id"]?.stringValue)
            let before = try await keel.footprint()
            armed.step = step

            await #expect(throws: InjectedFailure.self) {
                try await keel.records.create("accounts", ["name": "新公司", "industry": "制造业"], context: ctx)
            }
            await #expect(throws: InjectedFailure.self) {
                try await keel.records.update("accounts", id: id, ["name": "改过的名称"], expectedVersion: 1, context: ctx)
            }
            await #expect(throws: InjectedFailure.self) {
                try await keel.records.delete("accounts", id: id, expectedVersion: nil, context: ctx)
            }
            await #expect(throws: InjectedFailure.self) {
                try await keel.records.createBatch("accounts", [["name": "甲"], ["name": "乙"]], context: ctx)
            }
            armed.step = nil
            #expect(try await keel.footprint() == before)
            let (record, _) = try await keel.records.get("accounts", id: id, as: admin)
            #expect(record.values["name"] == "原始名称")
            #expect(record.version == 1)
            #expect(try await AuditVerifier(database: keel.database).verify().ok)
        }
    }

    @Test(arguments: TestDatabase.all)
    func staleUpdatesAreRefusedAndNoOpUpdatesWriteNothing(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .web)
            let id = try #require(try await keel.records.create("opportunities", ["name": "ERP 项目", "amount": 120000.5], context: ctx).json["id"]?.stringValue)
            let updated = try await keel.records.update("opportunities", id: id, ["stage": "proposal", "amount": 150000], expectedVersion: 1, context: ctx)
            #expect(updated.version == 2)
            #expect(updated.values["amount"] == 150000)

            let before = try await keel.footprint(table: "opportunities")
            let stale = await #expect(throws: KeelError.self) {
                try await keel.records.update("opportunities", id: id, ["stage": "negotiation"], expectedVersion: 1, context: ctx)
            }
            #expect(stale?.kind == .conflict)
            let same = try await keel.records.update("opportunities", id: id, ["stage": "proposal"], expectedVersion: 2, context: ctx)
            #expect(same.version == 2)
            #expect(try await keel.footprint(table: "opportunities") == before)

            let history = try await keel.records.history("opportunities", id: id, as: admin)
            let stageChange = try #require(history.first { $0.operation == "update" && $0.field == "stage" })
            #expect(stageChange.oldValue == "prospecting")
            #expect(stageChange.newValue == "proposal")
            #expect(stageChange.source == "web")

            try await keel.records.delete("opportunities", id: id, expectedVersion: 2, context: ctx)
            await #expect(throws: KeelError.notFound("opportunities/\(id)")) { try await keel.records.get("opportunities", id: id, as: admin) }
            #expect(try await keel.records.history("opportunities", id: id, as: admin).contains { $0.operation == "delete" && $0.field == "amount" })
        }
    }

    @Test(arguments: TestDatabase.all)
    func idempotencyKeysReplayAndRefuseOtherBodies(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let key = IdempotencyKey(key: "k-1", requestHash: "hash-a")
            let first = try await keel.records.create("leads", ["name": "周先生"], context: ctx, idempotency: key)
            let again = try await keel.records.create("leads", ["name": "周先生"], context: ctx, idempotency: key)
            #expect(!first.replayed)
            #expect(again.replayed)
            #expect(again.json == first.json)
            let other = await #expect(throws: KeelError.self) {
                try await keel.records.create("leads", ["name": "吴女士"], context: ctx, idempotency: IdempotencyKey(key: "k-1", requestHash: "hash-b"))
            }
            #expect(other?.code == "idempotency_key_reused")
            #expect(try await keel.footprint(table: "leads")[0] == 1)
        }
    }

    @Test(arguments: TestDatabase.all)
    func auditVerifyDetectsTampering(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            for name in ["甲公司", "乙公司", "丙公司"] { _ = try await keel.records.create("accounts", ["name": .string(name)], context: ctx) }
            let verifier = AuditVerifier(database: keel.database)
            let intact = try await verifier.verify()
            #expect(intact.ok && intact.entries == 6)

            try await keel.database.write { db in
                try await db.raw("UPDATE field_history SET new_value = '\"丁公司\"' WHERE new_value = '\"乙公司\"'").run()
            }
            let report = try await verifier.verify()
            #expect(!report.ok)
            #expect(report.entries == 2)
            #expect(report.reason?.contains("altered") == true)
        }
    }
}

/// The step a test wants to fail, shared with the service's hook.
final class ArmedStep: @unchecked Sendable {
    private let lock = NSLock()
    private var _step: WriteStep?
    var step: WriteStep? {
        get { lock.withLock { _step } }
        set { lock.withLock { _step = newValue } }
    }
}

@Suite struct FormulaBackfillTests {
    /// A formula field added (or changed) later is filled in on the records that exist through the record service: a
    /// new version, a history entry of source formula and an outbox event per record, the hash chain intact.
    @Test(arguments: TestDatabase.all)
    func backfilledValuesHaveHistoryAndOutboxEvents(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .api)
            let deals = try await keel.records.createBatch("opportunities", [["name": "甲", "amount": 100], ["name": "乙", "amount": 200]], context: ctx)
            let before = try await keel.database.read { try await JournalStore(dialect: keel.database.dialect).pendingEvents(limit: 100, on: $0) }.count
            _ = try await keel.metadata.addField(to: "opportunities", ["name": "with_tax", "type": "formula", "expression": "amount * 1.13",
                                                                       "resultType": "number"], as: admin)
            for deal in deals {
                let (record, _) = try await keel.records.get("opportunities", id: deal.id, as: admin)
                // Exact: 100 × 1.13 is 113, not 112.99999999999999.
                let amount = deal.values["amount"]?.numberValue ?? 0, expected = amount * 113 / 100
                #expect(record.version == 2 && record.values["with_tax"] == .number(expected))
                let history = try await keel.records.history("opportunities", id: deal.id, as: admin)
                #expect(history.contains { $0.field == "with_tax" && $0.source == "formula" && $0.actor == admin.userID && $0.oldValue == .null })
            }
            let after = try await keel.database.read { try await JournalStore(dialect: keel.database.dialect).pendingEvents(limit: 100, on: $0) }
            #expect(after.count == before + 2 && after.suffix(2).allSatisfy { $0.changedFields == ["with_tax"] })
            _ = try await keel.metadata.changeFormula(object: "opportunities", field: "with_tax", expression: "amount * 1.06", as: admin)
            #expect(try await keel.records.get("opportunities", id: deals[0].id, as: admin).0.values["with_tax"] == 106)
            #expect(try await keel.records.history("opportunities", id: deals[0].id, as: admin).filter { $0.field == "with_tax" }.count == 2)
            #expect(try await AuditVerifier(database: keel.database).verify().ok)
        }
    }
}
