import Foundation
import KeelTestSupport
import Testing

/// The end-to-end journeys of `Tests/E2E/journeys.py` in real headless Chromium (Debian's `chromium` and
/// `chromium-driver`, Selenium from PyPI; `.ci/run` installs them) against the real `keel` binary on a fresh SQLite file.
@Suite struct BrowserJourneyTests {
    func run(_ executable: String, _ args: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        try runProcess(executable, args, environment: ProcessInfo.processInfo.environment.merging(environment) { $1 })
    }

    @Test func journeysInHeadlessChromium() async throws {
        // The python3 on PATH: the one `.ci/run` installs Selenium into.
        let probe = try run("/usr/bin/env", ["python3", "-c", "import selenium"])
        try #require(probe.status == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"),
                     "The browser journeys need Chromium, chromedriver and Selenium: apt-get install chromium chromium-driver; pip install selenium (.ci/run does this).")

        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-e2e-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let env = ["KEEL_DATABASE_URL": "sqlite://" + dir.appendingPathComponent("keel.db").path]
        let keel = keelExecutable
        let user = try run(keel, ["user", "create", "--email", "rep@example.com", "--password", "journey-password", "--role", "member"], environment: env)
        try #require(user.status == 0, "\(user.output)")
        let admin = try run(keel, ["user", "create", "--email", "boss@example.com", "--password", "journey-admin-password", "--role", "admin"], environment: env)
        try #require(admin.status == 0, "\(admin.output)")

        let server = try await ServedKeel.start(keel, ["serve", "--port", "0"], in: dir,
                                                environment: ProcessInfo.processInfo.environment.merging(env) { $1 })
        defer { server.stop() }

        let script = repositoryRoot.appendingPathComponent("Tests/E2E/journeys.py").path
        // Screenshots of the main pages at 1366 and 375 px, kept for a reviewer (under .build, out of git).
        let shots = repositoryRoot.appendingPathComponent(".build/e2e-screenshots").path
        let journeys = try run("/usr/bin/env", ["python3", script, server.base, "rep@example.com", "journey-password",
                                                     "boss@example.com", "journey-admin-password"], environment: ["KEEL_E2E_SHOTS": shots])
        print(journeys.output)
        #expect(journeys.status == 0, "\(journeys.output)")
        #expect(journeys.output.split(separator: "\n").filter { $0.hasPrefix("ok ") }.count == 12, "\(journeys.output)")
    }
}
