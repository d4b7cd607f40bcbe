import Foundation
import KeelCore
@testable import KeelWeb
import Testing

/// Every template file is a `Template` (so the code can name it) and every `Template` renders; every text a template
/// asks for (`{{t.key}}`) has a translation in both languages.
@Suite struct TemplateTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Sources/KeelWeb/Templates")

    static func files() throws -> [String: String] {
        var out: [String: String] = [:]
        let walker = try #require(FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil))
        for case let url as URL in walker where url.pathExtension == "mustache" {
            out[url.deletingPathExtension().lastPathComponent] = try String(contentsOf: url, encoding: .utf8)
        }
        return out
    }

    @Test func everyFileIsATemplateAndEveryTemplateRenders() throws {
        let files = try Self.files()
        #expect(Set(files.keys) == Set(Template.allCases.map(\.rawValue)), "files without a case, or cases without a file")
        let templates = Templates()
        for template in Template.allCases {
            #expect(String(decoding: template.source, as: UTF8.self) == files[template.rawValue], "\(template) is not its file")
            _ = templates.render(template, [String: String]())
        }
        // A page sits in the layout, partials expand in place.
        let page = templates.page(MessagePage(title: "标题 <b>", message: "正文", back: "/o/accounts"), Strings(.zhCN),
                                  layout: LayoutPage(lang: "zh-CN", title: "标题", notice: nil))
        #expect(page.hasPrefix("<!doctype html>") && page.contains(#"<h1>标题 &lt;b&gt;</h1><p>正文</p><p><a class="button" href="/o/accounts">返回</a></p>"#))
        // `{{t.key}}` is the reader's language.
        let login = LoginPage(csrf: "c", next: "/", email: "", error: nil)
        #expect(templates.render(login, Strings(.zhCN)).contains("<h1>登录</h1>") && templates.render(login, Strings(.en)).contains("<h1>Sign in</h1>"))
        // An absent optional opens no section.
        #expect(!templates.render(login, Strings(.en)).contains(#"role="alert""#))
        #expect(templates.render(MessagePage(title: "t", message: "m"), Strings(.en)).contains(#"<a class="button" href="/">Back to Today</a>"#))
        #expect(templates.render(.csrf, ["csrf": "tok\"en"]) == #"<input type="hidden" name="_csrf" value="tok&quot;en">"#)
    }

    @Test func everyTextATemplateAsksForIsTranslated() throws {
        let known = Set(Strings.keys)
        var missing: [String] = []
        for (name, text) in try Self.files() {
            // {{t.key}}, {{#t.key}}, {{^t.key}}
            let pattern = /\{\{[#^\/]?t\.([a-z0-9_]+)\}\}/
            for match in text.matches(of: pattern) where !known.contains(String(match.1)) { missing.append("\(name): \(match.1)") }
        }
        #expect(missing.isEmpty, "\(missing)")
        for key in known {
            #expect(!Strings(.zhCN)[key].isEmpty && !Strings(.en)[key].isEmpty, "\(key)")
        }
    }
}
