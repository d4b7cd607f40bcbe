import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The import pages as a rep uses them: upload a GBK sheet, check the suggested columns, dry-run, import for real, read
/// each failed row's reason in Chinese — and a file that is no table refused in words.
@Suite struct ImportPageTests {
    func upload(_ browser: Browser, csrf: String, object: String, filename: String, bytes: [UInt8], mapping: String = "") async throws -> Browser.Page {
        try await browser.upload("/imports/upload", [("_csrf", csrf), ("object", object), ("mapping", mapping)], filename: filename, bytes: bytes)
    }

    /// The import's page once it has finished.
    func finished(_ browser: Browser, _ location: String) async throws -> Browser.Page {
        for _ in 0..<200 {
            let page = try await browser.get(location)
            if !page.html.contains("data-reload") { return page }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("\(location) kept running")
        return try await browser.get(location)
    }

    @Test func aRepImportsAGbkSheetAfterADryRun() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let list = try await browser.get("/imports")
            #expect(list.status == .ok && list.html.contains("上传并匹配列") && list.html.contains("还没有导入。"))
            let csrf = Browser.csrf(in: list.html)
            // 客户名称,电话,城市 / a good row / a bad phone — as Chinese Excel saves it.
            let gbk: [UInt8] = [0xBF, 0xCD, 0xBB, 0xA7, 0xC3, 0xFB, 0xB3, 0xC6, 0x2C, 0xB5, 0xE7, 0xBB, 0xB0, 0x0D, 0x0A]
                + Array("Keel Test Co.,0755-86001234\r\nBad Phone Co.,12345\r\n".utf8)
            let mapping = try await upload(browser, csrf: csrf, object: "accounts", filename: "客户.csv", bytes: gbk)
            #expect(mapping.status == .ok && mapping.html.contains("匹配列 · 客户.csv") && mapping.html.contains("共 2 行 · 编码 GBK/GB18030"), "\(mapping.html)")
            // The headers were recognised: 客户名称 → name, 电话 → phone.
            #expect(mapping.html.contains(#"<option value="name" selected>"#) && mapping.html.contains(#"<option value="phone" selected>"#))
            let upload = try #require(mapping.html.range(of: #"name="upload" value=""#).map { String(mapping.html[$0.upperBound...].prefix { $0 != "\"" }) })
            let form = [("_csrf", csrf), ("upload", upload), ("object", "accounts"), ("filename", "客户.csv"), ("header.0", "客户名称"), ("column.0", "name"), ("header.1", "电话"), ("column.1", "phone"),
                        ("onDuplicate", "skip"), ("update", "overwrite"), ("encoding", "gb18030")]
            let dry = try await browser.post("/imports/start", form + [("action", "dry")])
            #expect(dry.status == .seeOther)
            let dryPage = try await finished(browser, try #require(dry.headers[.location]))
            #expect(dryPage.html.contains("试运行完成") && dryPage.html.contains("电话：手机号应为 11 位（现为 5 位）"), "\(dryPage.html)")
            #expect(try await keel.records.count("accounts", params: [], as: browser.user) == 0)
            // Imported for real with the same settings.
            let run = try await browser.post(try #require(dry.headers[.location]) + "/run", [("_csrf", csrf)])
            let done = try await finished(browser, try #require(run.headers[.location]))
            #expect(done.html.contains("已完成") && done.html.contains("<dt>新建</dt><dd>1</dd>") && done.html.contains("<dt>失败</dt><dd>1</dd>"), "\(done.html)")
            #expect(try await keel.records.count("accounts", params: [], as: browser.user) == 1)
            // A rep may not delete accounts, so the page says who can take it back instead of offering it.
            #expect(done.html.contains("请联系管理员撤销") && !done.html.contains("/revert"))
            let errors = try await browser.get(try #require(run.headers[.location]) + "/errors.csv")
            #expect(errors.html.contains("3,电话,12345,phone,invalid_phone,"))
        }
    }

    /// Each duplicate row is listed with what became of it and what it repeats: a customer already in Keel (linked), or
    /// an earlier row of the file — in a dry run, whose records were never written, by its row only.
    @Test func eachDuplicateRowIsListedWithWhatItRepeats() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let existing = try await keel.records.create("accounts", ["name": "深圳市腾飞软件有限公司", "phone": "0755-86001234"],
                                                         context: WriteContext(principal: browser.user, source: .api)).json["id"]?.stringValue ?? ""
            let csrf = Browser.csrf(in: try await browser.get("/imports").html)
            let sheet = "客户名称,电话\r\n腾飞软件（深圳）有限公司,0755-86001234\r\n杭州新星科技有限公司,0571-88886666\r\n新星科技（杭州）有限公司,0571-88886666\r\n"
            let mapping = try await upload(browser, csrf: csrf, object: "accounts", filename: "展会.csv", bytes: Array(sheet.utf8))
            let upload = try #require(mapping.html.range(of: #"name="upload" value=""#).map { String(mapping.html[$0.upperBound...].prefix { $0 != "\"" }) })
            let form = [("_csrf", csrf), ("upload", upload), ("object", "accounts"), ("filename", "展会.csv"), ("header.0", "客户名称"), ("column.0", "name"),
                        ("header.1", "电话"), ("column.1", "phone"), ("onDuplicate", "skip"), ("update", "fill")]
            let dry = try await browser.post("/imports/start", form + [("action", "dry")])
            let dryPage = try await finished(browser, try #require(dry.headers[.location]))
            #expect(dryPage.html.contains(#"<th scope="row">2</th><td>跳过</td><td><a href="/o/accounts/\#(existing)">深圳市腾飞软件有限公司</a></td><td>—</td>"#)
                    && dryPage.html.contains(#"<th scope="row">4</th><td>跳过</td><td>文件第 3 行</td><td>—</td>"#), "\(dryPage.html)")
            let run = try await browser.post(try #require(dry.headers[.location]) + "/run", [("_csrf", csrf)])
            let done = try await finished(browser, try #require(run.headers[.location]))
            let created = try #require(try await keel.records.list("accounts", params: [("filter[name][eq]", "杭州新星科技有限公司")], as: browser.user).records.first)
            #expect(done.html.contains(#"<th scope="row">4</th><td>跳过</td><td><a href="/o/accounts/\#(created.id)">杭州新星科技有限公司（文件第 3 行）</a></td>"#)
                    && done.html.contains("<h2>重复的行</h2>") && !done.html.contains("import_"), "\(done.html)")
            // The same rows, downloadable, as the page words them.
            let location = try #require(run.headers[.location])
            #expect(done.html.contains(#"<a href="\#(location)/duplicates.csv">下载全部重复行（CSV）</a>"#))
            let csv = try await browser.get(location + "/duplicates.csv")
            #expect(csv.status == .ok && csv.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(csv.html == "\u{FEFF}行,处理,与之重复,改动的字段\r\n2,跳过,深圳市腾飞软件有限公司,—\r\n4,跳过,杭州新星科技有限公司（文件第 3 行）,—\r\n", "\(csv.html)")
        }
    }

    /// The page lists the first 100 duplicate rows; the download lists every one, read page by page, with the fields
    /// each changed.
    @Test func theDownloadListsEveryDuplicateRow() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let csrf = Browser.csrf(in: try await browser.get("/imports").html)
            let sheet = "客户名称,电话,行业\r\n" + (1...1_201).map { "杭州新星科技有限公司,0571-88886666,\($0 == 1 ? "" : "制造业")\r\n" }.joined()
            let mapping = try await upload(browser, csrf: csrf, object: "accounts", filename: "重复.csv", bytes: Array(sheet.utf8))
            let upload = try #require(mapping.html.range(of: #"name="upload" value=""#).map { String(mapping.html[$0.upperBound...].prefix { $0 != "\"" }) })
            let run = try await browser.post("/imports/start", [("_csrf", csrf), ("upload", upload), ("object", "accounts"), ("filename", "重复.csv"),
                                                                 ("header.0", "客户名称"), ("column.0", "name"), ("header.1", "电话"), ("column.1", "phone"),
                                                                 ("header.2", "行业"), ("column.2", "industry"), ("onDuplicate", "update"), ("update", "fill"),
                                                                 ("action", "run")])
            let location = try #require(run.headers[.location])
            let done = try await finished(browser, location)
            #expect(done.html.contains("共 1200 行是重复的，这里列出前 100 行，全部见下载的 CSV。"), "\(done.html)")
            let lines = try await browser.get(location + "/duplicates.csv").html.split(separator: "\r\n")
            #expect(lines.count == 1 + 1_200)
            // The first repeat fills the industry; the others find it filled, change nothing and are skipped.
            #expect(lines[1] == "3,更新,杭州新星科技有限公司（文件第 2 行）,行业", "\(lines.prefix(3))")
            #expect(lines.last == "1202,跳过,杭州新星科技有限公司（文件第 2 行）,—")
            #expect(Set(lines.dropFirst().map { $0.split(separator: ",")[0] }).count == 1_200)
        }
    }

    /// A rep maps a column the suggestions missed, says which option a cell stands for, and names the mapping on the
    /// form; the next file of its kind starts from it, chosen on the upload form.
    @Test func aMappingWithValuesSavedOnTheFormIsOfferedForTheNextFile() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let csrf = Browser.csrf(in: try await browser.get("/imports").html)
            let sheet = Array("参展单位,人数\r\n深圳市腾达科技有限公司,百人以内\r\n杭州云帆网络有限公司,21-100\r\n".utf8)
            let first = try await upload(browser, csrf: csrf, object: "accounts", filename: "三月.csv", bytes: sheet)
            // Nothing recognises 参展单位 or 人数.
            #expect(first.status == .ok && !first.html.contains(#"<option value="name" selected>"#) && !first.html.contains("取值对应"))
            let uploaded = try #require(first.html.range(of: #"name="upload" value=""#).map { String(first.html[$0.upperBound...].prefix { $0 != "\"" }) })
            let form = [("_csrf", csrf), ("upload", uploaded), ("object", "accounts"), ("filename", "三月.csv"), ("header.0", "参展单位"), ("column.0", "name"),
                        ("header.1", "人数"), ("column.1", "size"), ("onDuplicate", "merge"), ("update", "overwrite")]
            // Refreshed for the fields chosen: 百人以内 is no option of 规模 and is offered the options; 21-100 is one already.
            let remapped = try await browser.post("/imports/start", form + [("action", "remap")])
            #expect(remapped.status == .ok && remapped.html.contains("人数 → 规模") && remapped.html.contains(#"name="value.1.0" value="百人以内""#), "\(remapped.html)")
            #expect(!remapped.html.contains(#"name="value.1.1""#))
            let values = [("value.1.0", "百人以内"), ("map.1.0", "21-100")]
            // A name with a line break is refused in words, and the form keeps what was chosen.
            let refused = try await browser.post("/imports/start", form + values + [("saveAs", "三月\n展会"), ("action", "run")])
            #expect(refused.status == .unprocessableContent && refused.html.contains("映射名称应为 1 到 100 个字符，不能换行。"), "\(refused.html)")
            let run = try await browser.post("/imports/start", form + values + [("saveAs", "展会名单"), ("action", "run")])
            let done = try await finished(browser, try #require(run.headers[.location]))
            #expect(done.html.contains("<dt>新建</dt><dd>2</dd>"), "\(done.html)")
            let sizes = try await keel.records.list("accounts", params: [], as: browser.user).records.map { $0.value("size") }
            #expect(sizes == ["21-100", "21-100"])
            let list = try await browser.get("/imports")
            #expect(list.html.contains("已保存的映射") && list.html.contains("展会名单（客户）") && list.html.contains("删除映射"), "\(list.html)")
            let id = try #require(list.html.range(of: #"/imports/mappings/"#).map { String(list.html[$0.upperBound...].prefix { $0 != "/" }) })
            // The next file, with the saved mapping chosen: its columns, its value and its duplicate handling.
            let next = try await upload(browser, csrf: csrf, object: "accounts", filename: "四月.csv", bytes: sheet, mapping: id)
            #expect(next.status == .ok && next.html.contains(#"<option value="name" selected>"#) && next.html.contains(#"<option value="merge" selected>"#)
                    && next.html.contains(#"<option value="21-100" selected>"#), "\(next.html)")
            // Deleted by the rep who saved it, it is offered no more.
            #expect(try await browser.post("/imports/mappings/\(id)/delete", [("_csrf", csrf)]).status == .seeOther)
            #expect(!(try await browser.get("/imports").html.contains("展会名单")))
        }
    }

    /// A workbook with several sheets offers them; the one chosen is previewed and imported.
    @Test func aWorkbooksSheetIsChosen() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let csrf = Browser.csrf(in: try await browser.get("/imports").html)
            let workbook = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("KeelCoreTests/Import/Fixtures/accounts.xlsx")
            let first = try await upload(browser, csrf: csrf, object: "contacts", filename: "名单.xlsx", bytes: Array(try Data(contentsOf: workbook)))
            #expect(first.status == .ok && first.html.contains(#"<select id="imp-sheet" name="sheet">"#) && first.html.contains(">客户名称</label>"), "\(first.html)")
            let uploaded = try #require(first.html.range(of: #"name="upload" value=""#).map { String(first.html[$0.upperBound...].prefix { $0 != "\"" }) })
            let form = [("_csrf", csrf), ("upload", uploaded), ("object", "contacts"), ("filename", "名单.xlsx"), ("onDuplicate", "skip"), ("update", "overwrite"),
                        ("sheet", "联系人")]
            let second = try await browser.post("/imports/start", form + [("action", "remap")])
            #expect(second.status == .ok && second.html.contains(#"<option value="联系人" selected>"#) && second.html.contains(">姓名</label>")
                    && !second.html.contains(">客户名称</label>"), "\(second.html)")
            let run = try await browser.post("/imports/start", form + [("header.0", "姓名"), ("column.0", "name"), ("header.1", "手机"), ("column.1", "mobile"), ("action", "run")])
            let done = try await finished(browser, try #require(run.headers[.location]))
            #expect(done.html.contains("<dt>新建</dt><dd>1</dd>"), "\(done.html)")
            #expect(try await keel.records.list("contacts", params: [], as: browser.user).records.first?.value("name") == "张伟")
        }
    }

    @Test func aFileThatIsNoTableIsRefusedInWords() async throws {
        try await Browser.with { browser, _ in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let csrf = Browser.csrf(in: try await browser.get("/imports").html)
            let workbook = try await upload(browser, csrf: csrf, object: "accounts", filename: "客户.xlsx", bytes: [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00])
            #expect(workbook.status == .unprocessableContent && workbook.html.contains("这不是可以导入的表格"))
            let unclosed = try await upload(browser, csrf: csrf, object: "accounts", filename: "a.csv", bytes: Array("客户名称\r\n\"甲公司\r\n".utf8))
            #expect(unclosed.html.contains("第 2 行开始的引号没有闭合"))
            #expect(try await upload(browser, csrf: "forged", object: "accounts", filename: "a.csv", bytes: Array("客户名称\r\n甲\r\n".utf8)).status == .forbidden)
        }
    }
}
