import Foundation
import KeelCore

/// What the CLI prints when a command fails: one sentence a person can act on.
struct CLIFailure: LocalizedError {
    let errorDescription: String?

    init(_ sentence: String) { errorDescription = sentence }

    init(_ error: any Error) {
        switch error {
        case let error as CLIFailure: self = error
        case let error as KeelError: self.init(error.summary)
        case let error as any LocalizedError where error.errorDescription != nil: self.init(error.errorDescription!)
        default:
            // A type's own description says what failed (SQLite's does); a dump of a value (`SomeError(code: …)`) does not.
            let text = String(describing: error).replacingOccurrences(of: "\n", with: " ")
            let dump = text.hasPrefix("\(type(of: error))(") || text.isEmpty
            self.init(dump ? "Keel stopped on an unexpected error (\(type(of: error))); nothing more is known about it." : text)
        }
    }
}
