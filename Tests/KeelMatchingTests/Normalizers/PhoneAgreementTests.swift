import Foundation
import KeelMatching
import Testing

/// Differential test against Google's libphonenumber (Python `phonenumbers`, installed by `.ci/run`): 20,000 Chinese
/// numbers as people write them (`Tests/Phones/generate.py`, fixed seed) must get the same verdict, E.164 form and
/// extension from Keel in at least 99.9 % of cases. Every disagreement is printed.
@Suite struct PhoneAgreementTests {
    struct Row { var input: String, valid: Bool, e164: String, ext: String, reference: String }

    @Test func agreesWithLibphonenumberOnGeneratedChineseNumbers() throws {
        let rows = try Self.generated(count: 20_000, seed: 2026)
        #expect(rows.count == 20_000)
        var disagreements: [String] = []
        for row in rows {
            let phone = PhoneNumber(row.input)
            let same = phone.isValid == row.valid && (!row.valid || phone.e164 == row.e164 && (phone.ext ?? "") == row.ext)
            if !same {
                disagreements.append("\(row.input) → Keel \(phone.e164 ?? phone.problem?.description ?? "") \(phone.ext ?? ""), libphonenumber \(row.valid ? row.e164 + " " + row.ext : "invalid") (\(row.reference))")
            }
        }
        let agreement = 1 - Double(disagreements.count) / Double(max(rows.count, 1))
        let split = rows.filter { $0.reference != "number" }.count
        print("phones: \(rows.count) numbers (\(split) with an extension notation libphonenumber does not read), agreement \(String(format: "%.3f", 100 * agreement)) %")
        for line in disagreements { print("  disagree: \(line)") }
        #expect(agreement >= 0.999, "\(disagreements.count) disagreements: \(disagreements.prefix(20).joined(separator: "; "))")
    }

    /// Runs the generator; fails with what to install when Python or `phonenumbers` is missing.
    static func generated(count: Int, seed: Int) throws -> [Row] {
        // Tests/KeelMatchingTests/Normalizers/ → Tests/Phones/generate.py
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Phones/generate.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, String(count), String(seed)]
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let problem = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw GeneratorFailed(message: "generate.py failed (the differential test needs python3 with phonenumbers: pip install phonenumbers; .ci/run does this): "
                + String(decoding: problem, as: UTF8.self))
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").dropFirst().map { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Row(input: f[0], valid: f[1] == "1", e164: f[2], ext: f[3], reference: f[4])
        }
    }

    struct GeneratorFailed: Error, CustomStringConvertible { var message: String; var description: String { message } }
}
