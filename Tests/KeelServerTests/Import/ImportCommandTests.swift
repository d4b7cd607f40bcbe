import Foundation
import KeelCore
import KeelEngine
import KeelStore
import KeelTestSupport
import SQLKit
import Testing

/// `keel import` as an operator runs it: killed at random points and started again, it imports every row exactly once.
@Suite struct ImportCommandTests {
    @Test func killedAndRestartedItImportsEachRowOnce() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("keel.db").path
        let environment = ["KEEL_DATABASE_URL": "sqlite://" + db, "KEEL_FILES_DIR": dir.appendingPathComponent("files").path, "PATH": "/usr/bin:/bin"]
        #expect(try runProcess(keelExecutable, ["user", "create", "--email", "admin@example.com", "--password", "long-enough", "--role", "admin"],
                               environment: environment).status == 0)
        let rows = 2_500
        let file = dir.appendingPathComponent("客户.csv")
        let lines = ["客户名称,手机,城市"] + (0..<rows).map { "测试客户\(String(format: "%05d", $0))有限公司,138\(String(format: "%08d", $0)),深圳市" }
        try Data((lines.joined(separator: "\r\n") + "\r\n").utf8).write(to: file)

        // Killed (SIGKILL, no chance to clean up) after a random while, five times; then left to finish.
        var generator = SystemRandomNumberGenerator()
        var kills = 0, finished: (status: Int32, output: String)?
        while finished == nil {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: keelExecutable)
            process.arguments = ["import", file.path, "--object", "accounts"]
            process.environment = environment
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            try process.run()
            if kills < 5 { try await Task.sleep(for: .milliseconds(Int.random(in: 1_000...3_500, using: &generator))) }
            if kills < 5, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                kills += 1
            } else {
                let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                process.waitUntilExit()
                finished = (process.terminationStatus, output)
            }
        }
        let done = try #require(finished)
        #expect(done.status == 0)

        let keel = try await Keel.open(.sqlite(path: db))
        defer { Task { await keel.close() } }
        let (accounts, names, jobs, results) = try await keel.database.read { db in
            (try await db.raw("SELECT COUNT(*) AS n FROM accounts").first()!.decode(column: "n", as: Int.self),
             try await db.raw("SELECT COUNT(DISTINCT name) AS n FROM accounts").first()!.decode(column: "n", as: Int.self),
             try await ImportStore().jobs(createdBy: nil, limit: 10, on: db),
             try await db.raw("SELECT COUNT(*) AS n FROM import_rows").first()!.decode(column: "n", as: Int.self))
        }
        // One import, gone on with after each kill; every row once.
        #expect(accounts == rows && names == rows && results == rows)
        #expect(jobs.count == 1 && jobs.first?.status == .done && jobs.first?.counts[.created] == rows)
        #expect(done.output.split(separator: "\n").last == "created \(rows), updated 0, merged 0, skipped 0, failed 0")
    }

    @Test func exitStatusSaysWhetherRowsOrTheFileFailed() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        func keel(_ args: [String]) throws -> (status: Int32, output: String) { try Self.keel(args, in: dir) }
        let sheet = dir.appendingPathComponent("a.csv"), errors = dir.appendingPathComponent("errors.csv")
        try Data("客户名称,电话\n甲公司,0755-86001234\n乙公司,12345\n".utf8).write(to: sheet)
        // A dry run says what would happen.
        let dry = try keel(["import", sheet.path, "--object", "accounts", "--dry-run"])
        #expect(dry.status == 1 && dry.output.contains("created 1, updated 0, merged 0, skipped 0, failed 1"))
        // Some rows failed: 1, and the error report names them.
        let some = try keel(["import", sheet.path, "--object", "accounts", "--errors", errors.path])
        #expect(some.status == 1 && some.output.contains("created 1, updated 0, merged 0, skipped 0, failed 1"), "\(some.output)")
        let report = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        #expect(report.hasPrefix("\u{FEFF}row,column,value,field,code,reason\r\n3,电话,12345,phone,invalid_phone,"), "\(report)")
        // Fixed and run again with skip: nothing created twice, none failed: 0.
        try Data("客户名称,电话\n甲公司,0755-86001234\n乙公司,0755-86001235\n".utf8).write(to: sheet)
        let fixed = try keel(["import", sheet.path, "--object", "accounts"])
        #expect(fixed.status == 0 && fixed.output.contains("created 1, updated 0, merged 0, skipped 1, failed 0"), "\(fixed.output)")
        // The file itself cannot be read: 2.
        try Data("客户名称,电话\n\"甲公司,0755\n".utf8).write(to: sheet)
        let broken = try keel(["import", sheet.path, "--object", "accounts"])
        #expect(broken.status == 2 && broken.output.contains("row 2 is never closed"), "\(broken.output)")
        #expect(try keel(["import", dir.appendingPathComponent("missing.csv").path, "--object", "accounts"]).status == 2)
        let badPolicy = try keel(["import", sheet.path, "--object", "accounts", "--on-duplicate", "replace"])
        #expect(badPolicy.status == 2 && badPolicy.output.contains("onDuplicate is one of skip, update, merge, create"), "\(badPolicy.output)")
    }

    /// A mapping given as a file is saved under a name, and the next file of its kind is imported by that name.
    @Test func aSavedMappingIsUsedByName() throws {
        let dir = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: dir) }
        func keel(_ args: [String]) throws -> (status: Int32, output: String) { try Self.keel(args, in: dir) }
        // 参展单位 and 人数 are headers nothing recognises; the mapping says where they go and what 百人以内 means.
        let mapping = dir.appendingPathComponent("m.json"), first = dir.appendingPathComponent("march.csv"), second = dir.appendingPathComponent("april.csv")
        try Data(#"{"columns": {"参展单位": "name", "人数": "size"}, "values": {"size": {"百人以内": "21-100"}}}"#.utf8).write(to: mapping)
        try Data("参展单位,人数\n深圳市腾达科技有限公司,百人以内\n".utf8).write(to: first)
        try Data("参展单位,人数\n杭州云帆网络有限公司,百人以内\n".utf8).write(to: second)
        let saved = try keel(["import", first.path, "--object", "accounts", "--mapping", mapping.path, "--save-mapping", "展会名单"])
        #expect(saved.status == 0 && saved.output.contains("created 1,"), "\(saved.output)")
        let byName = try keel(["import", second.path, "--object", "accounts", "--mapping", "展会名单"])
        #expect(byName.status == 0 && byName.output.contains("created 1,"), "\(byName.output)")
        let unknown = try keel(["import", second.path, "--object", "accounts", "--mapping", "没有这个映射"])
        #expect(unknown.status == 2 && unknown.output.contains("neither a JSON mapping file nor the name of a mapping saved for accounts"), "\(unknown.output)")
    }

    /// A scratch folder whose Keel database has an admin.
    static func scratch() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        #expect(try keel(["user", "create", "--email", "admin@example.com", "--password", "long-enough", "--role", "admin"], in: dir).status == 0)
        return dir
    }

    /// `keel` run on the scratch folder's database.
    static func keel(_ args: [String], in dir: URL) throws -> (status: Int32, output: String) {
        try runProcess(keelExecutable, args, environment: ["KEEL_DATABASE_URL": "sqlite://" + dir.appendingPathComponent("keel.db").path, "PATH": "/usr/bin:/bin"])
    }
}
