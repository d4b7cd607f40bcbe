import ArgumentParser
import Foundation
import KeelCore
import KeelEngine

struct AccessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "access", abstract: "Access policies.", subcommands: [Health.self])

    struct Health: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scan the policies in force for over-authorised users, islands, zombie accounts and unused permits.",
            discussion: "Exits with status 1 when anything was found.")

        @Flag(help: "Print the report as JSON.") var json = false

        func run() async throws {
            let findings = try await withKeel { try await $0.access.healthScan(by: nil) }
            if json {
                print(JSONValue.array(findings.map(\.json)).canonicalText())
            } else if findings.isEmpty {
                print("OK: no findings.")
            } else {
                for f in findings { print("[\(f.kind.rawValue)] \(f.message)\n    fix: \(f.fix)") }
                print("\(findings.count) finding(s).")
            }
            if !findings.isEmpty { throw ExitCode(1) }
        }
    }
}
