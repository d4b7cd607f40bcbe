import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdBcrypt
import HummingbirdTesting
import KeelCore
import KeelEngine
import KeelServer
import KeelStore
import KeelTestSupport
import Testing

/// The security review's findings (issue 22), each replayed as the attacker sent it: a test fails if the attack works
/// again. The rep and the director are set up as in the demo: a member and the manager of her department; deals carry
/// a floor price of sensitivity 3.
@Suite struct SecurityRegressionTests {
    struct Team {
        var rep: (id: String, token: String)
        var director: (id: String, token: String)
        var deal: String
    }

    static let floor = 1_418_650

    /// The rep, her director, a floor price (L3), two formula fields derived from it, and a deal of the rep's with a floor.
    static func team(_ api: API) async throws -> Team {
        let director = try await AccessAPITests.user(api, "director@example.com", role: "manager", department: "华东销售部", level: 4)
        let rep = try await AccessAPITests.user(api, "rep@example.com", department: "华东销售部", level: 2)
        for field: JSONValue in [
            ["name": "floor_price", "type": "money", "sensitivity": 3],
            ["name": "floor_copy", "type": "formula", "expression": "floor_price", "resultType": "number"],
            ["name": "headroom", "type": "formula", "expression": "amount - floor_price", "resultType": "number"],
        ] {
            let r = try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: field)
            #expect(r.status == .created, "\(r.body)")
        }
        let deal = try await api.send(.post, "/api/v1/opportunities", json: [
            "name": "苏州远航 CT 采购", "amount": 2_000_000, "floor_price": JSONValue(Double(floor)), "owner": .string(rep.id),
        ])
        #expect(deal.status == .created, "\(deal.body)")
        return Team(rep: rep, director: director, deal: deal.body["id"]?.stringValue ?? "")
    }

    // 1. A masked field leaks through anything derived from it.
    @Test(arguments: TestDatabase.all)
    func formulaFieldsDerivedFromAMaskedFieldAreMaskedToo(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let team = try await Self.team(api)
            let seen = try await api.send(.get, "/api/v1/opportunities/\(team.deal)", auth: .token(team.rep.token))
            #expect(seen.status == .ok)
            #expect(seen.body["floor_price"] == .null && seen.body["floor_copy"] == .null && seen.body["headroom"] == .null)
            #expect(Set(seen.body["_masked"]?.arrayValue?.compactMap(\.stringValue) ?? []) == ["floor_price", "floor_copy", "headroom"])
            // Neither found by filtering nor ordered by sorting.
            for query in ["filter[floor_copy][gt]=1000000", "filter[headroom][lt]=600000", "sort=floor_copy", "sort=-headroom"] {
                let probe = try await api.send(.get, "/api/v1/opportunities?\(query)", auth: .token(team.rep.token))
                #expect(probe.status == .forbidden && probe.body.errorCode == "field_forbidden", "\(query): \(probe.body)")
            }
            // The formula is as sensitive as what it reads, in the metadata too.
            let fields = try await api.send(.get, "/api/v1/metadata/objects/opportunities").body["fields"]?.arrayValue ?? []
            #expect(fields.first { $0["name"] == "floor_copy" }?["sensitivity"] == 3)
            // The director reads all three.
            let director = try await api.send(.get, "/api/v1/opportunities/\(team.deal)", auth: .token(team.director.token))
            #expect(director.body["floor_copy"] == JSONValue(Double(Self.floor)) && director.body["headroom"] == JSONValue(Double(2_000_000 - Self.floor)))
            #expect(director.body["_masked"] == nil)
            // A rule that masks a field by name (not by level) masks what is derived from it too, here and through a
            // reference (an account's credit rating read on its deals).
            #expect(try await api.send(.post, "/api/v1/metadata/objects/accounts/fields", json: ["name": "credit_rating", "type": "text"]).status == .created)
            for field: JSONValue in [["name": "amount_copy", "type": "formula", "expression": "amount * 1", "resultType": "number"],
                                     ["name": "account_rating", "type": "formula", "expression": "account.credit_rating", "resultType": "text"]] {
                #expect(try await api.send(.post, "/api/v1/metadata/objects/opportunities/fields", json: field).status == .created)
            }
            let defaults = try await api.send(.get, "/api/v1/access/policies").body["policies"]?.arrayValue ?? []
            let saved = try await api.send(.put, "/api/v1/access/policies", json: ["policies": .array(defaults + [
                ["id": "amounts-for-managers", "effect": "forbid", "actions": ["read"], "objects": ["opportunities"],
                 "when": ["all": [["attr": "field.name", "op": "eq", "value": "amount"], ["attr": "user.role", "op": "eq", "value": "member"]]]],
                ["id": "ratings-for-managers", "effect": "forbid", "actions": ["read"], "objects": ["accounts"],
                 "when": ["all": [["attr": "field.name", "op": "eq", "value": "credit_rating"], ["attr": "user.role", "op": "eq", "value": "member"]]]],
            ])])
            #expect(saved.status == .ok, "\(saved.body)")
            let named = try await api.send(.get, "/api/v1/opportunities/\(team.deal)", auth: .token(team.rep.token))
            let hidden = Set(named.body["_masked"]?.arrayValue?.compactMap(\.stringValue) ?? [])
            #expect(hidden.isSuperset(of: ["amount", "amount_copy", "account_rating"]), "\(named.body)")
            #expect(named.body["amount_copy"] == .null && named.body["name"] == "苏州远航 CT 采购")
            #expect(try await api.send(.get, "/api/v1/opportunities/\(team.deal)", auth: .token(team.director.token)).body["amount_copy"] == 2_000_000)
        }
    }

    @Test func automationMessagesShowEachRecipientOnlyWhatTheyMayRead() async throws {
        try await API.with(.sqlite) { api in
            let team = try await Self.team(api)
            let created = try await api.send(.post, "/api/v1/automations", json: [
                "id": "floor-alert", "object": "opportunities", "trigger": ["type": "updated"],
                "actions": [["type": "notify", "to": ["owner", "manager", "role:manager"], "message": "\"FP=\" & TEXT(floor_price) & \" / \" & TEXT(floor_copy) & \" / \" & name"]],
            ])
            #expect(created.status == .created, "\(created.body)")
            // The rep's manager is the director (department manager); the role recipient reaches her too.
            #expect(try await api.send(.patch, "/api/v1/opportunities/\(team.deal)", json: ["amount": 2_100_000]).status == .ok)
            try await api.keel.settle()
            let repInbox = try await api.send(.get, "/api/v1/notifications", auth: .token(team.rep.token)).body["data"]?.arrayValue ?? []
            #expect(repInbox.compactMap { $0["title"]?.stringValue } == ["FP=•••• / •••• / 苏州远航 CT 采购"])
            let directorInbox = try await api.send(.get, "/api/v1/notifications", auth: .token(team.director.token)).body["data"]?.arrayValue ?? []
            #expect(directorInbox.compactMap { $0["title"]?.stringValue } == ["FP=\(Self.floor) / \(Self.floor) / 苏州远航 CT 采购"])
        }
    }

    @Test func webhookPayloadsCarryOnlyWhatTheEndpointsCreatorMayRead() async throws {
        try await API.with(.sqlite) { api in
            let team = try await Self.team(api)
            let integrator = try await AccessAPITests.user(api, "integrator@example.com", role: "admin")
            let endpoint = try await api.send(.post, "/api/v1/webhooks", json: [
                "id": "erp", "url": "http://127.0.0.1:9/hook", "allowPrivate": true, "objects": ["opportunities"], "events": ["updated"],
            ], auth: .token(integrator.token))
            #expect(endpoint.status == .created, "\(endpoint.body)")
            // The integrator's account becomes a member's: the endpoint she made no longer sees floor prices.
            #expect(try await api.send(.patch, "/api/v1/users/\(integrator.id)", json: ["role": "member"]).status == .ok)
            #expect(try await api.send(.patch, "/api/v1/opportunities/\(team.deal)", json: ["floor_price": 1_500_000, "owner": .string(integrator.id)]).status == .ok)
            try await api.keel.automations.dispatch()
            let admin = try await Self.principal(api.keel, API.adminEmail)
            let (job, _) = try #require(try await api.keel.automations.runs(kind: Webhooks.kind, "erp", by: admin).first)
            let data = job.payload["data"]
            #expect(data?["record"]?["floor_price"] == .null && data?["record"]?["floor_copy"] == .null)
            #expect(data?["record"]?["_masked"]?.arrayValue?.contains("floor_price") == true)
            #expect(data?["changes"]?["floor_price"] == nil && data?["changes"]?["floor_copy"] == nil && data?["changes"]?["owner"] != nil)
        }
    }

    // 2 and 3. Exports: formulas neutralised, step-up asked for where the policies ask for it.
    @Test(arguments: TestDatabase.all)
    func exportsNeutraliseFormulasAndAskForStepUpOnlyWhereThePoliciesDo(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let team = try await Self.team(api)
            let hostile = ["=cmd|' /C calc'!A0", "=HYPERLINK(\"http://evil.example/\",\"x\")", "+1+1", "-2+3", "@SUM(A1)"]
            for (i, name) in hostile.enumerated() {
                let r = try await api.send(.post, "/api/v1/tasks", json: ["subject": .string(name), "due": .string("2026-12-0\(i + 1)")], auth: .token(team.rep.token))
                #expect(r.status == .created, "\(r.body)")
            }
            // Tasks carry nothing sensitive and there are few: the director exports them without a fresh password.
            let tasks = try await api.send(.get, "/api/v1/exports/tasks", auth: .token(team.director.token))
            #expect(tasks.status == .ok, "\(tasks.body)")
            let csv = tasks.body.stringValue ?? ""
            for name in hostile {
                #expect(csv.contains("'" + name.replacingOccurrences(of: "\"", with: "\"\"")), "\(name) not neutralised in \(csv)")
            }
            #expect(!csv.contains(",=") && !csv.contains(",+") && !csv.contains(",@"))
            // Deals carry the L3 floor price: step-up first, on the API and in the web app's link.
            let deals = try await api.send(.get, "/api/v1/exports/opportunities", auth: .token(team.director.token))
            #expect(deals.status == .forbidden && deals.body.errorCode == "step_up_required", "\(deals.body)")
            #expect(try await api.send(.post, "/api/v1/auth/step-up", json: ["password": "password-123"], auth: .token(team.director.token)).status == .ok)
            let after = try await api.send(.get, "/api/v1/exports/opportunities", auth: .token(team.director.token))
            #expect(after.status == .ok && after.body.stringValue?.contains(String(Self.floor)) == true)
        }
    }

    @Test func bulkExportsOverTheLimitNeedStepUp() async throws {
        try await API.with(.sqlite) { api in
            let team = try await Self.team(api)
            let director = try await Self.principal(api.keel, "director@example.com")
            let rows = (0...1000).map { i -> [String: JSONValue] in ["subject": .string("回访 \(i)"), "assignee": .string(team.rep.id)] }
            _ = try await api.keel.records.createBatch("tasks", rows, context: WriteContext(principal: director, source: .api))
            let big = try await api.send(.get, "/api/v1/exports/tasks", auth: .token(team.director.token))
            #expect(big.status == .forbidden && big.body.errorCode == "step_up_required", "\(big.body)")
            let narrowed = try await api.send(.get, "/api/v1/exports/tasks?filter[subject][eq]=回访%201", auth: .token(team.director.token))
            #expect(narrowed.status == .ok)
        }
    }

    static func principal(_ keel: Keel, _ email: String) async throws -> Principal {
        try #require(try await keel.database.read { try await DirectoryStore().user(email: email, on: $0) }).0.principal
    }

    // 4. Lock-out as a weapon.
    @Test(arguments: TestDatabase.all)
    func guessingFromElsewhereNeitherLocksTheOwnerOutNorTellsWhichAccountsExist(_ database: TestDatabase) async throws {
        try await database.withKeel { keel in
            _ = try await keel.makeUser("rep@example.com", role: .member, password: "rep-password")
            let office = "10.1.2.3", attacker = "203.0.113.9", newPlace = "198.51.100.7"
            _ = try await keel.auth.login(email: "rep@example.com", password: "rep-password", address: office)
            var answers: [String] = []
            for _ in 0..<7 {
                answers.append(await Self.code { _ = try await keel.auth.login(email: "rep@example.com", password: "guess-\(UUID())", address: attacker) })
            }
            var unknown: [String] = []
            for _ in 0..<7 {
                unknown.append(await Self.code { _ = try await keel.auth.login(email: "nobody@example.com", password: "guess-\(UUID())", address: attacker) })
            }
            // Five free tries, then "too many" — the same for an e-mail nobody has.
            #expect(answers == Array(repeating: "invalid_credentials", count: 5) + ["too_many_attempts", "too_many_attempts"])
            #expect(unknown == answers)
            // The owner, at her usual address, signs in at once; from an address she never used, she waits like anyone.
            #expect(try await keel.auth.login(email: "rep@example.com", password: "rep-password", address: office).user.email == "rep@example.com")
            #expect(await Self.code { _ = try await keel.auth.login(email: "rep@example.com", password: "rep-password", address: newPlace) } == "too_many_attempts")
        }
    }

    @Test func anOfficeBehindOneAddressIsNeverThrottledBySigningInAndStepUpCountsApart() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let nat = "100.64.0.1"
            for i in 0..<30 { _ = try await keel.makeUser("staff\(i)@example.com", role: .member, password: "staff-password-\(i)") }
            // 9:00: thirty people sign in behind one address, twice each; nobody is refused.
            for round in 0..<2 {
                for i in 0..<30 {
                    let signedIn = try await keel.auth.login(email: "staff\(i)@example.com", password: "staff-password-\(i)", address: nat)
                    #expect(signedIn.user.email == "staff\(i)@example.com", "round \(round)")
                }
            }
            // Mistyped step-ups throttle step-up only; signing in still works.
            let me = try await Self.principal(keel, "staff0@example.com")
            var codes: [String] = []
            for _ in 0..<6 { codes.append(await Self.code { try await keel.auth.stepUp(me, password: "wrong-\(UUID())") }) }
            #expect(codes.last == "too_many_attempts" && codes.first == "invalid_credentials")
            #expect(try await keel.auth.login(email: "staff0@example.com", password: "staff-password-0", address: "192.0.2.50").user.email == "staff0@example.com")
        }
    }

    static func code(_ body: () async throws -> Void) async -> String {
        do {
            try await body()
            return "ok"
        } catch let e as KeelError {
            return e.code
        } catch {
            return "\(error)"
        }
    }

    // 5 and 6. NUL, truncation and weak passwords.
    @Test func passwordsAreReadWholeAndWeakOnesRefused() async throws {
        try await API.with(.sqlite) { api in
            let refused: [(String, String)] = [
                ("abc\u{0}defgh", "control_characters"), ("12345678", "common_password"), ("password", "common_password"),
                ("aaaaaaaa", "common_password"), ("        ", "common_password"), ("weak@example.com", "personal_password"),
                ("qwertyuiop", "common_password"), ("87654321", "common_password"),
            ]
            for (password, code) in refused {
                let r = try await api.send(.post, "/api/v1/users", json: ["email": "weak@example.com", "password": .string(password), "role": "member"])
                #expect(r.status == .unprocessableContent && r.body.violationCodes["password"] == code, "\(password.debugDescription): \(r.body)")
            }
            #expect(try await api.send(.get, "/api/v1/users").body["data"]?.arrayValue?.contains { $0["email"] == "weak@example.com" } == false)
            // Every character of a long Chinese password counts (bcrypt alone reads 72 bytes: 24 characters).
            let long = String(repeating: "远航生物科技有限公司", count: 6) + "苏州"
            #expect(long.count == 62 && long.utf8.count > 72)
            #expect(try await api.send(.post, "/api/v1/users", json: ["email": "long@example.com", "password": .string(long), "role": "member"]).status == .created)
            let sameStart = String(long.prefix(30)) + String(repeating: "错", count: 32)
            let wrong = try await api.send(.post, "/api/v1/auth/token", json: ["email": "long@example.com", "password": .string(sameStart)], auth: .none)
            #expect(wrong.status == .unauthorized)
            #expect(try await api.send(.post, "/api/v1/auth/token", json: ["email": "long@example.com", "password": .string(long)], auth: .none).status == .created)
        }
    }

    @Test func hashesFromBeforeKeepWorkingButOnlyForPasswordsBcryptReadWhole() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let user = try await keel.makeUser("old@example.com", role: .member, password: "new-style-password")
            // A user whose hash was made before passwords were pre-hashed: bcrypt of the password itself.
            try await keel.database.write { db in
                try await db.raw("UPDATE users SET password_hash = \(bind: Bcrypt.hash("old-style-password", cost: 10)) WHERE id = \(bind: user.userID)").run()
            }
            #expect(try await keel.auth.login(email: "old@example.com", password: "old-style-password").user.email == "old@example.com")
            #expect(await Self.code { _ = try await keel.auth.login(email: "old@example.com", password: "old-style-password\u{0}tail") } == "invalid_credentials")
        }
    }

    @Test func aCompanyNameWithANulIsRefusedAndNothingIsWritten() async throws {
        try await API.with(.sqlite) { api in
            #expect(try await api.send(.post, "/api/v1/accounts", json: ["name": "苏州远航生物科技有限公司"]).status == .created)
            let before = try await api.keel.footprint()
            let sneaky = try await api.send(.post, "/api/v1/accounts", json: ["name": "苏州远航生物科技有限公司\u{0}x"])
            #expect(sneaky.status == .unprocessableContent && sneaky.body.violationCodes["name"] == "control_character", "\(sneaky.body)")
            #expect(try await api.keel.footprint() == before)
        }
    }

    // 7. Open redirects.
    @Test func everyRedirectStaysOnThisSite() async throws {
        try await Browser.with { browser, keel in
            let deal = try #require(try await keel.records.create("opportunities", ["name": "跳转测试", "stage": "prospecting"],
                                                                  context: WriteContext(principal: browser.user, source: .web)).json["id"]?.stringValue)
            let hostile = ["/%09/127.0.0.1:9912/phish", "/\t/127.0.0.1:9912/phish", "//evil.example/", "/\\evil.example/", "/%5C%5Cevil.example",
                           "/%2F%2Fevil.example", "https://evil.example/", "/%0A/evil.example"]
            for next in hostile {
                // Signing in,
                var visitor = browser
                let form = try await visitor.get("/login?next=" + (next.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? next))
                let signedIn = try await visitor.post("/login", [("_csrf", Browser.csrf(in: form.html)), ("email", "sales@example.com"),
                                                                 ("password", "sales-password"), ("next", next)],
                                                      cookie: "keel_login=" + (Browser.cookieValue("keel_login", in: form.headers) ?? ""))
                #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/", "login \(next): \(signedIn.headers[.location] ?? "")")
                visitor.cookie = "keel_session=" + (Browser.cookieValue("keel_session", in: signedIn.headers) ?? "")
                // switching the language,
                let csrf = Browser.csrf(in: try await visitor.get("/").html)
                let locale = try await visitor.post("/locale", [("_csrf", csrf), ("locale", "zh-CN"), ("next", next)])
                #expect(locale.status == .seeOther && locale.headers[.location] == "/", "locale \(next): \(locale.headers[.location] ?? "")")
                // and moving a card on the board all land on this site.
                let current = try await keel.records.get("opportunities", id: deal, as: browser.user).0
                let move = try await visitor.post("/board/move", [("_csrf", csrf), ("id", deal), ("stage", current.value("stage") == "prospecting" ? "qualification" : "prospecting"),
                                                                  ("_version", String(current.version)), ("next", next)])
                #expect(move.status == .seeOther && move.headers[.location]?.hasPrefix("/?moved=\(deal)&from=") == true,
                        "board \(next): \(move.status) \(move.headers[.location] ?? "")")
            }
            // A path of this site still works.
            var visitor = browser
            try await visitor.signIn("sales@example.com", "sales-password")
            let fine = try await visitor.post("/locale", [("_csrf", Browser.csrf(in: try await visitor.get("/").html)), ("locale", "zh-CN"), ("next", "/o/accounts?sort=name")])
            #expect(fine.headers[.location] == "/o/accounts?sort=name")
        }
    }

    // 8. Write-side gaps.
    @Test(arguments: TestDatabase.all)
    func fieldRulesHoldOnCreateAndHandingARecordOverNeedsTheCreatePermission(_ database: TestDatabase) async throws {
        try await API.with(database) { api in
            let team = try await Self.team(api)
            let colleague = try await AccessAPITests.user(api, "colleague@example.com", department: "华东销售部")
            let before = try await api.keel.footprint()
            let planted = try await api.send(.post, "/api/v1/opportunities", json: ["name": "自定底价", "amount": 100, "floor_price": 1], auth: .token(team.rep.token))
            #expect(planted.status == .forbidden && planted.body.errorCode == "field_forbidden", "\(planted.body)")
            #expect(try await api.keel.footprint() == before)
            let mine = try await AccessAPITests.create(api, "accounts", ["name": "宁波海天塑机集团有限公司"], as: team.rep.token)
            let handed = try await api.send(.patch, "/api/v1/accounts/\(mine)", json: ["owner": .string(colleague.id)], auth: .token(team.rep.token))
            #expect(handed.status == .forbidden, "\(handed.body)")
            #expect(try await api.send(.get, "/api/v1/accounts/\(mine)").body["owner"] == .string(team.rep.id))
            // The director may: she could create it with that owner.
            #expect(try await api.send(.patch, "/api/v1/accounts/\(mine)", json: ["owner": .string(colleague.id)], auth: .token(team.director.token)).status == .ok)
        }
    }

    // 9. Hardening.
    @Test func metricsNeedATokenOrAnAllowedAddress() async throws {
        try await TestDatabase.sqlite.withKeel { keel in
            let access = MetricsAccess(token: "scrape-secret", addresses: [])
            try await Application(router: buildRouter(keel: keel, metricsAccess: access)).test(.router) { client in
                #expect(try await client.execute(uri: "/metrics", method: .get).status == .unauthorized)
                #expect(try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer wrong"]).status == .unauthorized)
                let scraped = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer scrape-secret"])
                #expect(scraped.status == .ok && String(buffer: scraped.body).contains("keel_outbox_backlog"))
            }
            #expect(MetricsAccess.fromEnvironment([:]).addresses == MetricsAccess.loopback)
            #expect(MetricsAccess.fromEnvironment(["KEEL_METRICS_ALLOW": "10.0.0.9, 10.0.0.10"]).addresses == ["10.0.0.9", "10.0.0.10"])
        }
    }

    @Test func apiTokensExpireAndTheListSaysWhen() async throws {
        try await API.with(.sqlite) { api in
            let tokens = try await api.send(.get, "/api/v1/auth/tokens").body["data"]?.arrayValue ?? []
            let expires = try #require(tokens.first?["expires_at"]?.stringValue.flatMap(ValueFormats.parseDateTime))
            #expect(abs(expires.timeIntervalSinceNow - 90 * 86_400) < 3_600)
            #expect(AuthService.tokenLifetime(from: ["KEEL_TOKEN_DAYS": "7"]) == 7 * 86_400)
            // Past its expiry the token opens nothing.
            try await api.keel.database.write { try await $0.raw("UPDATE api_tokens SET expires_at = '2026-01-01T00:00:00.000Z'").run() }
            let after = try await api.send(.get, "/api/v1/me")
            #expect(after.status == .unauthorized && after.body.errorCode == "invalid_token")
        }
    }

    @Test func configurationWritesAnswer403BeforeTheyReadTheBody() async throws {
        try await API.with(.sqlite) { api in
            let rep = try await AccessAPITests.user(api, "rep@example.com")
            let attempts: [(HTTPRequest.Method, String)] = [
                (.put, "/api/v1/settings/health-report"), (.put, "/api/v1/settings/calendar"), (.put, "/api/v1/access/policies"),
                (.post, "/api/v1/metadata/objects/accounts/fields"), (.post, "/api/v1/automations"), (.post, "/api/v1/webhooks"),
                (.post, "/api/v1/users"), (.patch, "/api/v1/users/\(rep.id)"), (.post, "/api/v1/accounts/dedup-runs"),
            ]
            for (method, path) in attempts {
                let r = try await api.send(method, path, raw: Array("{not json".utf8), auth: .token(rep.token))
                #expect(r.status == .forbidden, "\(method) \(path): \(r.status) \(r.body)")
            }
        }
    }
}
