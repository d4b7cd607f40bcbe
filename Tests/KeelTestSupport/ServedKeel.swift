import Foundation

/// A real `keel serve … --port 0` process: the system chooses a free port (one picked beforehand may be taken by
/// another test before the server binds it) and the server prints it, which is read from its log.
public struct ServedKeel {
    public let process: Process
    public let port: Int
    /// What the server printed (stdout and stderr).
    public let log: URL

    public var base: String { "http://127.0.0.1:\(port)" }
    public var output: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// Starts `executable` (`keel`, or `nice … keel`) with `arguments` (which end in `serve … --port 0`) and waits,
    /// up to `timeout`, until it answers /healthz on the port it printed. Throws with its output when it does not.
    public static func start(_ executable: String = keelExecutable, _ arguments: [String], in directory: URL,
                             environment: [String: String], timeout: Duration = .seconds(600)) async throws -> ServedKeel {
        let log = directory.appendingPathComponent("serve-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.environment = environment
        let out = try FileHandle(forWritingTo: log)
        process.standardOutput = out
        process.standardError = out
        try process.run()
        let deadline = ContinuousClock.now + timeout
        while process.isRunning, ContinuousClock.now < deadline {
            let printed = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            if let line = printed.split(separator: "\n").first(where: { $0.hasPrefix("Keel listening on http://") }),
               let port = Int(line.split(separator: ":").last ?? ""), (try? await HTTP.get("http://127.0.0.1:\(port)/healthz"))?.status == 200 {
                return ServedKeel(process: process, port: port, log: log)
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        throw ServeFailure(output: (try? String(contentsOf: log, encoding: .utf8)) ?? "")
    }

    public func stop() {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
    }

    public struct ServeFailure: Error, CustomStringConvertible {
        public let output: String
        public var description: String { "keel serve did not answer /healthz: \(output)" }
    }
}
