import ArgumentParser
import Foundation
import Hummingbird
import KeelCore
import KeelEngine
import KeelServer
import KeelStore
import Logging
import NIOCore

@main
struct KeelCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keel",
        abstract: "Keel, the CRM whose data you can trust.",
        discussion: "The database comes from KEEL_DATABASE_URL (sqlite:///path/keel.db or postgres://…); the default is ./keel.db.",
        subcommands: [Serve.self, Migrate.self, Demo.self, UserCommand.self, AccessCommand.self, Audit.self, Match.self, ImportCommand.self])

    /// Parses and runs the command; a failure is one clear sentence on stderr and a non-zero exit, never a dump of a
    /// Swift value.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                var command = command
                try command.run()
            }
        } catch let error as ExitCode {
            exit(withError: error)
        } catch let error as ValidationError {
            exit(withError: error)
        } catch let error as CleanExit {
            exit(withError: error)
        } catch {
            // A request for help or the version arrives as an error that exits with success.
            if exitCode(for: error) == .success { exit(withError: error) }
            exit(withError: CLIFailure(error))
        }
    }
}

/// Prints a line at once, also into a log file or a pipe, where standard output is otherwise held back in blocks.
func say(_ line: String) {
    print(line)
    fflush(nil)
}

/// Opens Keel on the configured database, runs `body`, and closes it.
func withKeel<T>(_ body: (Keel) async throws -> T) async throws -> T {
    let keel = try await Keel.open(try Keel.databaseURL())
    do {
        let result = try await body(keel)
        await keel.close()
        return result
    } catch {
        await keel.close()
        throw error
    }
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (migrations are applied first).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: one the system chooses, printed).") var port = 8080
    @Flag(help: "Load the demo company first (if the database has no demo data yet).") var demo = false

    func run() async throws {
        try await withKeel { keel in
            // The demo company loads while Keel already answers (pages say so, API requests wait for it), and before
            // the worker starts.
            if demo { keel.demoLoading.begin() }
            @Sendable func loadDemo() async throws {
                defer { keel.demoLoading.end() }
                say("Loading the demo company …")
                say(try await DemoData.load(into: keel).description)
            }
            do {
                try await buildApplication(keel: keel, configuration: ServerConfiguration(host: host, port: port), first: demo ? loadDemo : nil) { [host] port in
                    say("Keel listening on http://\(host):\(port)")
                }.runService()
            } catch let error as IOError {
                throw CLIFailure("Keel could not listen on \(host):\(port): \(String(cString: strerror(error.errnoCode))).")
            }
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    func run() async throws {
        try await withKeel { keel in
            let names = try await Migrator.appliedNames(keel.database)
            say("Migrations applied: \(names.joined(separator: ", "))")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Load a deterministic demo company (a Chinese SME).")

    func run() async throws {
        try await withKeel { keel in
            say("Loading the demo company …")
            let summary = try await DemoData.load(into: keel)
            say(summary.description)
            say("Start the server with: swift run keel serve")
        }
    }
}

struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Manage users.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")

        @Option var email: String
        @Option var password: String
        @Option var role: String = "member"
        @Option var name: String?
        @Option(help: "Department name; created when it does not exist.") var department: String?
        @Option(help: "Email of the user's manager.") var manager: String?
        @Option(help: "Rank (职级): 1 staff … 5 executive.") var level = 1

        func run() async throws {
            guard let role = Role(rawValue: role) else {
                throw ValidationError("--role must be admin, manager or member")
            }
            try await withKeel { keel in
                do {
                    let user = try await keel.auth.createUser(
                        NewUser(email: email, password: password, name: name, role: role, department: department, managerEmail: manager,
                                level: level), by: nil)
                    print("Created \(user.role.rawValue) \(user.email) (\(user.id))")
                } catch let error as KeelError {
                    throw ValidationError(([error.message] + error.violations.map(\.message)).joined(separator: " "))
                }
            }
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Audit tools.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the hash chain of the whole field history.")

        func run() async throws {
            let report = try await withKeel { try await AuditVerifier(database: $0.database).verify() }
            if report.ok {
                print("OK: \(report.entries) history entries, hash chain intact.")
            } else {
                print("BROKEN at entry \(report.brokenAt ?? 0): \(report.reason ?? "") (\(report.entries) entries verified before it)")
                throw ExitCode(2)
            }
        }
    }
}
