import Foundation

/// Where background work reads the time. Tests use a clock they set, jump forward and back.
public protocol KeelClock: Sendable {
    func now() -> Date
}

public struct SystemClock: KeelClock {
    public init() {}
    public func now() -> Date { Date() }
}
