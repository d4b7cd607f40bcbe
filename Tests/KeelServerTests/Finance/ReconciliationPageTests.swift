import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// 收入对账 as finance uses it: load an ERP export (a bad one refused in words, nothing loaded), reconcile, drill down by
/// class; a rep sees their own differences and no buttons.
@Suite struct ReconciliationPageTests {
    func upload(_ browser: Browser, csrf: String, kind: String, bytes: [UInt8]) async throws -> Browser.Page {
        try await browser.upload("/reconciliation/upload", [("_csrf", csrf), ("kind", kind)], filename: "应收单.csv", bytes: bytes)
    }

    @Test func financeLoadsAnExportReconcilesAndDrillsDown() async throws {
        try await Browser.with { browser, keel in
            var admin = browser
            _ = try await keel.makeUser("boss@example.com", role: .admin, password: "boss-password")
            try await admin.signIn("boss@example.com", "boss-password")
            let empty = try await admin.get("/reconciliation")
            #expect(empty.status == .ok && empty.html.contains("收入对账") && empty.html.contains("尚未连接金蝶云星空或用友 YonBIP"))
            let csrf = Browser.csrf(in: empty.html)
            // A bad file: each problem by row and column, in Chinese; nothing loaded.
            let bad = try await upload(admin, csrf: csrf, kind: "receivable", bytes: Array("单据编号,合同编号,业务日期,价税合计\nAR-1,HT-1,2026-02-30,100\nAR-2,HT-2,2026-11-03,abc\n".utf8))
            #expect(bad.status == .unprocessableContent && bad.html.contains("文件未导入：第 2 行业务日期：格式不对；第 3 行价税合计：不是精确到分的金额"), "\(bad.html)")
            let good = try await upload(admin, csrf: csrf, kind: "receivable", bytes: Array("单据编号,合同编号,业务日期,价税合计,税额\nAR-1,HT-OLD-1,2026-11-03,1130,130\n".utf8))
            #expect(good.status == .seeOther && good.headers[.location] == "/reconciliation?loaded=1")
            #expect(try await admin.get("/reconciliation?loaded=1").html.contains("已导入 1 张财务单据。"))
            let ran = try await admin.post("/reconciliation/run", [("_csrf", csrf)])
            #expect(ran.status == .seeOther)
            let page = try await admin.get("/reconciliation?ran=1")
            #expect(page.html.contains("对账完成。") && page.html.contains("CRM 缺少 1") && page.html.contains("HT-OLD-1") && page.html.contains("¥1,000.00"))
            #expect(page.html.contains("每月收入（不含税）") && page.html.contains("2026-11"))
            let drilled = try await admin.get("/reconciliation?difference=timing")
            #expect(drilled.html.contains("没有差异。"))
            // A rep: their own differences only, no buttons, no revenue.
            var rep = browser
            try await rep.signIn("sales@example.com", "sales-password")
            let theirs = try await rep.get("/reconciliation")
            #expect(theirs.html.contains("这里列出您负责的合同的差异。") && !theirs.html.contains("立即对账") && !theirs.html.contains("每月收入"))
            #expect(try await rep.post("/reconciliation/run", [("_csrf", Browser.csrf(in: theirs.html))]).status == .forbidden)
        }
    }
}
