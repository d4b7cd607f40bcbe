import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelServer
import KeelTestSupport
import Testing

/// A browser-like client over real HTTP: keeps the session cookie, reads CSRF tokens out of pages.
struct Browser: Sendable {
    let client: any TestClientProtocol
    /// The user `with` creates: sales@example.com, a member.
    let user: Principal
    var cookie = ""
    var language = "zh-CN,zh;q=0.9"

    struct Page { var status: HTTPResponse.Status; var html: String; var headers: HTTPFields }

    func get(_ uri: String) async throws -> Page {
        var headers: HTTPFields = [.acceptLanguage: language, .accept: Self.accept]
        if !cookie.isEmpty { headers[.cookie] = cookie }
        let r = try await client.execute(uri: uri, method: .get, headers: headers)
        return Page(status: r.status, html: String(buffer: r.body), headers: r.headers)
    }

    func post(_ uri: String, _ form: [(String, String)], cookie extra: String? = nil) async throws -> Page {
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded", .acceptLanguage: language, .accept: Self.accept]
        let cookies = [cookie, extra ?? ""].filter { !$0.isEmpty }.joined(separator: "; ")
        if !cookies.isEmpty { headers[.cookie] = cookies }
        let body = form.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
        let r = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        return Page(status: r.status, html: String(buffer: r.body), headers: r.headers)
    }

    /// What Chromium sends for a page.
    /// A multipart form with one file, as a browser uploads it.
    func upload(_ uri: String, _ fields: [(String, String)], filename: String, bytes: [UInt8]) async throws -> Page {
        let (headers, body) = AttachmentsAPITests.multipart(fields.map { ($0.0, nil, Array($0.1.utf8)) } + [("file", filename, bytes)])
        var sent = headers
        sent[.cookie] = cookie
        sent[.accept] = Self.accept
        sent[.acceptLanguage] = language
        let r = try await client.execute(uri: uri, method: .post, headers: sent, body: ByteBuffer(bytes: body))
        return Page(status: r.status, html: String(buffer: r.body), headers: r.headers)
    }

    static let accept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

    func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? s
    }

    static func csrf(in html: String) -> String {
        guard let r = html.range(of: #"name="_csrf" value=""#) else { return "" }
        return String(html[r.upperBound...].prefix { $0 != "\"" })
    }

    static func cookieValue(_ name: String, in headers: HTTPFields) -> String? {
        headers[values: .setCookie].first { $0.hasPrefix(name + "=") }.map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }

    /// Signs in through the login form.
    /// A second browser on the same server, signed in as a new admin `root@example.com`.
    func signedInAdmin(_ keel: Keel) async throws -> Browser {
        var admin = Browser(client: client, user: try await keel.makeUser("root@example.com", role: .admin, password: "root-password"))
        try await admin.signIn("root@example.com", "root-password")
        return admin
    }

    mutating func signIn(_ email: String, _ password: String) async throws {
        let page = try await get("/login")
        let loginCookie = Self.cookieValue("keel_login", in: page.headers) ?? ""
        let done = try await post("/login", [("_csrf", Self.csrf(in: page.html)), ("email", email), ("password", password), ("next", "/")],
                                  cookie: "keel_login=\(loginCookie)")
        cookie = "keel_session=" + (Self.cookieValue("keel_session", in: done.headers) ?? "")
    }

    static func with(esign: ESignSettings? = nil, _ body: @escaping @Sendable (Browser, Keel) async throws -> Void) async throws {
        try await TestDatabase.sqlite.withKeel(esign: esign) { keel in
            let user = try await keel.makeUser("sales@example.com", role: .member, password: "sales-password")
            let app = buildApplication(keel: keel, configuration: ServerConfiguration(host: "127.0.0.1", port: 0))
            try await app.test(.live) { client in try await body(Browser(client: client, user: user), keel) }
        }
    }
}

@Suite struct WebTests {
    @Test func signInRedirectsBackAndSetsASafeCookie() async throws {
        try await Browser.with { browser, _ in
            let away = try await browser.get("/o/accounts?sort=name")
            #expect(away.status == .seeOther)
            #expect(away.headers[.location] == "/login?next=%2Fo%2Faccounts%3Fsort%3Dname")

            let page = try await browser.get("/login?next=%2Fo%2Faccounts%3Fsort%3Dname")
            #expect(page.html.contains(#"<label for="email">邮箱</label>"#))
            let loginCookie = Browser.cookieValue("keel_login", in: page.headers) ?? ""
            let csrf = Browser.csrf(in: page.html)
            let wrong = try await browser.post("/login", [("_csrf", csrf), ("email", "sales@example.com"), ("password", "nope-nope")],
                                               cookie: "keel_login=\(loginCookie)")
            #expect(wrong.status == .unauthorized)
            #expect(wrong.html.contains("邮箱或密码不正确"))
            #expect(wrong.html.contains(#"value="sales@example.com""#))
            let noToken = try await browser.post("/login", [("email", "sales@example.com"), ("password", "sales-password")],
                                                 cookie: "keel_login=\(loginCookie)")
            #expect(noToken.status == .forbidden)

            let ok = try await browser.post("/login", [("_csrf", csrf), ("email", "sales@example.com"), ("password", "sales-password"),
                                                       ("next", "/o/accounts?sort=name")], cookie: "keel_login=\(loginCookie)")
            #expect(ok.status == .seeOther)
            #expect(ok.headers[.location] == "/o/accounts?sort=name")
            let setCookie = ok.headers[values: .setCookie].first { $0.hasPrefix("keel_session=") } ?? ""
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            let evil = try await browser.post("/login", [("_csrf", csrf), ("email", "sales@example.com"), ("password", "sales-password"),
                                                         ("next", "//evil.example.com/")], cookie: "keel_login=\(loginCookie)")
            #expect(evil.headers[.location] == "/")
        }
    }

    @Test func aFormShowsEveryViolationInlineKeepsTheInputAndSavesOnceFixed() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let form = try await browser.get("/o/accounts/new")
            #expect(form.status == .ok)
            let csrf = Browser.csrf(in: form.html)
            let bad = try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "杭州西湖科技有限公司"), ("phone", "打电话给我"),
                                                             ("credit_code", "91110000600037341X"), ("city", "杭州")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains(#"id="f-phone" name="phone" type="tel" value="打电话给我" aria-invalid="true" aria-describedby="e-phone""#))
            #expect(bad.html.contains(#"<p class="error" id="e-phone">这不是电话号码</p>"#))
            #expect(bad.html.contains(#"<p class="error" id="e-credit_code">校验位不正确</p>"#))
            #expect(bad.html.contains(#"value="杭州西湖科技有限公司""#))
            #expect(bad.html.contains(#"value="杭州""#))
            #expect(try await keel.footprint()[0] == 0)

            let good = try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "杭州西湖科技有限公司"), ("phone", "0571-87654321"),
                                                              ("credit_code", "91110000600037341L"), ("city", "杭州")])
            #expect(good.status == .seeOther)
            let location = try #require(good.headers[.location])
            let record = try await browser.get(location)
            #expect(record.html.contains("已保存"))
            #expect(record.html.contains("0571-87654321"))

            let id = String(location.split(separator: "/")[2].prefix { $0 != "?" })
            let edit = try await browser.get("/o/accounts/\(id)/edit")
            let saved = try await browser.post("/o/accounts/\(id)", [("_csrf", Browser.csrf(in: edit.html)), ("_version", "1"), ("city", "宁波")])
            #expect(saved.status == .seeOther)
            let after = try await browser.get("/o/accounts/\(id)")
            #expect(after.html.contains(#"<span class="old">杭州</span> → <span class="new">宁波</span>"#))
            // What people do by hand needs no "via"; the time reads in the organisation's zone, to the minute.
            #expect(!after.html.contains("来源") && !after.html.contains("Z</time>"))
            let stale = try await browser.post("/o/accounts/\(id)", [("_csrf", Browser.csrf(in: edit.html)), ("_version", "1"), ("city", "温州")])
            #expect(stale.status == .conflict)
            #expect(stale.html.contains("该记录已被他人修改"))

            // An edit just saved can be taken back: the fields return to what they were, as an edit of its own.
            let justSaved = try await browser.get(try #require(saved.headers[.location]))
            let change = try #require(try await keel.records.history("accounts", id: id, as: browser.user).last?.changeID)
            #expect(justSaved.html.contains(#"<input type="hidden" name="change" value="\#(change)"><input type="hidden" name="_version" value="2">已保存。 <button type="submit" class="secondary">撤销</button>"#))
            #expect(!after.html.contains(#"name="change""#))
            let undo = [("_csrf", Browser.csrf(in: justSaved.html)), ("change", change), ("_version", "2")]
            let undone = try await browser.post("/o/accounts/\(id)/undo", undo)
            #expect(undone.headers[.location] == "/o/accounts/\(id)?undone=1")
            let back = try await keel.records.get("accounts", id: id, as: browser.user).0
            #expect(back.value("city") == "杭州" && back.version == 3)
            #expect(try await browser.get("/o/accounts/\(id)?undone=1").html.contains("已撤销"))
            // Twice, or after the record changed since: nothing changes, and the page says why.
            #expect(try await browser.post("/o/accounts/\(id)/undo", undo).headers[.location] == "/o/accounts/\(id)?not_undone=1")
            #expect(try await browser.post("/o/accounts/\(id)/undo", [undo[0], ("change", "no-such-change"), ("_version", "3")]).headers[.location]
                    == "/o/accounts/\(id)?not_undone=1")
            #expect(try await keel.records.get("accounts", id: id, as: browser.user).0.version == 3)
            #expect(try await browser.get("/o/accounts/\(id)?not_undone=1").html.contains("未能撤销"))
        }
    }

    @Test func dateTimesAreTypedAsPeopleWriteThemAndReadInTheOrganisationsZone() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let form = try await browser.get("/o/activities/new")
            let csrf = Browser.csrf(in: form.html)
            #expect(form.html.contains(#"placeholder="如 2026-11-30 10:30 或 明天 10:30""#))
            // Something that is no time: the form comes back with the reason and what was typed.
            let bad = try await browser.post("/o/activities", [("_csrf", csrf), ("type", "call"), ("subject", "回电"), ("occurred_at", "下周找个时间")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.html.contains(#"value="下周找个时间""#) && bad.html.contains("请填写日期和时间，如 2026-11-30 10:30 或 明天 10:30"), "\(bad.html)")
            #expect(try await keel.footprint()[0] == 0)
            let good = try await browser.post("/o/activities", [("_csrf", csrf), ("type", "call"), ("subject", "回电"), ("occurred_at", "2026-11-30 10:30"),
                                                          ("body", "客户询问交期"), ("next_step", "确认交期"), ("next_step_due", "2026-12-02 10:00")])
            #expect(good.status == .seeOther)
            let location = try #require(good.headers[.location])
            let id = String(location.split(separator: "/")[2].prefix { $0 != "?" })
            // Stored as the exact instant (10:30 in Shanghai), shown as 10:30, and edited as 10:30.
            #expect(try await keel.records.get("activities", id: id, as: browser.user).0.values["occurred_at"] == "2026-11-30T02:30:00.000Z")
            #expect(try await browser.get(location).html.contains("2026-11-30 10:30"))
            #expect(try await browser.get("/o/activities/\(id)/edit").html.contains(#"value="2026-11-30 10:30""#))
        }
    }

    @Test func browserErrorsArePagesInTheReadersLanguageWhileTheAPIKeepsJSON() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            // Before signing in too: an unknown address is a page, not JSON.
            let anonymous = try await browser.get("/no-such-page")
            #expect(anonymous.status == .notFound && anonymous.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(anonymous.html.contains("找不到该页面或记录。") && anonymous.html.contains(#"<a class="button" href="/">返回今日</a>"#), "\(anonymous.html)")
            try await browser.signIn("sales@example.com", "sales-password")
            for path in ["/no-such-page", "/o/no_such_object", "/o/accounts/new/extra"] {
                let page = try await browser.get(path)
                #expect(page.status == .notFound && page.html.contains("<h1>找不到该页面或记录。</h1>") && !page.html.contains("endpoint"), "\(path): \(page.html)")
                #expect(page.html.contains(#"<nav"#), "\(path): the page keeps the menu")
            }
            var english = Browser(client: browser.client, user: browser.user)
            english.language = "en"
            #expect(try await english.get("/no-such-page").html.contains("The page or record was not found."))
            // A program asking the API gets JSON, whatever the path.
            let api = try await browser.client.execute(uri: "/api/v1/no-such-thing", method: .get, headers: [.accept: Browser.accept])
            #expect(api.headers[.contentType]?.hasPrefix("application/json") == true, "\(api.status) \(String(buffer: api.body))")
            _ = keel
        }
    }

    @Test func referencesArePickedByTypingANameAPhoneOrACreditCode() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .web)
            let haitian = try #require(try await keel.records.create("accounts", ["name": "宁波海天塑机集团有限公司", "phone": "0574-86182786"], context: ctx).json["id"]?.stringValue)
            let haitianFood = try #require(try await keel.records.create("accounts", ["name": "佛山海天调味食品股份有限公司"], context: ctx).json["id"]?.stringValue)
            // "New contact" on an account's page starts with the account, by name.
            let form = try await browser.get("/o/contacts/new?account=\(haitian)")
            #expect(form.html.contains(#"<input type="hidden" name="account" value="\#(haitian)"><input id="f-account" name="account__q" type="text" value="宁波海天塑机集团有限公司""#), "\(form.html)")
            let csrf = Browser.csrf(in: form.html)
            // The picker's list: what the reader may read, by name or phone.
            let picked = try await browser.get("/pick/accounts?q=%E6%B5%B7%E5%A4%A9")  // 海天
            #expect(picked.html.contains("宁波海天塑机集团有限公司") && picked.html.contains("佛山海天调味食品股份有限公司"))
            #expect(try await browser.get("/pick/accounts?q=0574-8618-2786").html.contains(haitian))
            #expect(try await browser.get("/pick/users?q=sales").html.contains(browser.user.userID))
            // Typed without JavaScript: one match is taken; none or several bring the form back, what was typed kept.
            let none = try await browser.post("/o/contacts", [("_csrf", csrf), ("name", "王伟"), ("account", ""), ("account__q", "不存在的公司")])
            #expect(none.status == .unprocessableContent && none.html.contains("找不到“不存在的公司”") && none.html.contains(#"value="不存在的公司""#))
            let several = try await browser.post("/o/contacts", [("_csrf", csrf), ("name", "王伟"), ("account", ""), ("account__q", "海天")])
            #expect(several.status == .unprocessableContent && several.html.contains("有多条记录与“海天”匹配，请选择一条"))
            #expect(several.html.contains(#"<input type="radio" name="account__pick" value="\#(haitianFood)">"#), "\(several.html)")
            #expect(try await keel.footprint()[0] == 2)
            let chosen = try await browser.post("/o/contacts", [("_csrf", csrf), ("name", "王伟"), ("account", ""), ("account__q", "海天"), ("account__pick", haitianFood)])
            #expect(chosen.status == .seeOther)
            let typed = try await browser.post("/o/contacts", [("_csrf", csrf), ("name", "李娜"), ("mobile", "13912345678"), ("account", ""), ("account__q", "海天塑机")])
            #expect(typed.status == .seeOther, "\(typed.html)")
            let contacts = try await keel.records.list("contacts", params: [("sort", "created_at")], as: browser.user).records
            #expect(contacts.map { $0.value("account") } == [.string(haitianFood), .string(haitian)])
            // The contact's page names its account; its edit form too, and an unchanged name keeps the id.
            let id = contacts[1].id
            let edit = try await browser.get("/o/contacts/\(id)/edit")
            #expect(edit.html.contains(#"name="account__q" type="text" value="宁波海天塑机集团有限公司""#))
            let kept = try await browser.post("/o/contacts/\(id)", [("_csrf", Browser.csrf(in: edit.html)), ("_version", "1"), ("title", "采购经理"),
                                                                  ("account", haitian), ("account__q", "宁波海天塑机集团有限公司")])
            #expect(kept.status == .seeOther)
            #expect(try await keel.records.get("contacts", id: id, as: browser.user).0.value("account") == .string(haitian))
        }
    }

    @Test func aRecordsTimelineJoinsItsActivitiesTasksAndEditsNewestFirstWithFilters() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .web)
            let account = try #require(try await keel.records.create("accounts", ["name": "宁波海天塑机集团有限公司", "city": "宁波", "phone": "0574-86182786"],
                                                                     context: ctx).json["id"]?.stringValue)
            _ = try await keel.records.create("activities", ["type": "visit", "subject": "上门拜访", "related_to": .string(account), "body": "看了新产线",
                                                             "next_step": "发报价", "next_step_due": "2000-01-03T02:00:00Z", "occurred_at": "2000-01-02T02:00:00Z"], context: ctx)
            _ = try await keel.records.create("tasks", ["subject": "发送报价单", "related_to": .string(account), "due": "2099-12-01",
                                                        "assignee": .string(browser.user.userID)], context: ctx)
            _ = try await keel.records.update("accounts", id: account, ["city": "杭州"], expectedVersion: nil, context: ctx)
            let page = try await browser.get("/o/accounts/\(account)")
            let timeline = try #require(page.html.components(separatedBy: #"<ol class="timeline">"#).last?.components(separatedBy: "</ol>").first)
            // Newest first: the edit, the task, the creation, then the visit of 2000.
            let order = ["宁波</span> → <span class=\"new\">杭州", "发送报价单", "创建了记录", "上门拜访"].map { timeline.range(of: $0)?.lowerBound }
            #expect(order.allSatisfy { $0 != nil } && zip(order, order.dropFirst()).allSatisfy { $0! < $1! }, "\(timeline)")
            #expect(timeline.contains("拜访: <a href=\"/o/activities/") && timeline.contains("看了新产线 · 下一步：发报价") && timeline.contains("截止 2099-12-01 · 待办"))
            // The creation lists what was typed (the phone), not what follows from it (its E.164 form).
            #expect(timeline.contains("0574-86182786") && !timeline.contains("+8657486182786"))
            // The field changes alone, one click away; the activities alone.
            func filtered(_ query: String) async throws -> String {
                let html = try await browser.get("/o/accounts/\(account)?tl=\(query)").html
                #expect(html.contains(#"aria-current="page">"#))
                return html.components(separatedBy: #"<ol class="timeline">"#).last?.components(separatedBy: "</ol>").first ?? ""
            }
            let edits = try await filtered("edits")
            #expect(!edits.contains("上门拜访") && !edits.contains("发送报价单") && edits.contains("创建了记录"))
            let visits = try await filtered("activities")
            #expect(visits.contains("上门拜访") && !visits.contains("创建了记录") && !visits.contains("发送报价单"))
        }
    }

    @Test func aDuplicateIsNamedInTheFormWithItsScoreAndALink() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let csrf = Browser.csrf(in: try await browser.get("/o/accounts/new").html)
            let first = try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "深圳市华大生物科技有限公司"), ("city", "深圳")])
            #expect(first.status == .seeOther)
            let id = String(try #require(first.headers[.location]).split(separator: "/")[2].prefix { $0 != "?" })
            let again = try await browser.post("/o/accounts", [("_csrf", csrf), ("name", "华大生物科技（深圳）有限公司"), ("city", "深圳")])
            #expect(again.status == .conflict)
            #expect(again.html.contains(#"<div class="duplicate" role="alert">疑似已有客户: 深圳市华大生物科技有限公司 (匹配度 "#))
            #expect(again.html.contains(#"<a href="/o/accounts/\#(id)">查看已有记录</a>"#))
            #expect(again.html.contains(#"value="华大生物科技（深圳）有限公司""#))   // what was typed is kept
            #expect(!again.html.contains("该记录已被他人修改"))
            #expect(try await keel.footprint()[0] == 1)
        }
    }

    @Test func missingOrWrongCSRFIs403AndWritesNothing() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let before = try await keel.footprint()
            #expect(try await browser.post("/o/accounts", [("name", "无令牌公司")]).status == .forbidden)
            #expect(try await browser.post("/o/accounts", [("_csrf", "guess"), ("name", "猜令牌公司")]).status == .forbidden)
            #expect(try await keel.footprint() == before)
        }
    }

    @Test func markupInAnyFieldIsEscapedEverywhere() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let form = try await browser.get("/o/accounts/new")
            let attack = #"<script>alert("x")</script>"#
            let saved = try await browser.post("/o/accounts", [("_csrf", Browser.csrf(in: form.html)), ("name", attack), ("city", #""><img src=x onerror=alert(1)>"#)])
            let location = try #require(saved.headers[.location])
            let ctx = WriteContext(principal: browser.user, source: .api)
            let deal = try await keel.records.create("opportunities", ["name": .string(attack), "stage": "proposal"], context: ctx)
            _ = try await keel.records.create("leads", ["name": .string(attack), "company": .string(attack)], context: ctx)
            _ = try await keel.records.update("opportunities", id: deal.json["id"]?.stringValue ?? "", ["amount": 1], expectedVersion: nil, context: ctx)
            for uri in [location, "/o/accounts", location.split(separator: "?")[0] + "/edit", "/", "/board", "/search?q=script", "/o/leads"] {
                let page = try await browser.get(String(uri))
                #expect(!page.html.contains("<script>alert"), "\(uri)")
                #expect(!page.html.contains("<img src=x"), "\(uri)")
                #expect(page.html.contains("&lt;script&gt;"), "\(uri)")
            }
        }
    }

    @Test func anExpiredSessionGoesToLoginThenBackToThePageAskedFor() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            #expect(try await browser.get("/o/leads?sort=name").status == .ok)
            let idle = ValueFormats.formatDateTime(Date().addingTimeInterval(-31 * 60))
            try await keel.database.write { try await $0.raw("UPDATE sessions SET last_seen_at = \(bind: idle)").run() }
            let expired = try await browser.get("/o/leads?sort=name")
            #expect(expired.status == .seeOther)
            #expect(expired.headers[.location] == "/login?next=%2Fo%2Fleads%3Fsort%3Dname")
            let login = try await browser.get(try #require(expired.headers[.location]))
            #expect(login.html.contains(#"name="next" value="/o/leads?sort=name""#))
            let loginCookie = Browser.cookieValue("keel_login", in: login.headers) ?? ""
            let back = try await browser.post("/login", [("_csrf", Browser.csrf(in: login.html)), ("email", "sales@example.com"),
                                                         ("password", "sales-password"), ("next", "/o/leads?sort=name")], cookie: "keel_login=\(loginCookie)")
            #expect(back.headers[.location] == "/o/leads?sort=name")
        }
    }

    @Test func languageFollowsTheBrowserThenTheUsersChoice() async throws {
        try await Browser.with { browser, _ in
            var browser = browser
            browser.language = "en-US,en;q=0.9"
            try await browser.signIn("sales@example.com", "sales-password")
            let english = try await browser.get("/o/accounts")
            #expect(english.html.contains("<html lang=\"en\">"))
            #expect(english.html.contains(">Accounts</a>"))
            let switched = try await browser.post("/locale", [("_csrf", Browser.csrf(in: english.html)), ("locale", "zh-CN"), ("next", "/o/accounts")])
            #expect(switched.headers[.location] == "/o/accounts")
            let chinese = try await browser.get("/o/accounts")
            #expect(chinese.html.contains("<html lang=\"zh-CN\">"))
            #expect(chinese.html.contains(">客户</a>"))
            // The choice is the user's: a new session in the same English browser speaks Chinese.
            try await browser.signIn("sales@example.com", "sales-password")
            #expect(try await browser.get("/o/accounts").html.contains("<html lang=\"zh-CN\">"))
            #expect(try await browser.get("/o/no_such_object").status == .notFound)
            let missing = try await browser.get("/o/accounts/\(RecordID.make())")
            #expect(missing.status == .notFound)
            #expect(missing.html.contains("找不到该页面或记录"))
        }
    }

    @Test func referencesReadAsNamesOnRecordPagesTheirHistoryAndLists() async throws {
        try await Browser.with { browser, keel in
            var browser = browser
            try await browser.signIn("sales@example.com", "sales-password")
            let ctx = WriteContext(principal: browser.user, source: .web)
            let first = try #require(try await keel.records.create("accounts", ["name": "宁波海天塑机集团有限公司"], context: ctx).json["id"]?.stringValue)
            let second = try #require(try await keel.records.create("accounts", ["name": "杭州海康威视数字技术股份有限公司"], context: ctx).json["id"]?.stringValue)
            let deal = try #require(try await keel.records.create("opportunities", ["name": "注塑机采购", "account": .string(first)], context: ctx).json["id"]?.stringValue)
            _ = try await keel.records.update("opportunities", id: deal, ["account": .string(second)], expectedVersion: nil, context: ctx)
            let page = try await browser.get("/o/opportunities/\(deal)")
            // The account by its name, linked; the history line says from which company to which; the owner by name.
            #expect(page.html.contains(#"<a href="/o/accounts/\#(second)">杭州海康威视数字技术股份有限公司</a>"#), "\(page.html)")
            #expect(page.html.contains(#"<span class="old">宁波海天塑机集团有限公司</span> → <span class="new">杭州海康威视数字技术股份有限公司</span>"#))
            // One history entry per edit: the create lists what the record was created with.
            #expect(page.html.components(separatedBy: #"<ul class="changes">"#).count - 1 == 2, "\(page.html)")
            #expect(page.html.contains(#"创建了记录"#) && page.html.contains(#"<strong>商机名称</strong>: <span class="new">注塑机采购</span>"#))
            // Lists too: the account and the owner by name, the account linked; an activity's record of any object as well.
            _ = try await keel.records.create("activities", ["type": "call", "subject": "回访", "body": "了解需求", "next_step": "回电", "next_step_due": "2026-12-09T10:00:00.000Z", "related_to": .string(deal)], context: ctx)
            let deals = try await browser.get("/o/opportunities")
            #expect(deals.html.contains(#"<a href="/o/accounts/\#(second)">杭州海康威视数字技术股份有限公司</a>"#), "\(deals.html)")
            let activities = try await browser.get("/o/activities?col=subject&col=related_to&col=owner")
            #expect(activities.html.contains(#"<a href="/o/opportunities/\#(deal)">注塑机采购</a>"#), "\(activities.html)")
            for html in [page.html, deals.html, activities.html] {
                let visible = html.replacingOccurrences(of: #"(href|datetime|value|action)="[^"]*""#, with: "", options: .regularExpression)
                #expect(!visible.contains(first) && !visible.contains(second) && !visible.contains(deal) && !visible.contains(browser.user.userID),
                        "an id is shown on the page")
            }
        }
    }
}
