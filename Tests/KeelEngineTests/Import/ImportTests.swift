import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Synchronization
import Testing

/// An import writes each row as a typed record would be written, reports each row's fate, and can be taken back.
@Suite struct ImportTests {
    func csv(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("import-\(UUID().uuidString).csv").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// Two companies imported into accounts, the import done.
    func twoCompanies(_ keel: Keel, as admin: Principal) async throws -> ImportJob {
        let job = try await keel.imports.start(path: try csv("客户名称,城市\n甲有限公司,深圳市\n乙有限公司,杭州市\n"), filename: "a.csv",
                                               plan: ImportPlan(object: "accounts"), dryRun: false, as: admin)
        return try await keel.imports.run(job.id)
    }

    static let sheet = """
        客户名称,电话,城市,负责人
        深圳市腾达科技有限公司,0755-86007777,深圳市,
        杭州云帆网络有限公司,13800138000,杭州市,rep@example.com
        坏电话公司,12345,,
        杭州云帆网络有限公司,13800138000,,
        多一列公司,13900139000,,,多余
        无名负责人公司,13700137000,,nobody@example.com

        """

    @Test(arguments: TestDatabase.all)
    func rowsGoThroughTheRecordServiceAndTheImportIsTakenBack(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            let rep = try await keel.makeUser("rep@example.com", role: .member)
            let existing = try await keel.records.create("accounts", ["name": "深圳市腾达科技有限公司", "phone": "0755-86001234"],
                                                         context: WriteContext(principal: admin, source: .web)).json
            let existingID = try #require(existing["id"]?.stringValue)
            let path = try csv(Self.sheet)
            let job = try await keel.imports.start(path: path, filename: "客户.csv", plan: ImportPlan(object: "accounts", onDuplicate: .merge), dryRun: false, as: admin)
            // The headers were recognised without a mapping.
            #expect(job.plan.columns == ["客户名称": "name", "电话": "phone", "城市": "city", "负责人": "owner"])
            #expect(job.totalRows == 6)
            let done = try await keel.imports.run(job.id)
            #expect(done.status == .done && done.summary == "created 1, updated 0, merged 1, skipped 1, failed 3")
            let rows = try await keel.imports.rows(job.id, as: admin)
            #expect(rows.map(\.outcome) == [.merged, .created, .failed, .skipped, .failed, .failed])
            // The existing company took the new number as another phone and the city it lacked; its own phone stayed.
            let (merged, _) = try await keel.records.get("accounts", id: existingID, as: admin)
            #expect(merged.value("phone") == "0755-86001234" && merged.value("other_phones") == "0755-86007777" && merged.value("city") == "深圳市")
            #expect(rows[0].recordID == existingID && rows[0].changes["city"] == [.null, "深圳市"])
            // The new company belongs to the rep named by e-mail; the row repeating it in the file found it and had nothing new.
            let createdID = try #require(rows[1].recordID)
            let (created, _) = try await keel.records.get("accounts", id: createdID, as: admin)
            #expect(created.value("owner") == .string(rep.userID) && rows[3].matchedID == createdID)
            // Each failure names the row's column, cell and reason.
            #expect(rows[2].problems.map { [$0.column, $0.value, $0.code] } == [["电话", "12345", "invalid_phone"]])
            #expect(rows[4].problems.map(\.code) == ["ragged_row"])
            #expect(rows[5].problems.map { [$0.column, $0.value, $0.code] } == [["负责人", "nobody@example.com", "unknown_user"]])
            // History says the import wrote it.
            #expect(try await keel.records.history("accounts", id: createdID, as: admin).allSatisfy { $0.source == "import" })

            // Taken back: the created company is gone, the merged one is as it was — and that too is history.
            let reverted = try await keel.imports.revert(job.id, as: admin)
            #expect(reverted.status == .reverted && reverted.revertReport?["deleted"] == 1 && reverted.revertReport?["restored"] == 1)
            await #expect(throws: KeelError.self) { _ = try await keel.records.get("accounts", id: createdID, as: admin) }
            let (restored, _) = try await keel.records.get("accounts", id: existingID, as: admin)
            #expect(restored.value("other_phones") == .null && restored.value("city") == .null && restored.value("phone") == "0755-86001234")
            #expect(try await keel.records.history("accounts", id: existingID, as: admin).contains { $0.source == "import" && $0.field == "city" && $0.newValue == .null })
            let again = await #expect(throws: KeelError.self) { _ = try await keel.imports.revert(job.id, as: admin) }
            #expect(again?.code == "import_not_revertible")
            // Someone else's import is not the rep's to see or take back.
            await #expect(throws: KeelError.self) { _ = try await keel.imports.job(job.id, as: rep) }
        }
    }

    @Test(arguments: TestDatabase.all)
    func duplicatePoliciesAndADryRun(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            let ctx = WriteContext(principal: admin, source: .web)
            let id = try #require(try await keel.records.create("accounts", ["name": "杭州云帆网络有限公司", "city": "杭州市"], context: ctx).json["id"]?.stringValue)
            let path = try csv("客户名称,城市,地址\n杭州云帆网络有限公司,滨江区,文三路 90 号\n")
            func run(_ plan: ImportPlan, dryRun: Bool = false) async throws -> (ImportJob, ImportRowResult) {
                let job = try await keel.imports.run(try await keel.imports.start(path: path, filename: "a.csv", plan: plan, dryRun: dryRun, as: admin).id)
                return (job, try #require(try await keel.imports.rows(job.id, as: admin).first))
            }
            // A dry run reports what would happen and writes nothing.
            let (dry, dryRow) = try await run(ImportPlan(object: "accounts", onDuplicate: .update), dryRun: true)
            #expect(dry.status == .done && dryRow.outcome == .updated)
            #expect(try await keel.records.get("accounts", id: id, as: admin).0.value("address") == .null)
            #expect(await (try? keel.imports.revert(dry.id, as: admin)) == nil)
            // Skip leaves it; fill writes only the empty address; overwrite writes the city too.
            #expect(try await run(ImportPlan(object: "accounts", onDuplicate: .skip)).1.outcome == .skipped)
            let (_, filled) = try await run(ImportPlan(object: "accounts", onDuplicate: .update, update: .fill))
            #expect(filled.outcome == .updated && Set(filled.changes.keys) == ["address"])
            let (_, overwritten) = try await run(ImportPlan(object: "accounts", onDuplicate: .update, update: .overwrite))
            #expect(overwritten.outcome == .updated && Set(overwritten.changes.keys) == ["city"])
            // Create anyway makes a second record.
            let (_, anyway) = try await run(ImportPlan(object: "accounts", onDuplicate: .create))
            #expect(anyway.outcome == .created && anyway.recordID != id)
        }
    }

    /// A row can fail after its record and history were written (here: its next step's task breaks a rule). Nothing of
    /// the row stays, the rows around it do, and the history chain still holds — the batch's writes are held back and
    /// written many rows per statement, so this is the case where getting it wrong would show.
    @Test(arguments: TestDatabase.all)
    func aRowFailingLateLeavesNothingAndHistoryStaysChained(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            _ = try await keel.metadata.addValidationRule(to: "tasks", ["name": "no_forbidden", "expression": "subject = \"禁止\"",
                                                                         "message": "不能安排这个任务"], as: admin)
            let sheet = """
                主题,类型,内容,下一步,下一步时间
                拜访甲公司,visit,谈了报价,回访,2026-12-05 10:00
                拜访乙公司,visit,谈了合同,禁止,2026-12-06 10:00
                拜访丙公司,visit,谈了交付,送样,2026-12-07 10:00

                """
            let plan = ImportPlan(object: "activities", columns: ["主题": "subject", "类型": "type", "内容": "body", "下一步": "next_step",
                                                                  "下一步时间": "next_step_due"])
            let job = try await keel.imports.run(try await keel.imports.start(path: try csv(sheet), filename: "a.csv", plan: plan, dryRun: false, as: admin).id)
            let rows = try await keel.imports.rows(job.id, as: admin)
            #expect(rows.map(\.outcome) == [.created, .failed, .created])
            #expect(rows[1].problems.map(\.message) == ["不能安排这个任务"])
            let activities = try await keel.records.list("activities", params: [], as: admin).records.compactMap { $0.value("subject").stringValue }
            #expect(Set(activities) == ["拜访甲公司", "拜访丙公司"])
            let tasks = try await keel.records.list("tasks", params: [], as: admin).records.compactMap { $0.value("subject").stringValue }
            #expect(Set(tasks) == ["回访", "送样"])
            #expect(try await AuditVerifier(database: keel.database).verify().ok)
        }
    }

    /// A dry run rolls each batch back, yet a row repeating one of an earlier batch is reported as the real run then
    /// treats it: the dry run's report is the real run's.
    @Test(arguments: TestDatabase.all)
    func aDryRunFindsRepeatsAcrossBatchesAsTheRealRunDoes(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            let trade = Array("华腾云帆海天金鼎瑞丰恒达宏远博雅卓越鸿运凯盛嘉禾德信")
            var lines = ["客户名称,地址,电话"]
            for i in 0..<(Imports.batchSize + 50) {
                lines.append("\(["深圳市", "杭州", "宁波市", "苏州"][i % 4])\(trade[i % trade.count])\(trade[(i / trade.count) % trade.count])\(i)号科技有限公司,科技路 \(i) 号,")
            }
            lines.append(lines[1])                                    // the first company again, as it was
            lines.append(lines[2].replacingOccurrences(of: "科技路 1 号,", with: "新港路 8 号,0755-86001234"))  // the second: moved, and its phone
            lines.append(lines[3] + "12345")                          // the third with a phone that is no number: it fails
            let path = try csv(lines.joined(separator: "\n") + "\n")
            func run(dry: Bool, _ policy: DuplicatePolicy) async throws -> [ImportRowResult] {
                let job = try await keel.imports.start(path: path, filename: "a.csv", plan: ImportPlan(object: "accounts", onDuplicate: policy), dryRun: dry, as: admin)
                return try await keel.imports.rows(try await keel.imports.run(job.id).id, limit: Imports.batchSize * 2, as: admin)
            }
            let dry = try await run(dry: true, .merge)
            #expect(try await keel.records.count("accounts", params: [], as: admin) == 0)
            let last = dry.suffix(3).map(\.outcome)
            #expect(last == [.skipped, .merged, .failed], "\(last)")
            #expect(dry[dry.count - 3].matchedID == dry[0].recordID && dry[dry.count - 2].matchedID == dry[1].recordID)
            // Merged: the phone fills the empty field; the address the record has stays.
            #expect(dry[dry.count - 2].changes.keys.sorted() == ["phone"])
            let real = try await run(dry: false, .merge)
            #expect(real[real.count - 2].changes == dry[dry.count - 2].changes)
            // The same with skip, after the import is taken back.
            let taken = try await keel.imports.jobs(as: admin).first { !$0.dryRun }
            _ = try await keel.imports.revert(try #require(taken).id, as: admin)
            let drySkip = try await run(dry: true, .skip), realSkip = try await run(dry: false, .skip)
            #expect(drySkip.suffix(3).map(\.outcome) == [.skipped, .skipped, .failed])
            for (a, b) in [(real, dry), (realSkip, drySkip)] {
                let differ = zip(a, b).filter { $0.outcome != $1.outcome }.map { "row \($0.row): real \($0.outcome) dry \($1.outcome)" }
                #expect(differ.isEmpty, "\(differ)")
            }
        }
    }

    /// Taking an import back runs in the background; one left half-way (the server stopped) goes on when the worker
    /// starts again.
    @Test(arguments: TestDatabase.all)
    func aRevertLeftUnfinishedGoesOnWhenTheWorkerStarts(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            let job = try await twoCompanies(keel, as: admin)
            let marked = try await keel.imports.beginRevert(job.id, as: admin)
            #expect(marked.status == .reverting && marked.revertedBy == admin.userID)
            // Asked twice: refused, nothing done twice.
            await #expect(throws: KeelError.self) { _ = try await keel.imports.beginRevert(job.id, as: admin) }
            #expect(try await keel.records.count("accounts", params: [], as: admin) == 2)
            let worker = Task { await keel.imports.work() }
            defer { worker.cancel() }
            var status = ImportJob.Status.reverting
            for _ in 0..<200 where status == .reverting {
                try await Task.sleep(for: .milliseconds(25))
                status = try await keel.imports.job(job.id, as: admin).status
            }
            #expect(status == .reverted)
            #expect(try await keel.records.count("accounts", params: [], as: admin) == 0)
            #expect(try await keel.imports.job(job.id, as: admin).revertReport?["deleted"] == 2)
        }
    }

    /// A revert the database fails half-way (not a row's problem) is not left "being taken back" until the next start:
    /// the worker tries it again, and it goes on.
    @Test(arguments: TestDatabase.all)
    func aRevertThatFailsIsTriedAgain(_ db: TestDatabase) async throws {
        struct Interrupted: Error {}
        let armed = Mutex(false)
        try await db.withKeel(afterStep: { step in
            if step == .writeRow, armed.withLock({ let was = $0; $0 = false; return was }) { throw Interrupted() }
        }) { keel in
            let admin = try await keel.makeUser()
            let job = try await twoCompanies(keel, as: admin)
            let worker = Task { await keel.imports.work() }
            defer { worker.cancel() }
            armed.withLock { $0 = true }
            _ = try await keel.imports.beginRevert(job.id, as: admin)
            keel.imports.enqueueRevert(job.id)
            var status = ImportJob.Status.reverting
            for _ in 0..<400 where status == .reverting {
                try await Task.sleep(for: .milliseconds(25))
                status = try await keel.imports.job(job.id, as: admin).status
            }
            #expect(armed.withLock { $0 } == false)
            #expect(status == .reverted)
            #expect(try await keel.records.count("accounts", params: [], as: admin) == 0)
            #expect(try await keel.imports.job(job.id, as: admin).revertReport?["deleted"] == 2)
        }
    }

    @Test(arguments: TestDatabase.all)
    func aBadMappingOrFileStartsNothing(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            let accounts = try await keel.metadata.catalog().require("accounts")
            let bad = await #expect(throws: KeelError.self) {
                _ = try ImportPlan.parse(["columns": ["客户名称": "nope"], "onDuplicate": "replace", "colour": "red"], object: accounts)
            }
            #expect(Set(bad?.violations.map(\.field) ?? []) == ["columns.客户名称", "onDuplicate", "colour"])
            let unmapped = await #expect(throws: KeelError.self) {
                _ = try await keel.imports.start(path: try csv("甲,乙\n1,2\n"), filename: "x.csv", plan: ImportPlan(object: "accounts"), dryRun: false, as: admin)
            }
            #expect(unmapped?.code == "no_columns_mapped")
            let broken = await #expect(throws: KeelError.self) {
                _ = try await keel.imports.start(path: try csv("客户名称\n\"甲\n"), filename: "x.csv", plan: ImportPlan(object: "accounts"), dryRun: false, as: admin)
            }
            #expect(broken?.code == "unclosed_quote")
            #expect(try await keel.imports.jobs(as: admin).isEmpty)
        }
    }

    @Test(arguments: TestDatabase.all)
    func whatSomeoneChangedSinceIsKeptWhenTheImportIsTakenBack(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            let job = try await twoCompanies(keel, as: admin)
            let rows = try await keel.imports.rows(job.id, as: admin)
            let edited = try #require(rows[1].recordID)
            _ = try await keel.records.update("accounts", id: edited, ["city": "宁波市"], expectedVersion: nil, context: WriteContext(principal: admin, source: .web))
            let reverted = try await keel.imports.revert(job.id, as: admin)
            #expect(reverted.revertReport?["deleted"] == 1)
            #expect(reverted.revertReport?["kept"] == [["row": 3, "record": .string(edited), "reason": "changed_since"]])
            #expect(try await keel.records.get("accounts", id: edited, as: admin).0.value("city") == "宁波市")
        }
    }

    @Test(arguments: TestDatabase.all)
    func aSalesforceExportImportsWithoutAMapping(_ db: TestDatabase) async throws {
        try await db.withKeel { keel in
            let admin = try await keel.makeUser()
            let account = try #require(try await keel.records.create("accounts", ["name": "深圳市腾达科技有限公司"], context: WriteContext(principal: admin, source: .web))
                .json["id"]?.stringValue)
            let export = "Id,FirstName,LastName,Email,MobilePhone,Account Name,LeadSource\n003A,伟,张,zhang.wei@tengda.cn,13800138000,深圳市腾达科技有限公司,Web\n"
                + "003B,John,Smith,john@example.com,,深圳市腾达科技有限公司,Partner\n"
            let job = try await keel.imports.start(path: try csv(export), filename: "contacts.csv", plan: ImportPlan(object: "contacts", preset: .salesforce),
                                                   dryRun: false, as: admin)
            #expect(job.plan.columns == ["Id": "", "FirstName": "name", "LastName": "name", "Email": "email", "MobilePhone": "mobile",
                                         "Account Name": "account", "LeadSource": ""])
            let done = try await keel.imports.run(job.id)
            let results = try await keel.imports.rows(job.id, as: admin)
            #expect(done.summary == "created 2, updated 0, merged 0, skipped 0, failed 0", "\(results)")
            let contacts = try await keel.records.list("contacts", params: [("sort", "name")], as: admin).records
            #expect(Set(contacts.map { $0.value("name") }) == ["张伟", "John Smith"])
            #expect(contacts.allSatisfy { $0.value("account") == .string(account) })
        }
    }
}
