import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Testing

/// Merging in the browser: the duplicate notice folds a new record into the existing one; a record page lists its
/// possible duplicates, the merge page lets each field be chosen, and the survivor shows its former identities with
/// an undo.
@Suite struct WebMergeTests {
    static func id(_ location: String?) -> String {
        String((location ?? "").split(separator: "/")[2].prefix { $0 != "?" })
    }

    @Test func theDuplicateNoticeFoldsTheTypedValuesIntoTheExistingRecord() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let csrf = Browser.csrf(in: try await browser.get("/o/accounts/new").html)
            let first = try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "深圳市华大生物科技有限公司"), ("phone", "0755-86013388")])
            let id = Self.id(first.headers[.location])
            let typed = [("_csrf", csrf), ("name", "华大生物科技（深圳）有限公司"), ("phone", "(0755)36307888"), ("email", "info@bgi.example.cn")]
            let again = try await browser.post("/o/accounts", typed)
            #expect(again.status == .conflict)
            #expect(again.html.contains(#"formaction="/o/accounts/\#(id)/absorb""#) && again.html.contains("合并到已有记录"))
            // A value that cannot be kept brings the form back with what was typed, and changes nothing.
            let refused = try await browser.post("/o/accounts/\(id)/absorb", typed.map { $0.0 == "email" ? ("email", "info at bgi") : $0 })
            #expect(refused.status == .unprocessableContent && refused.html.contains(#"value="info at bgi""#) && refused.html.contains(#"aria-describedby="e-email""#))
            #expect(try await keel.records.get("accounts", id: id, as: browser.user).0.value("email") == .null)
            let folded = try await browser.post("/o/accounts/\(id)/absorb", typed)
            #expect(folded.headers[.location] == "/o/accounts/\(id)?merged=1")
            let page = try await browser.get("/o/accounts/\(id)?merged=1")
            #expect(page.html.contains("已合并。"))
            let (record, _) = try await keel.records.get("accounts", id: id, as: browser.user)
            #expect(record.value("name") == "深圳市华大生物科技有限公司" && record.value("phone") == "0755-86013388")
            #expect(record.value("email") == "info@bgi.example.cn" && record.value("other_phones") == "(0755)36307888")
            #expect(try await keel.footprint()[0] == 1)
        }
    }

    @Test func aRecordPageOffersItsDuplicatesTheMergePageChoosesAndTheSurvivorCanUndo() async throws {
        try await Browser.with { sales, keel in
            // Merging removes records: by default a manager's or admin's work.
            let browser = try await sales.signedInAdmin(keel)
            let csrf = Browser.csrf(in: try await browser.get("/o/accounts/new").html)
            let a = Self.id(try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "华强科技(深圳)有限公司"), ("industry", "电子")]).headers[.location])
            let b = Self.id(try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "北京华强科技有限公司"), ("city", "北京"),
                                                                 ("industry", "电子元器件")]).headers[.location])
            let page = try await browser.get("/o/accounts/\(a)")
            #expect(page.html.contains("疑似重复") && page.html.contains(#"<a href="/o/accounts/\#(a)/merge?with=\#(b)">合并</a>"#))

            let mergePage = try await browser.get("/o/accounts/\(a)/merge?with=\(b)")
            #expect(mergePage.status == .ok)
            // Only fields that differ are asked, preset by the rule: b has more filled in, so its values lead.
            #expect(mergePage.html.contains(#"name="choose_industry" value="\#(b)" checked"#))
            #expect(mergePage.html.contains(#"name="choose_name" value="\#(a)">"#))
            #expect(!mergePage.html.contains(#"name="choose_credit_code""#))
            let form = [("_csrf", Browser.csrf(in: mergePage.html)), ("with", b), ("v_\(a)", "1"), ("v_\(b)", "1"),
                        ("choose_industry", b), ("choose_name", a), ("choose_city", b)]
            // Someone edits b meanwhile: the page comes back with the reason and nothing is merged.
            let principal = browser.user
            _ = try await keel.records.update("accounts", id: b, ["address": "深南大道 6007 号"], expectedVersion: nil, context: WriteContext(principal: principal, source: .api))
            let stale = try await browser.post("/o/accounts/\(a)/merge", form)
            #expect(stale.status == .conflict && stale.html.contains("not 1"))
            #expect(try await keel.footprint()[0] == 2)

            let merged = try await browser.post("/o/accounts/\(a)/merge", form.map { $0.0 == "v_\(b)" ? ($0.0, "2") : $0 })
            #expect(merged.headers[.location] == "/o/accounts/\(a)?merged=1")
            let survivor = try await browser.get("/o/accounts/\(a)")
            #expect(survivor.html.contains("电子元器件") && survivor.html.contains("曾用身份") && survivor.html.contains("北京华强科技有限公司"))
            let undo = try #require(survivor.html.range(of: #"/o/accounts/merges/[0-9a-f-]+/undo"#, options: .regularExpression).map { String(survivor.html[$0]) })
            let undone = try await browser.post(undo, [("_csrf", Browser.csrf(in: survivor.html))])
            #expect(undone.headers[.location] == "/o/accounts/\(a)?unmerged=1")
            #expect(try await browser.get("/o/accounts/\(b)").html.contains("电子元器件"))
            let after = try await browser.get("/o/accounts/\(a)?unmerged=1")
            #expect(after.html.contains("已撤销合并。") && after.html.contains("已撤销于"))
            // Said apart by the undo: no longer offered as a duplicate.
            #expect(!after.html.contains(#"merge?with=\#(b)"#))
        }
    }

    @Test func theReviewPageRunsABatchShowsTheEvidenceAndMerges() async throws {
        try await Browser.with { sales, keel in
            let admin = try await sales.signedInAdmin(keel)
            let object = try await keel.metadata.catalog().require("accounts")
            let now = ValueFormats.formatDateTime(Date())
            var ids: [String] = []
            try await keel.database.write { db in
                for values in DedupAPITests.legacy {
                    let record = Record(object: "accounts", id: RecordID.make(), version: 1, createdAt: now, updatedAt: now, createdBy: nil, updatedBy: nil, values: values)
                    try await RecordStore(dialect: keel.database.dialect).insert(record, object: object, on: db)
                    ids.append(record.id)
                }
            }
            #expect(try await admin.get("/o/accounts").html.contains(#"href="/o/accounts/duplicates">查重</a>"#))
            let empty = try await admin.get("/o/accounts/duplicates")
            #expect(empty.html.contains("没有待处理的重复组") && empty.html.contains("开始查重"))
            #expect(try await admin.post("/o/accounts/duplicates/run", [("_csrf", Browser.csrf(in: empty.html))]).status == .seeOther)
            try await keel.settle()
            let page = try await admin.get("/o/accounts/duplicates")
            #expect(page.html.contains("已完成 · 检查记录 18 · 重复组 1 · 重复率 16.7%"))
            #expect(page.html.contains("电话: 相同") && page.html.contains("腾讯-大客户部"))
            let action = try #require(page.html.range(of: #"/o/accounts/duplicates/[0-9a-f-]+/merge"#, options: .regularExpression).map { String(page.html[$0]) })
            let merged = try await admin.post(action, [("_csrf", Browser.csrf(in: page.html)), ("survivor", ids[0])])
            #expect(merged.headers[.location] == "/o/accounts/\(ids[0])?merged=1")
            let survivor = try await admin.get("/o/accounts/\(ids[0])")
            #expect(survivor.html.contains("曾用身份") && survivor.html.contains("Tecent Shenzhen"))
            #expect(try await admin.get("/o/accounts/duplicates").html.contains("没有待处理的重复组"))
            // A salesperson sees the queue but cannot start a run, and is not offered merges (the merge permission is a manager's).
            var rep = sales
            try await rep.signIn("sales@example.com", "sales-password")
            #expect(!(try await rep.get("/o/accounts/duplicates").html.contains("开始查重")))
            let repOwn = Self.id(try await rep.post("/o/accounts", [("_csrf", Browser.csrf(in: try await rep.get("/o/accounts/new").html)),
                                                                   ("name", "华强科技(深圳)有限公司")]).headers[.location])
            let repOther = Self.id(try await rep.post("/o/accounts", [("_csrf", Browser.csrf(in: try await rep.get("/o/accounts/new").html)),
                                                                     ("name", "北京华强科技有限公司")]).headers[.location])
            let repPage = try await rep.get("/o/accounts/\(repOwn)")
            #expect(repPage.html.contains("疑似重复") && repPage.html.contains(#"href="/o/accounts/\#(repOther)""#) && !repPage.html.contains("merge?with="))
        }
    }
}
