import Foundation
import KeelTestSupport
import Testing

/// `keel match` on a real CSV file through the real executable: roles from headers or --field, one output row per
/// input row, progress on stderr, clear errors and no output file when the input is wrong.
@Suite struct MatchCLITests {
    let dir: URL

    init() throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("keel-match-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    }

    func match(_ csv: String, _ args: [String]) throws -> (status: Int32, output: String, clusters: [[String]]?) {
        let input = dir.appendingPathComponent("in.csv"), out = dir.appendingPathComponent("clusters.csv")
        try? FileManager.default.removeItem(at: out)
        try Data(csv.utf8).write(to: input)
        let run = try runProcess(keelExecutable, ["match", input.path, "--out", out.path] + args, environment: ["PATH": "/usr/bin:/bin"])
        let written = try? String(contentsOf: out, encoding: .utf8)
        return (run.status, run.output, written.map { $0.split(whereSeparator: \.isNewline).map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) } })
    }

    @Test func aSpreadsheetOfCustomersIsClustered() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = """
            \u{FEFF}编号,客户名称,联系电话,备注
            1,深圳市腾讯科技有限公司,0755-86013388,老客户
            2,腾讯科技（深圳）有限公司,(0755)86013388转8888,
            3,Tencent Technology (Shenzhen) Co. Ltd.,+86 755 8601 3388,展会
            4,百度在线网络技术(北京)有限公司,010-59928888,
            5,腾讯科技(深圳)有限公司北京分公司,010-62671188,
            6,"杭州海康威视数字技术股份有限公司",0571-88075998,
            7,海康威视数字技术(杭州)股份有限公司,,
            """
        let run = try match(csv, ["--id", "编号"])
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("客户名称=company"))
        #expect(run.output.contains("联系电话=phone"))
        #expect(!run.output.contains("备注="))
        #expect(run.output.contains("candidate pairs"))
        let rows = try #require(run.clusters)
        #expect(rows.first == ["id", "cluster_id", "score", "review"])
        let cluster = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], $0[1]) })
        #expect(cluster == ["1": "1", "2": "1", "3": "1", "4": "4", "5": "5", "6": "6", "7": "6"])
        let score = Dictionary(uniqueKeysWithValues: rows.dropFirst().map { ($0[0], Double($0[2]) ?? -1) })
        #expect(score["1"]! >= 0.5 && score["4"] == 0 && score["5"] == 0)
    }

    @Test func rolesCanBeGivenAndBadInputIsExplained() throws {
        defer { try? FileManager.default.removeItem(at: dir) }
        let csv = "key,a,b\nx1,王芳,13812345678\nx2,王芳,138-1234-5678\nx3,李强,13912345678\n"
        // Headers that say nothing: nothing to match on until roles are given.
        let none = try match(csv, ["--id", "key"])
        #expect(none.status == 2)
        #expect(none.output.contains("--field column:role"))
        #expect(none.clusters == nil)
        let given = try match(csv, ["--id", "key", "--field", "a:name", "--field", "b:phone"])
        #expect(given.status == 0, "\(given.output)")
        #expect(given.clusters?.dropFirst().map { $0[1] } == ["x1", "x1", "x3"])

        let wrongID = try match(csv, ["--id", "编号"])
        #expect(wrongID.status == 2 && wrongID.output.contains("has no column \"编号\"") && wrongID.output.contains("key, a, b"))
        let wrongRole = try match(csv, ["--id", "key", "--field", "a:nickname"])
        #expect(wrongRole.status == 2 && wrongRole.output.contains("unknown role \"nickname\""))
        let wrongColumn = try match(csv, ["--id", "key", "--field", "zzz:name"])
        #expect(wrongColumn.status == 2 && wrongColumn.output.contains("expected column:role"))
        #expect(try match(csv, ["--id", "key", "--field", "a:name", "--threshold", "1.5"]).status != 0)
        let empty = try match("", ["--id", "key"])
        #expect(empty.status == 2 && empty.output.contains("is empty") && empty.clusters == nil)
        let headerOnly = try match("key,a,b\n", ["--id", "key", "--field", "a:name"])
        #expect(headerOnly.status == 2 && headerOnly.output.contains("no rows"))
        // A row with a comma too many or too few would shift its values into other columns: refused, nothing written.
        let ragged = try match("key,a,b\nx1,王芳,13812345678\nx2,王芳,138,1234\nx3,李强\n", ["--id", "key", "--field", "a:name", "--field", "b:phone"])
        #expect(ragged.status == 2 && ragged.output.contains("line 3 has 4, line 4 has 2") && ragged.clusters == nil, "\(ragged.output)")
        let missing = try runProcess(keelExecutable, ["match", dir.appendingPathComponent("nope.csv").path, "--id", "k", "--out", dir.appendingPathComponent("o.csv").path],
                                     environment: ["PATH": "/usr/bin:/bin"])
        #expect(missing.status == 2 && missing.output.contains("Cannot read"))
    }
}
