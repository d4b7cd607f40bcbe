import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import Testing

/// Runs the real `keel` executable built next to the test bundle.
@Suite struct CLITests {
    func keel(_ args: [String], database: String) throws -> (status: Int32, output: String) {
        try runProcess(keelExecutable, args, environment: ["KEEL_DATABASE_URL": "sqlite://" + database, "PATH": "/usr/bin:/bin"])
    }

    @Test func migrateCreateUsersAndVerifyTheAudit() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("keel.db").path

        let migrate = try keel(["migrate"], database: db)
        #expect(migrate.status == 0)
        #expect(migrate.output.contains("0004_standard_objects"))

        let bad = try keel(["user", "create", "--email", "boss@example.com", "--password", "short", "--role", "admin"], database: db)
        #expect(bad.status != 0)
        #expect(bad.output.contains("8 to 64 characters"))
        let badRole = try keel(["user", "create", "--email", "boss@example.com", "--password", "long-enough", "--role", "king"], database: db)
        #expect(badRole.status != 0)

        let admin = try keel(["user", "create", "--email", "boss@example.com", "--password", "long-enough", "--role", "manager",
                              "--department", "销售一部"], database: db)
        #expect(admin.status == 0, "\(admin.output)")
        let member = try keel(["user", "create", "--email", "rep@example.com", "--password", "long-enough", "--role", "member",
                               "--department", "销售一部", "--manager", "boss@example.com"], database: db)
        #expect(member.status == 0, "\(member.output)")

        // Write something through the record service, then verify and tamper.
        let keelDB = try await Keel.open(.sqlite(path: db))
        let (_, user) = try await keelDB.auth.login(email: "rep@example.com", password: "long-enough")
        _ = try await keelDB.records.create("accounts", ["name": "审计测试有限公司", "city": "杭州"], context: WriteContext(principal: user.principal, source: .cli))
        await keelDB.close()
        let verified = try keel(["audit", "verify"], database: db)
        #expect(verified.status == 0)
        #expect(verified.output.contains("OK: 3 history entries"))

        let raw = try await KeelDatabase.open(.sqlite(path: db))
        try await raw.write { try await $0.raw("DELETE FROM field_history WHERE field = 'name'").run() }
        await raw.close()
        let broken = try keel(["audit", "verify"], database: db)
        #expect(broken.status == 2)
        #expect(broken.output.contains("BROKEN"))
    }
}

@Suite struct AccessCLITests {
    @Test func theHealthScanReportsAndSignalsFindings() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("keel.db").path
        let cli = CLITests()
        #expect(try cli.keel(["user", "create", "--email", "root@example.com", "--password", "long-enough", "--role", "admin"], database: db).status == 0)
        // Without any manager, the managers' permit gives nobody anything.
        let scan = try cli.keel(["access", "health"], database: db)
        #expect(scan.status == 1 && scan.output.contains("[unused_policy] managers-department gives no active user anything."), "\(scan.output)")
        #expect(try cli.keel(["user", "create", "--email", "boss@example.com", "--password", "long-enough", "--role", "manager",
                              "--department", "销售部", "--level", "3"], database: db).status == 0)
        let clean = try cli.keel(["access", "health", "--json"], database: db)
        #expect(clean.status == 0 && clean.output.trimmingCharacters(in: .whitespacesAndNewlines).hasSuffix("[]"), "\(clean.output)")
    }
}

/// The README's run command, as a newcomer runs it: the real `keel serve --demo` in an empty directory (so on
/// `./keel.db`), at the demo's full size.
@Suite struct DemoServeTests {
    /// `keel serve --demo` in `dir`, at the lowest priority: loading the full demo takes a core for half a minute, and
    /// the other tests, running side by side, must not starve for it.
    func serve(in dir: URL) async throws -> ServedKeel {
        try await ServedKeel.start("/usr/bin/nice", ["-n", "19", keelExecutable, "serve", "--demo", "--port", "0"], in: dir,
                                   environment: ["PATH": "/usr/bin:/bin", "HOME": dir.path])
    }

    /// Every record of `object` the token's user sees, page by page.
    func count(_ object: String, port: Int, token: String) async throws -> Int {
        var total = 0, cursor: String? = nil
        repeat {
            let page = try await HTTP.get("http://127.0.0.1:\(port)/api/v1/\(object)?limit=500&fields=id" + (cursor.map { "&cursor=\($0)" } ?? ""),
                                          token: token)
            total += page.json["data"]?.arrayValue?.count ?? 0
            cursor = page.json["nextCursor"]?.stringValue
        } while cursor != nil
        return total
    }

    @Test func theREADMERunCommandServesTheFullDemoFromAnEmptyDirectoryAndStartsAgain() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-demo-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let first = try await serve(in: dir)
        defer { first.stop() }
        // It listens before the demo company is loaded; an API request waits until it is (DemoLoadingTests: pages say so meanwhile).
        let token = try await HTTP.post("\(first.base)/api/v1/auth/token", json: ["email": .string(DemoData.adminEmail), "password": .string(DemoData.adminPassword)],
                                        timeout: 600).json["token"]?.stringValue
        let port = first.port, printed = first.output
        #expect(printed.contains("Demo data loaded: 14 users, 1200 accounts"), "\(printed)")
        let listening = try #require(printed.range(of: "Keel listening on"), "\(printed)")
        #expect(listening.lowerBound < printed.range(of: "Demo data loaded")!.lowerBound, "\(printed)")
        // The login as printed: "Sign in as the demo admin: admin@keel.demo / keel-demo-2026 (…)".
        let login = try #require(printed.split(separator: "\n").first { $0.hasPrefix("Sign in as the demo admin: ") })
        let credentials = login.dropFirst("Sign in as the demo admin: ".count).split(separator: " ").filter { $0 != "/" }.prefix(2).map(String.init)
        #expect(credentials == [DemoData.adminEmail, DemoData.adminPassword])
        let admin = try #require(token, "\(printed)")
        var counts: [String: Int] = [:]
        for object in ["accounts", "contacts", "leads", "opportunities", "activities"] { counts[object] = try await count(object, port: port, token: admin) }
        // The activities: 800 on customers and deals, and the first calls on leads.
        let calls = try #require(printed.firstMatch(of: /, (\d+) activities,/).flatMap { Int($0.1) })
        #expect(calls > 800 && printed.contains("400 leads, 458 opportunities, \(calls) activities"), "\(printed)")
        #expect(counts == ["accounts": 1_200, "contacts": 1_200, "leads": 400, "opportunities": 458, "activities": calls], "\(printed)")
        #expect(try await HTTP.get("\(first.base)/login").text.contains("class=\"notice\"") == false)
        first.process.interrupt()
        first.process.waitUntilExit()

        // A second start on the same database neither reloads nor fails.
        let second = try await serve(in: dir)
        defer { second.stop() }
        let secondOutput = second.output
        #expect(secondOutput.contains("Demo data is already loaded."), "\(secondOutput)")
        #expect(try await count("accounts", port: second.port, token: admin) == 1_200)
    }

    /// A failure is one sentence and a non-zero exit, never a dump of a Swift value.
    @Test func aFailureIsOneClearSentence() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/keel.db"
        let run = try runProcess(keelExecutable, ["demo"], environment: ["KEEL_DATABASE_URL": "sqlite://" + missing, "PATH": "/usr/bin:/bin"])
        #expect(run.status != 0)
        let lines = run.output.split(separator: "\n").filter { !$0.isEmpty }
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: ") && !lines[0].contains("KeelError(") && !lines[0].contains("code:"), "\(run.output)")
        let url = try runProcess(keelExecutable, ["migrate"], environment: ["KEEL_DATABASE_URL": "mysql://nope", "PATH": "/usr/bin:/bin"])
        #expect(url.status != 0 && url.output == "Error: KEEL_DATABASE_URL must start with sqlite:// or postgres://.\n", "\(url.output)")
    }
}
