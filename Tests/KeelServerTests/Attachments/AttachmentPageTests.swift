import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelTestSupport
import Testing

/// The record page's attachments: the upload form (multipart, with its CSRF token), the list, the download, and the
/// timeline entry — in the reader's language.
@Suite struct AttachmentPageTests {
    @Test func aRepAttachesAFileFromTheDealsPage() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let deal = try #require(try await keel.records.create("opportunities", ["name": "CT 设备采购"], context: WriteContext(principal: browser.user, source: .web))
                .json["id"]?.stringValue)
            let page = try await browser.get("/o/opportunities/\(deal)")
            #expect(page.html.contains(#"enctype="multipart/form-data""#) && page.html.contains("尚无附件"))
            func upload(_ csrf: String) async throws -> Browser.Page {
                let (headers, body) = AttachmentsAPITests.multipart([("_csrf", nil, Array(csrf.utf8)), ("kind", nil, Array("quote".utf8)),
                                                                     ("file", "报价单.pdf", Array("%PDF-1.7 报价".utf8))])
                var fields = headers
                fields[.cookie] = browser.cookie
                fields[.accept] = Browser.accept
                let r = try await browser.client.execute(uri: "/o/opportunities/\(deal)/attachments", method: .post, headers: fields, body: ByteBuffer(bytes: body))
                return Browser.Page(status: r.status, html: String(buffer: r.body), headers: r.headers)
            }
            // Without the page's token: refused, nothing attached.
            #expect(try await upload("forged").status == .forbidden)
            let sent = try await upload(Browser.csrf(in: page.html))
            #expect(sent.status == .seeOther && sent.headers[.location] == "/o/opportunities/\(deal)?attached=1#h-attachments")
            let shown = try await browser.get("/o/opportunities/\(deal)?attached=1")
            #expect(shown.html.contains("已上传附件。") && shown.html.contains("报价单.pdf</a> <small>报价单 · 1 KB · "))
            #expect(shown.html.contains("上传了附件") && shown.html.contains("<strong>附件</strong>"))
            let link = try #require(shown.html.range(of: #"/o/opportunities/[^"]+/attachments/[^"]+"#, options: .regularExpression).map { String(shown.html[$0]) })
            let file = try await browser.get(link)
            #expect(file.status == .ok && file.headers[.contentType] == "application/pdf" && file.html.hasPrefix("%PDF-1.7"))
        }
    }
}
