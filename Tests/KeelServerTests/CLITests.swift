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
